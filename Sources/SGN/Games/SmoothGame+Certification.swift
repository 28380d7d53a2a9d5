import Foundation

/// The equilibrium of a smooth game as found by `SmoothGame.solveEquilibrium`.
public struct SmoothEquilibrium: Sendable {
    public var point: [Double]
    /// Natural-map residual `‖x − P(x − F(x))‖∞`.
    public var residual: Double
    public var tolerance: Double
    public var method: String
    public var converged: Bool { residual <= tolerance }
}

/// Equilibrium (projected Newton with an active set, projected Euler as fallback), and what a
/// smooth game tells the shared pipeline: Jacobians proven on the region box, its dynamics, its
/// basin (docs/smooth-games.md).
extension SmoothGame {
    /// Newton iterations at most.
    static let newtonIterations = Limits.smoothNewtonIterations
    /// Absolute equilibrium tolerance on the natural-map residual, times `max(1, ‖F(x₀)‖∞)`.
    static let equilibriumTolerance = Tolerance.smoothEquilibriumRelative

    /// The start: per coordinate 0 clamped into the bounds, or the middle of two bounds.
    func startPoint() -> [Double] {
        let lo = lowerBounds
        let hi = upperBounds
        return lo.indices.map { k in
            if lo[k].isFinite, hi[k].isFinite { return lo[k] / 2 + hi[k] / 2 }
            return min(max(0, lo[k]), hi[k])
        }
    }

    func solveEquilibrium() -> SmoothEquilibrium {
        var x = startPoint()
        let lo = lowerBounds
        let hi = upperBounds
        let n = x.count
        let f0 = pseudoGradient(x).reduce(0) { max($0, abs($1)) }
        let tolerance = SmoothGame.equilibriumTolerance * max(1, f0.isFinite ? f0 : 1)
        var r = naturalResidual(x)
        var fallbacks = 0
        for _ in 0..<SmoothGame.newtonIterations where r > tolerance {
            let f = pseudoGradient(x)
            // Active set: at a bound with the gradient pushing outward.
            let free = (0..<n).filter { k in !((x[k] <= lo[k] && f[k] > 0) || (x[k] >= hi[k] && f[k] < 0)) }
            let jac: [Double] = jacobian(x)
            var step = [Double](repeating: 0, count: n)
            if !free.isEmpty {
                var a = Matrix(rows: free.count, cols: free.count)
                for (p, u) in free.enumerated() { for (q, v) in free.enumerated() { a[p, q] = jac[u * n + v] } }
                if let d = LAPACK.solve(a, free.map { -f[$0] }), d.allSatisfy(\.isFinite) {
                    for (p, u) in free.enumerated() { step[u] = d[p] }
                }
            }
            var accepted = false
            var t = 1.0
            for _ in 0..<30 where step.contains(where: { $0 != 0 }) {
                let y = project((0..<n).map { x[$0] + t * step[$0] })
                let ry = naturalResidual(y)
                if ry < r {
                    x = y
                    r = ry
                    accepted = true
                    break
                }
                t /= 2
            }
            if !accepted {
                // Fallback: projected Euler on the dynamics with a step below 1/‖J(x)‖_F.
                fallbacks += 1
                let norm = jac.reduce(0) { $0 + $1 * $1 }.squareRoot()
                let h = 0.5 / max(norm, 1e-12)
                for _ in 0..<200 {
                    let g = pseudoGradient(x)
                    let y = project((0..<n).map { x[$0] - h * g[$0] })
                    guard y.allSatisfy(\.isFinite) else { break }
                    x = y
                }
                r = naturalResidual(x)
            }
        }
        let method =
            "projected Newton with active set" + (fallbacks > 0 ? " and \(fallbacks) rounds of projected Euler" : "")
        return SmoothEquilibrium(point: x, residual: r.isNaN ? .infinity : r, tolerance: tolerance, method: method)
    }
}

