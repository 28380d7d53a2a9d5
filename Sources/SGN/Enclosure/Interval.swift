import Foundation

/// A closed interval `[lower, upper]` of reals with outward rounding: every operation returns an
/// interval that contains the exact result of the operation applied to every pair of points of
/// its operands (docs/enclosures.md). It is a `GradientScalar`, so code written over that
/// protocol (the Markov pseudo-gradient) runs on it unchanged and returns enclosures.
///
/// Rounding model (IEEE double, round to nearest, the platform default):
/// - `+ − × ÷` and `squareRoot` are correctly rounded by IEEE 754, so the exact result lies
///   between the neighbours of the computed one: each endpoint is moved one ulp outward
///   (`nextDown` / `nextUp`).
/// - `exp`, `log`, `log1p`, `sin`, `cos`, `tanh` come from the C library, which does not promise
///   correct rounding: each endpoint is moved `libraryUlps` ulps outward (`Interval.libraryUlps`),
///   and the functions are evaluated at the endpoints only where they are monotone; sine and
///   cosine add ±1 when a critical point may lie inside.
/// - Anything undefined on part of the operand (a divisor containing 0, a logarithm of a
///   non-positive number, a root of a negative one) and any NaN gives the entire line
///   `[−∞, ∞]`, which no later check can accept: proofs fail, they never pass by accident.
public struct Interval: Sendable, Equatable, CustomStringConvertible {
    public var lower: Double
    public var upper: Double

    /// Outward widening, in ulps per endpoint, of the C library's `exp`, `log`, `log1p`, `sin`,
    /// `cos`, `tanh` (their documented maximal errors are below 2 ulps on the platforms built for).
    public static let libraryUlps = 4

    /// The exact interval (no widening): the caller vouches that `lower ≤ upper` are exact bounds.
    @inlinable public init(lower: Double, upper: Double) {
        if lower.isNaN || upper.isNaN || lower > upper {
            self.lower = -.infinity
            self.upper = .infinity
        } else {
            self.lower = lower
            self.upper = upper
        }
    }

    /// The point interval of a double (exact: a double is a real number).
    @inlinable public init(_ value: Double) { self.init(lower: value, upper: value) }

    public static let entire = Interval(lower: -.infinity, upper: .infinity)

    /// The midpoint (rounded), the representative point used for pivoting and shifts.
    public var value: Double {
        if lower.isInfinite || upper.isInfinite {
            return lower.isInfinite && upper.isInfinite ? 0 : (lower.isInfinite ? upper : lower)
        }
        let m = lower / 2 + upper / 2
        return Swift.min(Swift.max(m, lower), upper)
    }
    /// An upper bound on the half-width (so that `[value − radius, value + radius]` ⊇ self).
    public var radius: Double {
        let m = value
        return Swift.max((m - lower).nextUp, (upper - m).nextUp)
    }
    public var width: Double { (upper - lower).nextUp }
    /// Largest absolute value of a point of the interval.
    public var magnitude: Double { Swift.max(abs(lower), abs(upper)) }
    /// Smallest absolute value of a point of the interval.
    public var mignitude: Double { contains(0) ? 0 : Swift.min(abs(lower), abs(upper)) }
    public var isFinite: Bool { lower.isFinite && upper.isFinite }

    public func contains(_ x: Double) -> Bool { lower <= x && x <= upper }
    public func contains(_ other: Interval) -> Bool { lower <= other.lower && other.upper <= upper }

    /// The smallest interval containing both.
    public func hull(_ other: Interval) -> Interval {
        Interval(lower: Swift.min(lower, other.lower), upper: Swift.max(upper, other.upper))
    }
    /// The intersection, nil when empty.
    public func intersection(_ other: Interval) -> Interval? {
        let lo = Swift.max(lower, other.lower)
        let hi = Swift.min(upper, other.upper)
        return lo <= hi ? Interval(lower: lo, upper: hi) : nil
    }

    public var description: String { "[\(lower), \(upper)]" }

    // MARK: outward rounding

    /// `[lo.nextDown, hi.nextUp]` applied `ulps` times; NaN gives the entire line.
    @inlinable static func widened(_ lo: Double, _ hi: Double, ulps: Int = 1) -> Interval {
        if lo.isNaN || hi.isNaN { return .entire }
        var a = lo
        var b = hi
        for _ in 0..<ulps {
            a = a.nextDown
            b = b.nextUp
        }
        return Interval(lower: a, upper: b)
    }

    // MARK: arithmetic

    @inlinable public static func + (a: Interval, b: Interval) -> Interval {
        widened(a.lower + b.lower, a.upper + b.upper)
    }
    @inlinable public static func - (a: Interval, b: Interval) -> Interval {
        widened(a.lower - b.upper, a.upper - b.lower)
    }
    @inlinable public static prefix func - (x: Interval) -> Interval { Interval(lower: -x.upper, upper: -x.lower) }

    public static func * (a: Interval, b: Interval) -> Interval {
        // 0·∞ would be NaN: a zero endpoint times anything is 0 here (exact for finite
        // operands; an infinite endpoint only appears in the entire interval).
        func p(_ x: Double, _ y: Double) -> Double { (x == 0 || y == 0) ? 0 : x * y }
        let c = [p(a.lower, b.lower), p(a.lower, b.upper), p(a.upper, b.lower), p(a.upper, b.upper)]
        return widened(c.min()!, c.max()!)
    }

    @inlinable public static func * (s: Double, x: Interval) -> Interval { Interval(s) * x }

