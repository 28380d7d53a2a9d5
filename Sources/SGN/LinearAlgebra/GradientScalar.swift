import Foundation

/// The arithmetic a pseudo-gradient needs, so the same code computes values (`Double`) and
/// exact directional derivatives (`Dual`, forward-mode automatic differentiation).
public protocol GradientScalar: Sendable {
    init(_ value: Double)
    /// The ordinary (real) part.
    var value: Double { get }
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    static func / (lhs: Self, rhs: Self) -> Self
    static prefix func - (x: Self) -> Self
    /// Scaling by a constant (cheaper than promoting the constant).
    static func * (lhs: Double, rhs: Self) -> Self
    static func exponential(_ x: Self) -> Self
    static func logarithm(_ x: Self) -> Self
    /// Solves `A X = B` (row-major `a`, one array per right-hand side). `factors`, when given,
    /// is the LU factorisation of A's real part.
    static func solveLinear(_ a: [Self], size n: Int, rhs: [[Self]], factors: LUFactors?) -> [[Self]]
    /// Solves the discounted system of a Markov chain, `(I − γP) X = B` or (`transposed`)
    /// `(I − γP)ᵀ X = B`, where `system` is `I − γP` (row-major n×n) and row s of P is the
    /// mixture `Σ_a weights[s·k + a]·kernel[(s·k + a)·n + ·]` of probability vectors with weights
    /// that form a probability vector per state. The default solves `system` with
    /// `solveLinear`; enclosure types use the stochastic structure (`DiscountedSolve`).
    static func solveDiscounted(
        system: [Self], weights: [Self], kernel: [Double], discount: Double,
        size n: Int, mixtures k: Int, rhs: [[Self]], transposed: Bool,
        factors: LUFactors?
    ) -> [[Self]]
    /// `γP₁x` (or `γP₁ᵀx`, `transposed`) for the system of `solveDiscounted`: P₁'s rows are the
    /// mixtures of the kernel rows with `tangentWeights`, which sum to 0 per state (derivatives
    /// of probability vectors); x is the solution of that system with `weights` and `rhs` (the
    /// derivative of a discounted solve needs this product, `NestedDual`). The default forms the
    /// product directly; enclosure types use the structure (`DiscountedSolve`).
    static func discountedCoupling(
        tangentWeights w1: [Self], weights w0: [Self], kernel: [Double], discount: Double,
        size n: Int, mixtures k: Int, solution x: [Self], rhs b: [Self], transposed: Bool
    ) -> [Self]
}

extension GradientScalar {
    public static func solveDiscounted(
        system m: [Self], weights: [Self], kernel: [Double], discount: Double,
        size n: Int, mixtures k: Int, rhs: [[Self]], transposed: Bool,
        factors: LUFactors?
    ) -> [[Self]] {
        guard transposed else { return solveLinear(m, size: n, rhs: rhs, factors: factors) }
        var mt = m
        for r in 0..<n { for c in 0..<n { mt[r * n + c] = m[c * n + r] } }
        return solveLinear(mt, size: n, rhs: rhs, factors: factors)
    }

    public static func discountedCoupling(
        tangentWeights w1: [Self], weights w0: [Self], kernel: [Double], discount: Double,
        size n: Int, mixtures k: Int, solution x: [Self], rhs b: [Self], transposed: Bool
    ) -> [Self] {
        var out = [Self](repeating: Self(0), count: n)
        for s in 0..<n {
            for a in 0..<k {
                let w = w1[s * k + a]
                let base = (s * k + a) * n
                for t in 0..<n where kernel[base + t] != 0 {
                    let p = discount * (kernel[base + t] * w)
                    if transposed {
                        out[t] = out[t] + p * x[s]
                    } else {
                        out[s] = out[s] + p * x[t]
                    }
                }
            }
        }
        return out
    }
}

extension Double: GradientScalar {
    public var value: Double { self }
    public static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    public static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
    public static func solveLinear(_ a: [Double], size n: Int, rhs: [[Double]], factors: LUFactors?) -> [[Double]] {
        if let factors { return rhs.map(factors.solve) }
        return LinearSolve.solve(a, size: n, rhs: rhs)
    }
}

/// A dual number `value + tangent·ε` with `ε² = 0`: evaluating a function on
/// `Dual(x, v)` gives `f(x)` and the exact directional derivative `f'(x)·v` (up to rounding),
/// with no step size to choose.
public struct Dual: GradientScalar, Equatable {
    public var value: Double
    public var tangent: Double

    public init(_ value: Double) {
        self.value = value
        self.tangent = 0
    }

    public init(_ value: Double, tangent: Double) {
        self.value = value
        self.tangent = tangent
    }

    @inlinable public static func + (a: Dual, b: Dual) -> Dual {
        Dual(a.value + b.value, tangent: a.tangent + b.tangent)
    }
    @inlinable public static func - (a: Dual, b: Dual) -> Dual {
        Dual(a.value - b.value, tangent: a.tangent - b.tangent)
    }
    @inlinable public static func * (a: Dual, b: Dual) -> Dual {
        Dual(a.value * b.value, tangent: a.tangent * b.value + a.value * b.tangent)
    }
    @inlinable public static func / (a: Dual, b: Dual) -> Dual {
        let q = a.value / b.value
        return Dual(q, tangent: (a.tangent - q * b.tangent) / b.value)
    }
    @inlinable public static prefix func - (x: Dual) -> Dual { Dual(-x.value, tangent: -x.tangent) }
    @inlinable public static func * (s: Double, x: Dual) -> Dual { Dual(s * x.value, tangent: s * x.tangent) }
    public static func exponential(_ x: Dual) -> Dual {
        let e = Foundation.exp(x.value)
        return Dual(e, tangent: e * x.tangent)
    }
    public static func logarithm(_ x: Dual) -> Dual { Dual(Foundation.log(x.value), tangent: x.tangent / x.value) }

    /// With factors of the real part A₀: `x₀ = A₀⁻¹b₀`, `x₁ = A₀⁻¹(b₁ − A₁x₀)` (differentiating
    /// `A x = b`), O(n²) per right-hand side.
    public static func solveLinear(_ a: [Dual], size n: Int, rhs: [[Dual]], factors: LUFactors?) -> [[Dual]] {
        guard let factors else { return LinearSolve.solve(a, size: n, rhs: rhs) }
        return rhs.map { b in
            let x0 = factors.solve(b.map(\.value))
            var r = b.map(\.tangent)
            for i in 0..<n {
                var s = 0.0
                for j in 0..<n { s += a[i * n + j].tangent * x0[j] }
                r[i] -= s
            }
            let x1 = factors.solve(r)
            return (0..<n).map { Dual(x0[$0], tangent: x1[$0]) }
        }
    }
}
