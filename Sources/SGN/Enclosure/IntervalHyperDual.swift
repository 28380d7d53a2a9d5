/// A second-order dual number with interval parts, `v + a·ε₁ + b·ε₂ + c·ε₁ε₂` (`ε₁² = ε₂² = 0`):
/// evaluating a `GradientScalar` function at `(X, u, e, 0)` over a box X encloses, for every x
/// of X, `f(x)`, `f′(x)u`, `f′(x)e` and the mixed second derivative `f″(x)[u, e]` — the
/// derivative of a Jacobian column along e, which the mean-value form of a Jacobian enclosure
/// needs (docs/enclosures.md). Each rule is the exact second-order rule evaluated in interval
/// arithmetic, so containment holds pointwise as for `IntervalDual`.
public struct IntervalHyperDual: GradientScalar, Equatable {
    public var real: Interval
    public var first: Interval
    public var second: Interval
    public var mixed: Interval

    public init(_ value: Double) {
        self.init(Interval(value))
    }

    public init(
        _ real: Interval, first: Interval = Interval(0), second: Interval = Interval(0), mixed: Interval = Interval(0)
    ) {
        self.real = real
        self.first = first
        self.second = second
        self.mixed = mixed
    }

    public var value: Double { real.value }

    public static func + (x: IntervalHyperDual, y: IntervalHyperDual) -> IntervalHyperDual {
        IntervalHyperDual(
            x.real + y.real, first: x.first + y.first, second: x.second + y.second, mixed: x.mixed + y.mixed)
    }
    public static func - (x: IntervalHyperDual, y: IntervalHyperDual) -> IntervalHyperDual {
        IntervalHyperDual(
            x.real - y.real, first: x.first - y.first, second: x.second - y.second, mixed: x.mixed - y.mixed)
    }
    public static prefix func - (x: IntervalHyperDual) -> IntervalHyperDual {
        IntervalHyperDual(-x.real, first: -x.first, second: -x.second, mixed: -x.mixed)
    }
    public static func * (x: IntervalHyperDual, y: IntervalHyperDual) -> IntervalHyperDual {
        IntervalHyperDual(
            x.real * y.real, first: x.first * y.real + x.real * y.first,
            second: x.second * y.real + x.real * y.second,
            mixed: x.mixed * y.real + x.first * y.second + x.second * y.first + x.real * y.mixed)
    }
    public static func * (s: Double, x: IntervalHyperDual) -> IntervalHyperDual {
        IntervalHyperDual(s * x.real, first: s * x.first, second: s * x.second, mixed: s * x.mixed)
    }
    /// `x · (1/y)` with `(1/y)″[u,e] = −y″/y² + 2 y′u y′e / y³`; entire when y's real part contains 0.
    public static func / (x: IntervalHyperDual, y: IntervalHyperDual) -> IntervalHyperDual {
        let r = Interval(1) / y.real
        let r2 = Interval.square(r)
        let reciprocal = IntervalHyperDual(
            r, first: -(y.first * r2), second: -(y.second * r2),
            mixed: Interval(2) * (y.first * y.second) * (r2 * r) - y.mixed * r2)
        return x * reciprocal
    }
    public static func exponential(_ x: IntervalHyperDual) -> IntervalHyperDual {
        let e = Interval.exp(x.real)
        return IntervalHyperDual(e, first: e * x.first, second: e * x.second, mixed: e * (x.mixed + x.first * x.second))
    }
    public static func logarithm(_ x: IntervalHyperDual) -> IntervalHyperDual {
        let r = Interval(1) / x.real
        return IntervalHyperDual(
            Interval.log(x.real), first: x.first * r, second: x.second * r,
            mixed: x.mixed * r - (x.first * x.second) * Interval.square(r))
    }

    /// Differentiating `A x = b` twice: `x₀ = A₀⁻¹b₀`, `x₁ = A₀⁻¹(b₁ − A₁x₀)`, `x₂ = A₀⁻¹(b₂ − A₂x₀)`,
    /// `x₁₂ = A₀⁻¹(b₁₂ − A₁₂x₀ − A₁x₂ − A₂x₁)`, each an interval solve with A₀'s enclosure.
    public static func solveLinear(
        _ a: [IntervalHyperDual], size n: Int, rhs: [[IntervalHyperDual]],
        factors: LUFactors?
    ) -> [[IntervalHyperDual]] {
        let a0 = a.map(\.real)
        let entire = [IntervalHyperDual](
            repeating: IntervalHyperDual(.entire, first: .entire, second: .entire, mixed: .entire), count: n)
        func product(_ part: KeyPath<IntervalHyperDual, Interval>, _ x: [Interval], _ i: Int) -> Interval {
            (0..<n).reduce(Interval(0)) { $0 + a[i * n + $1][keyPath: part] * x[$1] }
        }
        return rhs.map { b in
            guard let x0 = IntervalLinearAlgebra.solve(a0, size: n, rhs: [b.map(\.real)])?[0],
                let x12 = IntervalLinearAlgebra.solve(
                    a0, size: n,
                    rhs: [
                        (0..<n).map { b[$0].first - product(\.first, x0, $0) },
                        (0..<n).map { b[$0].second - product(\.second, x0, $0) },
                    ])
            else { return entire }
            let x1 = x12[0]
            let x2 = x12[1]
            let rhsMixed = (0..<n).map { i in
                b[i].mixed - product(\.mixed, x0, i) - product(\.first, x2, i) - product(\.second, x1, i)
            }
            guard let xm = IntervalLinearAlgebra.solve(a0, size: n, rhs: [rhsMixed])?[0] else { return entire }
            return (0..<n).map { IntervalHyperDual(x0[$0], first: x1[$0], second: x2[$0], mixed: xm[$0]) }
        }
    }
}