    /// Division; the entire line when the divisor contains 0.
    public static func / (a: Interval, b: Interval) -> Interval {
        guard !b.contains(0) else { return .entire }
        let c = [a.lower / b.lower, a.lower / b.upper, a.upper / b.lower, a.upper / b.upper]
        return widened(c.min()!, c.max()!)
    }

    /// `x²`, using that the square is even (tighter than `x * x` when x contains 0).
    public static func square(_ x: Interval) -> Interval {
        let lo = x.mignitude
        let hi = x.magnitude
        let r = widened(lo * lo, hi * hi)
        return Interval(lower: Swift.max(r.lower, 0), upper: r.upper)
    }

    /// `xⁿ` for a whole `n ≥ 0` by repeated squaring of the magnitude range (even powers are
    /// non-negative, odd powers monotone).
    public static func power(_ x: Interval, _ n: Int) -> Interval {
        precondition(n >= 0)
        if n == 0 { return Interval(1) }
        if n == 1 { return x }
        if n % 2 == 0 { return power(square(x), n / 2) }
        // Odd: monotone increasing, so the endpoints' powers, each computed in interval arithmetic.
        func pos(_ v: Double) -> Interval {  // enclosure of v^n for one double v
            var result = Interval(1)
            var base = Interval(v)
            var k = n
            while k > 0 {
                if k & 1 == 1 { result = result * base }
                base = base * base
                k >>= 1
            }
            return result
        }
        return Interval(lower: pos(x.lower).lower, upper: pos(x.upper).upper)
    }

    /// `√x`; the entire line when x has negative points.
    public static func squareRoot(_ x: Interval) -> Interval {
        guard x.lower >= 0 else { return .entire }
        let r = widened(x.lower.squareRoot(), x.upper.squareRoot())
        return Interval(lower: Swift.max(r.lower, 0), upper: r.upper)
    }

    // MARK: library functions (monotone: endpoints, widened by `libraryUlps`)

    public static func exp(_ x: Interval) -> Interval {
        let r = widened(Foundation.exp(x.lower), Foundation.exp(x.upper), ulps: libraryUlps)
        return Interval(lower: Swift.max(r.lower, 0), upper: r.upper)
    }

    /// `log x`; the entire line when x has non-positive points.
    public static func log(_ x: Interval) -> Interval {
        guard x.lower > 0 else { return .entire }
        return widened(Foundation.log(x.lower), Foundation.log(x.upper), ulps: libraryUlps)
    }

    /// `log(1 + x)`; the entire line when x has points ≤ −1.
    public static func log1p(_ x: Interval) -> Interval {
        guard x.lower > -1 else { return .entire }
        return widened(Foundation.log1p(x.lower), Foundation.log1p(x.upper), ulps: libraryUlps)
    }

    public static func tanh(_ x: Interval) -> Interval {
        let r = widened(Foundation.tanh(x.lower), Foundation.tanh(x.upper), ulps: libraryUlps)
        return Interval(lower: Swift.max(r.lower, -1), upper: Swift.min(r.upper, 1))
    }

    /// Arguments beyond this magnitude get `[−1, 1]` from `sin`/`cos` (the location of the
    /// critical points is then not resolved reliably in double).
    static let trigonometricLimit = 0x1p20

    public static func sin(_ x: Interval) -> Interval { sine(x, phase: 0) }
    /// `cos x = sin(x + π/2)` for the location of critical points; values from `cos` itself.
    public static func cos(_ x: Interval) -> Interval { sine(x, phase: 1) }

    /// sin (phase 0) or cos (phase 1): maxima at `π/2 + 2kπ` (sin) / `2kπ` (cos), minima half a
    /// period later. A critical point that may lie in the interval (tested with a margin that
    /// covers the rounding of π and of the arithmetic) adds the extreme value ±1.
    private static func sine(_ x: Interval, phase: Int) -> Interval {
        let unit = Interval(lower: -1, upper: 1)
        guard x.isFinite, x.magnitude <= trigonometricLimit, x.upper - x.lower < 2 * Double.pi else { return unit }
        let a = phase == 0 ? Foundation.sin(x.lower) : Foundation.cos(x.lower)
        let b = phase == 0 ? Foundation.sin(x.upper) : Foundation.cos(x.upper)
        var r = widened(Swift.min(a, b), Swift.max(a, b), ulps: libraryUlps)
        // Critical points c = offset + kπ; even k a maximum, odd k a minimum.
        let offset = phase == 0 ? Double.pi / 2 : 0
        let margin = 1e-12 * Swift.max(1, x.magnitude)
        let kLow = ((x.lower - margin - offset) / Double.pi).rounded(.up)
        let kHigh = ((x.upper + margin - offset) / Double.pi).rounded(.down)
        if kLow <= kHigh {
            var k = kLow
            while k <= kHigh {
                if Int(k) & 1 == 0 { r.upper = 1 } else { r.lower = -1 }
                k += 1
            }
        }
        return Interval(lower: Swift.max(r.lower, -1), upper: Swift.min(r.upper, 1))
    }
}

extension Interval: GradientScalar {
    public static func exponential(_ x: Interval) -> Interval { exp(x) }
    public static func logarithm(_ x: Interval) -> Interval { log(x) }

    /// An enclosure of the solutions of `A x = b` for every A and b in the intervals
    /// (`IntervalLinearAlgebra.solve`); the entire line when non-singularity is not proven.
    /// `factors` (of a floating-point matrix) are not used: the proof forms its own inverse.
    public static func solveLinear(_ a: [Interval], size n: Int, rhs: [[Interval]], factors: LUFactors?) -> [[Interval]]
    {
        IntervalLinearAlgebra.solve(a, size: n, rhs: rhs)
            ?? rhs.map { _ in [Interval](repeating: .entire, count: n) }
    }
}