extension SmoothGame: Game, GameDynamics, BoxEnclosable {
    public var kind: String { "smooth" }
    public var playerNames: [String] { players.map(\.name) }
    public var dims: [Int] { players.map(\.dim) }
    public var geometry: String? { nil }
    public var region: RegionReport {
        switch regionSpec {
        case let .radius(r): .variableBox(radius: r, center: .equilibrium)
        case .box, .bounds: .variableBox(radius: nil, center: .given)
        }
    }

    public func jacobians() throws -> JacobianSet {
        let none = Estimation.sampled(count: 0, seed: proofSettings.seed, method: .regionNotExaminable)
        guard solution.converged else {
            throw GameNotCertifiable(
                reason:
                    "the equilibrium was not found: the best point has natural-map "
                    + "residual \(JSONWriter.format(solution.residual)), above the "
                    + "tolerance \(JSONWriter.format(solution.tolerance)) (\(solution.method))",
                estimation: none)
        }
        guard zip(regionBox, solution.point).allSatisfy({ $0.contains($1) }) else {
            throw GameNotCertifiable(reason: "the equilibrium found lies outside the region", estimation: none)
        }
        return BoxProof.jacobianSet(self, settings: proofSettings)
    }

    /// For `verify`: nil when the constants are proven; when the proof fell back to sampling,
    /// Jacobians at 4× as many points drawn with an independent seed.
    public func independentJacobians() throws -> JacobianSet? {
        guard case .sampled = try jacobians().estimation else { return nil }
        var settings = proofSettings
        settings.seed = MarkovGame.independentSeed(settings.seed)
        settings.samples *= 4
        return BoxProof.sampled(self, settings: settings, purpose: .independentCheck)
    }

    public func jacobianEnclosure(on box: [Interval]) -> [Interval] { jacobian(box) }
    public func jacobianAt(_ x: [Double]) -> [Double] { jacobian(x) }
    public var regionAnchor: [Double] { solution.point }

    public func equilibrium(certifiedStep step: Double?) -> Equilibrium? {
        Equilibrium(point: split(solution.point), residual: solution.residual)
    }

    /// The natural-map residual the certificate states (no tolerance: whether the point is close
    /// enough is `equilibrium`'s and the fixed-point check's question).
    public func equilibriumResidual(at x: [Double]) -> (residual: Double, tolerance: Double?)? {
        x.count == dims.reduce(0, +) ? (naturalResidual(x), nil) : nil
    }

    /// Largest max-norm radius b around x* whose starts stay in the region under dynamics that
    /// contract in the certificate's metric `‖δ‖²_W = Σ_i w_i ‖δ_i‖²`: the W-ball of radius
    /// `ρ = min_k √w_{i(k)} · slack_k` (slack_k: distance of x*_k to the region's faces that are
    /// not players' bounds) meets the feasible set inside the region, and `‖δ‖∞ ≤ b` gives
    /// `‖δ‖_W ≤ b √(Σ_i w_i d_i)`; so `b = ρ / √(Σ_i w_i d_i)`.
    public func basinRadius(weights w: [Double]) -> Double? {
        guard solution.converged else { return nil }
        return basin(weights: w, ballRadius: regionBallRadius(weights: w), displacement: 0)
    }

