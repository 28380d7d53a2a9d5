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
}

extension Double: GradientScalar {
    public var value: Double { self }
    public static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    public static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
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

    @inlinable public static func + (a: Dual, b: Dual) -> Dual { Dual(a.value + b.value, tangent: a.tangent + b.tangent) }
    @inlinable public static func - (a: Dual, b: Dual) -> Dual { Dual(a.value - b.value, tangent: a.tangent - b.tangent) }
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
}
