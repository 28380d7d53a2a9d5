/// One step of a numerical method for the certified dynamics `ẋ = −field(x)` on any
/// `GameDynamics` (docs/method.md, The picture).
public enum Integrator: String, Sendable, CaseIterable {
    /// Projected Euler: `x⁺ = Π(x − h·field(x))`.
    case euler
    /// Classical RK4 on `ẋ = −field(x)`, the result projected once at the end of the step (the
    /// intermediate stages are not projected; for unconstrained games `Π` is the identity).
    case rk4

    /// The state after one step of size `h` from `x`.
    public func step(_ dynamics: any GameDynamics, _ x: [Double], h: Double) -> [Double] {
        switch self {
        case .euler:
            let f = dynamics.field(x)
            return dynamics.project(zip(x, f).map { $0 - h * $1 })
        case .rk4:
            let k1 = dynamics.field(x)
            let k2 = dynamics.field(Self.axpy(x, -h / 2, k1))
            let k3 = dynamics.field(Self.axpy(x, -h / 2, k2))
            let k4 = dynamics.field(Self.axpy(x, -h, k3))
            var y = x
            for k in y.indices { y[k] -= h / 6 * (k1[k] + 2 * k2[k] + 2 * k3[k] + k4[k]) }
            return dynamics.project(y)
        }
    }

    /// `x + a·v`.
    static func axpy(_ x: [Double], _ a: Double, _ v: [Double]) -> [Double] {
        var y = x
        for k in y.indices { y[k] += a * v[k] }
        return y
    }
}
