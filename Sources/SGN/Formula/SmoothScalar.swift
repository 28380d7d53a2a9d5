import Foundation

/// The arithmetic a loss formula needs: `GradientScalar` (the mechanism the Markov
/// pseudo-gradient already runs on: `Double`, `Dual`, `Interval`, `IntervalDual`) plus the
/// formula language's functions. The same parsed formula evaluates on `Double` (values),
/// `Interval` (enclosures over a box) and `HyperDual` over either (exact second derivatives at a
/// point, or enclosures of them over a box).
public protocol SmoothScalar: GradientScalar {
    static func squareRoot(_ x: Self) -> Self
    static func sine(_ x: Self) -> Self
    static func cosine(_ x: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
    static func logarithmOnePlus(_ x: Self) -> Self
    /// `xⁿ` for a whole n (negative: `1/x^|n|`).
    static func integerPower(_ x: Self, _ n: Int) -> Self
    /// `xᵖ` for x > 0.
    static func realPower(_ x: Self, _ p: Double) -> Self
}

extension SmoothScalar {
    /// `1/(1 + e^{−x})`.
    public static func sigmoid(_ x: Self) -> Self { Self(1) / (Self(1) + exponential(-x)) }
    /// `log(1 + eˣ)`.
    public static func softplus(_ x: Self) -> Self { logarithmOnePlus(exponential(x)) }

    public static func apply(_ f: Formula.Function, _ x: Self) -> Self {
        switch f {
        case .exp: exponential(x)
        case .log: logarithm(x)
        case .log1p: logarithmOnePlus(x)
        case .sqrt: squareRoot(x)
        case .sin: sine(x)
        case .cos: cosine(x)
        case .tanh: hyperbolicTangent(x)
        case .sigmoid: sigmoid(x)
        case .softplus: softplus(x)
        }
    }
}

extension Double: SmoothScalar {
    public static func squareRoot(_ x: Double) -> Double { x.squareRoot() }
    public static func sine(_ x: Double) -> Double { Foundation.sin(x) }
    public static func cosine(_ x: Double) -> Double { Foundation.cos(x) }
    public static func hyperbolicTangent(_ x: Double) -> Double { Foundation.tanh(x) }
    public static func logarithmOnePlus(_ x: Double) -> Double { Foundation.log1p(x) }
    public static func integerPower(_ x: Double, _ n: Int) -> Double { Foundation.pow(x, Double(n)) }
    public static func realPower(_ x: Double, _ p: Double) -> Double { Foundation.pow(x, p) }
    public static func sigmoid(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x))
    }
    public static func softplus(_ x: Double) -> Double {
        x > 0 ? x + Foundation.log1p(Foundation.exp(-x)) : Foundation.log1p(Foundation.exp(x))
    }
}

/// A hyper-dual number `a + b·ε₁ + c·ε₂ + d·ε₁ε₂` (`ε₁² = ε₂² = 0`) over any smooth scalar:
/// the forward-mode `Dual` rule applied twice. Evaluating f on `(x, u, v, 0)` gives f(x), the
/// directional derivatives `f'(x)u`, `f'(x)v` and the exact second derivative `uᵀf''(x)v` in the
/// ε₁ε₂ part — over `Double` up to rounding, over `Interval` as enclosures over a box.
///
/// Every function g enters through its value and first two derivatives:
/// `g(a + bε₁ + cε₂ + dε₁ε₂) = g(a) + g'(a)b ε₁ + g'(a)c ε₂ + (g'(a)d + g''(a)bc) ε₁ε₂`.
public struct HyperDual<Base: SmoothScalar>: SmoothScalar {
    public var a: Base
    public var b: Base
    public var c: Base
    public var d: Base

    public init(_ value: Double) {
        a = Base(value)
        b = Base(0)
        c = Base(0)
        d = Base(0)
    }

    public init(_ a: Base, _ b: Base, _ c: Base, _ d: Base) {
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }

    public var value: Double { a.value }

    /// `g(self)` from `g(a)`, `g'(a)`, `g''(a)`.
    @inlinable func chain(_ g0: Base, _ g1: Base, _ g2: Base) -> HyperDual {
        HyperDual(g0, g1 * b, g1 * c, g1 * d + g2 * (b * c))
    }

