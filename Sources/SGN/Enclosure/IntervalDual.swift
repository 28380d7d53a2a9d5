/// A dual number whose parts are intervals: `value + tangent·ε` (`ε² = 0`) with both parts
/// enclosed. Evaluating a `GradientScalar` function on `IntervalDual(X, v)` (X an interval box,
/// v a fixed direction) encloses, for every point x of X, both `f(x)` and the directional
/// derivative `f'(x)·v` — one column of a Jacobian enclosure over the whole box.
///
/// Soundness: each rule is the dual-number rule of `Dual` evaluated in interval arithmetic, so
/// for every point x of the box the exact pair (f(x), f'(x)v) lies in the result (the interval
/// rules contain every point evaluation of the same expression).
public struct IntervalDual: GradientScalar, Equatable {
    public var real: Interval
    public var tangent: Interval

    public init(_ value: Double) {
        real = Interval(value)
        tangent = Interval(0)
    }

    public init(_ real: Interval, tangent: Interval = Interval(0)) {
        self.real = real
        self.tangent = tangent
    }

    /// The midpoint of the real part (used only for pivoting and stabilising shifts).
    public var value: Double { real.value }

    public static func + (a: IntervalDual, b: IntervalDual) -> IntervalDual {
        IntervalDual(a.real + b.real, tangent: a.tangent + b.tangent)
    }
    public static func - (a: IntervalDual, b: IntervalDual) -> IntervalDual {
        IntervalDual(a.real - b.real, tangent: a.tangent - b.tangent)
    }
    public static func * (a: IntervalDual, b: IntervalDual) -> IntervalDual {
        IntervalDual(a.real * b.real, tangent: a.tangent * b.real + a.real * b.tangent)
    }
    /// `(a/b)' = (a' − (a/b)·b')/b`; the entire line when b's real part contains 0.
    public static func / (a: IntervalDual, b: IntervalDual) -> IntervalDual {
        let q = a.real / b.real
        return IntervalDual(q, tangent: (a.tangent - q * b.tangent) / b.real)
    }
    public static prefix func - (x: IntervalDual) -> IntervalDual { IntervalDual(-x.real, tangent: -x.tangent) }
    public static func * (s: Double, x: IntervalDual) -> IntervalDual {
        IntervalDual(s * x.real, tangent: s * x.tangent)
    }
    public static func exponential(_ x: IntervalDual) -> IntervalDual {
        let e = Interval.exp(x.real)
        return IntervalDual(e, tangent: e * x.tangent)
    }
    public static func logarithm(_ x: IntervalDual) -> IntervalDual {
        IntervalDual(Interval.log(x.real), tangent: x.tangent / x.real)
    }

    /// Differentiating `A x = b`: `x₀` encloses `A₀⁻¹b₀` and `x₁` encloses `A₀⁻¹(b₁ − A₁x₀)` for
    /// every A₀, A₁, b₀, b₁ in the intervals (two interval solves with A₀'s enclosure).
    public static func solveLinear(_ a: [IntervalDual], size n: Int, rhs: [[IntervalDual]], factors: LUFactors?)
        -> [[IntervalDual]]
    {
        let a0 = a.map(\.real)
        let entire = [IntervalDual](repeating: IntervalDual(.entire, tangent: .entire), count: n)
        guard let x0 = IntervalLinearAlgebra.solve(a0, size: n, rhs: rhs.map { $0.map(\.real) }) else {
            return rhs.map { _ in entire }
        }
        let shifted = rhs.indices.map { k in
            (0..<n).map { i in
                var s = rhs[k][i].tangent
                for j in 0..<n { s = s - a[i * n + j].tangent * x0[k][j] }
                return s
            }
        }
        guard let x1 = IntervalLinearAlgebra.solve(a0, size: n, rhs: shifted) else { return rhs.map { _ in entire } }
        return rhs.indices.map { k in (0..<n).map { IntervalDual(x0[k][$0], tangent: x1[k][$0]) } }
    }
}
