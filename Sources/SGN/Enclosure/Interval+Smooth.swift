import Foundation

/// The formula language's functions on intervals (smooth games, docs/smooth-games.md), built on
/// the outward-rounded primitives of `Interval.swift`; each is an enclosure of the function over
/// every point of the operand (or the entire line where the function is undefined on part of it).
extension Interval: SmoothScalar {
    public static func sine(_ x: Interval) -> Interval { sin(x) }
    public static func cosine(_ x: Interval) -> Interval { cos(x) }
    public static func hyperbolicTangent(_ x: Interval) -> Interval { tanh(x) }
    public static func logarithmOnePlus(_ x: Interval) -> Interval { log1p(x) }

    /// `xⁿ`; for n < 0 `1/x^|n|` (the entire line when x contains 0).
    public static func integerPower(_ x: Interval, _ n: Int) -> Interval {
        n >= 0 ? power(x, n) : Interval(1) / power(x, -n)
    }

    /// `xᵖ = exp(p·log x)` (monotone compositions, so an enclosure); the entire line when x has
    /// non-positive points.
    public static func realPower(_ x: Interval, _ p: Double) -> Interval {
        exp(Interval(p) * log(x))
    }

    /// `1/(1 + e^{−x})` is increasing: its values at the endpoints, each enclosed, and kept in [0, 1].
    public static func sigmoid(_ x: Interval) -> Interval {
        func at(_ v: Double) -> Interval {
            v >= 0
                ? Interval(1) / (Interval(1) + exp(Interval(-v))) : exp(Interval(v)) / (Interval(1) + exp(Interval(v)))
        }
        let lo = at(x.lower).lower
        let hi = at(x.upper).upper
        return Interval(lower: Swift.max(lo, 0), upper: Swift.min(hi, 1))
    }

    /// `log(1 + eˣ)` is increasing: the endpoints, evaluated without overflow as
    /// `v + log1p(e^{−v})` for v > 0.
    public static func softplus(_ x: Interval) -> Interval {
        func at(_ v: Double) -> Interval {
            v > 0 ? Interval(v) + log1p(exp(Interval(-v))) : log1p(exp(Interval(v)))
        }
        return Interval(lower: Swift.max(at(x.lower).lower, 0), upper: at(x.upper).upper)
    }
}