    /// The basin when x̂ is only computed: the certified projected Euler map `T(x) = P(x − hF(x))`
    /// contracts by q in the W-norm on the region (the box projection is W-non-expansive for a
    /// diagonal W), so on the W-ball `B(x̂, δ)` with `δ = ‖T(x̂) − x̂‖_W / (1 − q)` it maps the
    /// ball into itself and has its unique fixed point x* there (Banach) — provided the ball lies
    /// in the region. Starts within `‖x₀ − x̂‖_W ≤ s` stay within `s + 2δ` of x̂, so the basin's
    /// W-radius is `ρ − 2δ` (docs/smooth-games.md, "Equilibrium").
    public func basinRadius(weights w: [Double], step h: Double, factor q: Double) -> Result<Double?, BasinFailure> {
        guard solution.converged else { return .success(nil) }
        let rho = regionBallRadius(weights: w)
        // The region is the feasible box: T maps it into itself, so x* exists in it.
        if rho == .infinity { return .success(basinRadius(weights: w)) }
        let x = solution.point
        let f = pseudoGradient(x)
        let stepped = project(zip(x, f).map { $0 - h * $1 })
        let moved = metricNorm(zip(stepped, x).map { $0 - $1 }, weights: w)
        // What rounding alone makes of `T(x̂) − x̂` (a few ulps of |x̂_k| + h|F_k| per coordinate):
        // a step no larger than that says x̂ is a fixed point to working precision, as for games
        // whose equilibrium is solved directly, and the basin is not shrunk.
        let noise = Tolerance.existenceSlack * metricNorm(zip(x, f).map { abs($0) + h * abs($1) }, weights: w)
        if moved <= noise { return .success(basin(weights: w, ballRadius: rho, displacement: 0)) }
        let delta = q < 1 ? (moved + noise) / (1 - q) : .infinity
        guard delta.isFinite, delta < rho else {
            return .failure(
                BasinFailure(
                    reason:
                        "no equilibrium shown in the region: one certified Euler step from the computed point "
                        + "(residual \(JSONWriter.format(solution.residual))) moves it by "
                        + "\(JSONWriter.format(moved)) in the certificate's metric, so the fixed point may be up to "
                        + "\(JSONWriter.format(delta)) away, beyond the region's \(JSONWriter.format(rho))"))
        }
        return .success(basin(weights: w, ballRadius: rho, displacement: delta))
    }

    /// The W-radius ρ of the largest ball around x̂ inside the region, counting only faces that
    /// are not players' bounds (a face on a bound is never crossed: dynamics and starts are
    /// projected onto the bounds); ∞ when the region is the feasible box.
    func regionBallRadius(weights w: [Double]) -> Double {
        var rho = Double.infinity
        let lo = lowerBounds
        let hi = upperBounds
        for (k, x) in solution.point.enumerated() {
            let below = regionBox[k].lower <= lo[k] ? Double.infinity : x - regionBox[k].lower
            let above = regionBox[k].upper >= hi[k] ? Double.infinity : regionBox[k].upper - x
            rho = min(rho, w[owner(of: k)].squareRoot() * min(below, above))
        }
        return rho
    }

    /// The max-norm basin radius for a W-ball of radius ρ around x̂ whose fixed point may be δ away.
    func basin(weights w: [Double], ballRadius rho: Double, displacement delta: Double) -> Double? {
        if rho == .infinity {
            // The region is the feasible box: every feasible start is covered.
            return zip(regionBox, solution.point).reduce(0.0) { max($0, $1.1 - $1.0.lower, $1.0.upper - $1.1) }
        }
        let spread = players.indices.reduce(0.0) { $0 + w[$1] * Double(players[$1].dim) }
        let room = rho - 2 * delta
        guard room.isFinite, room > 0, spread > 0 else { return nil }
        return room / spread.squareRoot()
    }

    // MARK: dynamics

    public var stateDimension: Int { totalDimension }
    public func field(_ x: [Double]) -> [Double] { pseudoGradient(x) }
    public var isConstrained: Bool { players.contains { $0.lower != nil || $0.upper != nil } }

    public func project(_ x: [Double]) -> [Double] {
        guard isConstrained else { return x }
        let lo = lowerBounds
        let hi = upperBounds
        return x.indices.map { min(max(x[$0], lo[$0]), hi[$0]) }
    }

    public func metricNorm(_ dx: [Double], weights: [Double]) -> Double {
        var s = 0.0
        for (i, p) in players.enumerated() {
            for k in 0..<p.dim { s += weights[i] * dx[offsets[i] + k] * dx[offsets[i] + k] }
        }
        return s.squareRoot()
    }

    public func equilibriumState(certifiedStep: Double?) -> [Double]? {
        solution.converged ? solution.point : nil
    }
}
