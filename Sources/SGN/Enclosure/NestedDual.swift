/// A dual number over any `GradientScalar`, `value + tangent·ε` (`ε² = 0`) with both parts of
/// the base type: one more order of forward-mode derivatives on top of the base's own. Over
/// `IntervalHyperDual` (second derivatives enclosed on a box) it encloses third derivatives
/// `f‴(x)[u, e, t]` at every point x of the box: the remainder of the second-order centred form
/// of a Jacobian enclosure (docs/enclosures.md, "Second-order centred form").
///
/// Soundness: every rule is the dual-number rule of `Dual` written with the base's operations,
/// so whatever the base encloses for a function, the nested number encloses for the function and
/// its derivative along the outer direction.
public struct NestedDual<Base: GradientScalar>: GradientScalar {
    public var real: Base
    public var tangent: Base

    public init(_ value: Double) {
        real = Base(value)
        tangent = Base(0)
    }

    public init(_ real: Base, tangent: Base) {
        self.real = real
        self.tangent = tangent
    }

    public var value: Double { real.value }

    public static func + (a: Self, b: Self) -> Self { Self(a.real + b.real, tangent: a.tangent + b.tangent) }
    public static func - (a: Self, b: Self) -> Self { Self(a.real - b.real, tangent: a.tangent - b.tangent) }
    public static func * (a: Self, b: Self) -> Self {
        Self(a.real * b.real, tangent: a.tangent * b.real + a.real * b.tangent)
    }
    public static func / (a: Self, b: Self) -> Self {
        let q = a.real / b.real
        return Self(q, tangent: (a.tangent - q * b.tangent) / b.real)
    }
    public static prefix func - (x: Self) -> Self { Self(-x.real, tangent: -x.tangent) }
    public static func * (s: Double, x: Self) -> Self { Self(s * x.real, tangent: s * x.tangent) }
    public static func exponential(_ x: Self) -> Self {
        let e = Base.exponential(x.real)
        return Self(e, tangent: e * x.tangent)
    }
    public static func logarithm(_ x: Self) -> Self { Self(Base.logarithm(x.real), tangent: x.tangent / x.real) }

    /// Differentiating `A x = b`: `x₀ = A₀⁻¹b₀`, `x₁ = A₀⁻¹(b₁ − A₁x₀)`, two solves of the base.
    public static func solveLinear(_ a: [Self], size n: Int, rhs: [[Self]], factors: LUFactors?) -> [[Self]] {
        let a0 = a.map(\.real)
        let x0 = Base.solveLinear(a0, size: n, rhs: rhs.map { $0.map(\.real) }, factors: factors)
        let shifted = rhs.indices.map { k in
            (0..<n).map { i in
                var s = rhs[k][i].tangent
                for j in 0..<n { s = s - a[i * n + j].tangent * x0[k][j] }
                return s
            }
        }
        let x1 = Base.solveLinear(a0, size: n, rhs: shifted, factors: factors)
        return rhs.indices.map { k in (0..<n).map { Self(x0[k][$0], tangent: x1[k][$0]) } }
    }

    /// Differentiating `x = b + γ(P or Pᵀ)x` (P's rows the mixtures of the kernel rows with the
    /// weights): `x₁ = b₁ + γP₁x₀ + γP₀x₁`, each part solved by the base's own discounted solve
    /// (so an enclosure base keeps its stochastic structure), `P₁x₀` by the base's
    /// `discountedCoupling` (which an enclosure base forms with the same structure).
    public static func solveDiscounted(
        system: [Self], weights: [Self], kernel: [Double], discount: Double,
        size n: Int, mixtures k: Int, rhs: [[Self]], transposed: Bool,
        factors: LUFactors?
    ) -> [[Self]] {
        let m0 = system.map(\.real)
        let w0 = weights.map(\.real)
        let w1 = weights.map(\.tangent)
        let x0 = Base.solveDiscounted(
            system: m0, weights: w0, kernel: kernel, discount: discount, size: n, mixtures: k,
            rhs: rhs.map { $0.map(\.real) }, transposed: transposed, factors: factors)
        let shifted = rhs.indices.map { r in
            let c = Base.discountedCoupling(
                tangentWeights: w1, weights: w0, kernel: kernel, discount: discount, size: n, mixtures: k,
                solution: x0[r], rhs: rhs[r].map(\.real), transposed: transposed)
            return (0..<n).map { rhs[r][$0].tangent + c[$0] }
        }
        let x1 = Base.solveDiscounted(
            system: m0, weights: w0, kernel: kernel, discount: discount, size: n, mixtures: k,
            rhs: shifted, transposed: transposed, factors: factors)
        return rhs.indices.map { r in (0..<n).map { Self(x0[r][$0], tangent: x1[r][$0]) } }
    }
}