    public static func + (x: HyperDual, y: HyperDual) -> HyperDual {
        HyperDual(x.a + y.a, x.b + y.b, x.c + y.c, x.d + y.d)
    }
    public static func - (x: HyperDual, y: HyperDual) -> HyperDual {
        HyperDual(x.a - y.a, x.b - y.b, x.c - y.c, x.d - y.d)
    }
    public static func * (x: HyperDual, y: HyperDual) -> HyperDual {
        HyperDual(
            x.a * y.a, x.a * y.b + x.b * y.a, x.a * y.c + x.c * y.a,
            x.a * y.d + x.b * y.c + x.c * y.b + x.d * y.a)
    }
    public static func / (x: HyperDual, y: HyperDual) -> HyperDual {
        let r = Base(1) / y.a
        return x * y.chain(r, -(r * r), 2 * (r * r * r))
    }
    public static prefix func - (x: HyperDual) -> HyperDual { HyperDual(-x.a, -x.b, -x.c, -x.d) }
    public static func * (s: Double, x: HyperDual) -> HyperDual { HyperDual(s * x.a, s * x.b, s * x.c, s * x.d) }

    public static func exponential(_ x: HyperDual) -> HyperDual {
        let e = Base.exponential(x.a)
        return x.chain(e, e, e)
    }
    public static func logarithm(_ x: HyperDual) -> HyperDual {
        let r = Base(1) / x.a
        return x.chain(Base.logarithm(x.a), r, -(r * r))
    }
    public static func logarithmOnePlus(_ x: HyperDual) -> HyperDual {
        let r = Base(1) / (Base(1) + x.a)
        return x.chain(Base.logarithmOnePlus(x.a), r, -(r * r))
    }
    public static func squareRoot(_ x: HyperDual) -> HyperDual {
        let s = Base.squareRoot(x.a)
        let g1 = Base(0.5) / s
        return x.chain(s, g1, -0.5 * (g1 / x.a))
    }
    public static func sine(_ x: HyperDual) -> HyperDual {
        let s = Base.sine(x.a)
        return x.chain(s, Base.cosine(x.a), -s)
    }
    public static func cosine(_ x: HyperDual) -> HyperDual {
        let c = Base.cosine(x.a)
        return x.chain(c, -Base.sine(x.a), -c)
    }
    public static func hyperbolicTangent(_ x: HyperDual) -> HyperDual {
        let t = Base.hyperbolicTangent(x.a)
        let g1 = Base(1) - Base.integerPower(t, 2)
        return x.chain(t, g1, -2 * (t * g1))
    }
    public static func sigmoid(_ x: HyperDual) -> HyperDual {
        let s = Base.sigmoid(x.a)
        let g1 = s * (Base(1) - s)
        return x.chain(s, g1, g1 * (Base(1) - 2 * s))
    }
    public static func softplus(_ x: HyperDual) -> HyperDual {
        let s = Base.sigmoid(x.a)
        return x.chain(Base.softplus(x.a), s, s * (Base(1) - s))
    }
    public static func integerPower(_ x: HyperDual, _ n: Int) -> HyperDual {
        switch n {
        case 0: return HyperDual(1)
        case 1: return x
        default:
            let nd = Double(n)
            return x.chain(
                Base.integerPower(x.a, n), nd * Base.integerPower(x.a, n - 1),
                (nd * (nd - 1)) * Base.integerPower(x.a, n - 2))
        }
    }
    public static func realPower(_ x: HyperDual, _ p: Double) -> HyperDual {
        x.chain(Base.realPower(x.a, p), p * Base.realPower(x.a, p - 1), (p * (p - 1)) * Base.realPower(x.a, p - 2))
    }

    public static func solveLinear(_ m: [HyperDual], size n: Int, rhs: [[HyperDual]], factors: LUFactors?)
        -> [[HyperDual]]
    {
        LinearSolve.solve(m, size: n, rhs: rhs)
    }
}

extension HyperDual: Sendable {}
