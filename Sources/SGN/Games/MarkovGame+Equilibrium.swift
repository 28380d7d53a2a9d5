import Foundation

/// The regularised (quantal-response) equilibrium of a Markov game, as computed.
public struct MarkovEquilibrium: Sendable {
    /// Raw logits, centred: each player's logits in each state sum to zero.
    public var logits: [Double]
    /// The logit fixed-point residual at `logits` (`MarkovGame.logitResidual`): in logits, how
    /// far θ is from the logit response to the play it describes. It does not vanish at the
    /// simplex boundary, unlike ‖F‖.
    public var residual: Double
    /// The residual the solution had to reach (`MarkovGame.residualTolerance`).
    public var tolerance: Double
    /// How it was found (for diagnostics and the not-certified reason).
    public var method: String
    /// Which equilibrium it is: `principal` (continued from τ = ∞), `given` (the one Newton
    /// reaches from `region.center`), `unidentified` (found by a fallback; a QRE, branch unknown)
    /// or `other` (a further QRE of `--equilibria all`).
    public var branch: String

    public var converged: Bool { residual <= tolerance }
}

/// The logit fixed-point form of the equilibrium condition, and the solvers built on it.
///
/// Write `Q̄_i(s,b) = Σ_{a: a_i = b} π_{−i}(a_{−i}|s) Q_i(s,a)` (player i's action value of b
/// against the others' current play). Then `F_i(s,b) = τ π_i(b|s) H_i(s,b)` with
///
///     H_i(s,b) = log π_i(b|s) + H(π_i(·|s)) − d(s) (Q̄_i(s,b) − V_i(s)) / τ
///              = θ_i(s,b) − d(s) Q̄_i(s,b)/τ + (a constant per player and state),
///
/// so θ* is an equilibrium exactly when every `H_i(s,·)` is constant, i.e. θ_i(s,·) equals the
/// logit response `d(s)Q̄_i(s,·)/τ` up to a shift. The residual is the ∞-distance, up to that
/// shift, between the two: `max_{i,s} (max_b H_i(s,b) − min_b H_i(s,b))/2`, in logits. Unlike
/// F it carries no factor π, so it cannot be made small by driving a logit to ±∞. The natural
/// policy gradient field is `τ(H − mean_b H)` per player and state exactly.
extension MarkovGame {
    /// `max(1, max|R| / ((1 − γ)τ))`: the size of the response logits `d Q̄/τ`.
    public var logitScale: Double {
        let r = rewards.lazy.flatMap { $0 }.reduce(0) { max($0, abs($1)) }
        return max(1, r / ((1 - discount) * temperature))
    }

    /// The residual the equilibrium must reach: `residualRelative · logitScale` logits.
    public var residualTolerance: Double { MarkovGame.residualRelative * logitScale }

    /// Relative tolerance of the logit fixed-point residual (exactly 1e-10 logits when
    /// max|R| ≤ (1 − γ)τ).
    public static let residualRelative = Tolerance.equilibriumResidual

    /// Per raw logit (player, state, action): `e = log π_i(b|s) + H(π_i(·|s))` and
    /// `a = d(s)(Q̄_i(s,b) − V_i(s))`; `H = e − a/τ`. Generic, so that dual numbers give exact
    /// derivatives. `Q̄` is formed from the other players' probabilities directly (no division
    /// by π_i), so it stays accurate when π_i(b|s) is tiny.
    func responseTerms<T: GradientScalar>(_ theta: [T], factors: SystemFactors? = nil) -> (entropy: [T], payoff: [T]) {
        let ns = layout.stateCount
        let n = players.count
        let ev = evaluate(theta, factors: factors)
        let zero = T(0)
        let qBar = opponentActionValues(ev)
        var e = [T](repeating: zero, count: layout.rawCount)
        var pay = e
        for i in 0..<n {
            let na = players[i].actions
            let o = layout.rawOffsets[i]
            for s in 0..<ns {
                let entropy = ev.entropy(player: i, state: s, actions: na)
                let d = ev.occupancy[s]
                let v = ev.values[i][s]
                for b in 0..<na {
                    e[o + s * na + b] = ev.logPolicies[i][s * na + b] + entropy
                    pay[o + s * na + b] = d * (qBar[i][s * na + b] - v)
                }
            }
        }
        return (e, pay)
    }

    /// `Q̄_i(s,b) = Σ_{a: a_i = b} π_{−i}(a_{−i}|s) Q_i(s,a)` per player at `s·A_i + b`, from the
    /// other players' probabilities directly (prefix and suffix products, no division by π_i).
    func opponentActionValues<T: GradientScalar>(_ ev: Evaluation<T>) -> [[T]] {
        let ns = layout.stateCount
        let nj = layout.jointCount
        let n = players.count
        let zero = T(0)
        let one = T(1)
        var qBar = players.map { [T](repeating: zero, count: ns * $0.actions) }
        var prefix = [T](repeating: one, count: n + 1)
        var suffix = prefix
        for s in 0..<ns {
            for a in 0..<nj {
                for i in 0..<n {
                    prefix[i + 1] = prefix[i] * ev.policies[i][s * players[i].actions + layout.actionOf[a * n + i]]
                }
                suffix[n] = one
                for i in stride(from: n - 1, through: 0, by: -1) {
                    suffix[i] = suffix[i + 1] * ev.policies[i][s * players[i].actions + layout.actionOf[a * n + i]]
                }
                for i in 0..<n {
                    let qValue = actionValue(player: i, state: s, joint: a, values: ev.values[i])
                    let k = s * players[i].actions + layout.actionOf[a * n + i]
                    qBar[i][k] = qBar[i][k] + (prefix[i] * suffix[i + 1]) * qValue
                }
            }
        }
        return qBar
    }

    /// The natural policy gradient field, generically (values on `Double`, Jacobian columns on
    /// `Dual`, enclosures on the interval scalars): per player and state,
    /// `G_i(s,b) = τ(H_i(s,b) − mean_b H_i(s,·)) = τ(θ_i(s,b) − mean θ_i(s,·)) − d(s)(Q̄_i(s,b) − mean Q̄_i(s,·))`
    /// (`log π_b − mean log π = θ_b − mean θ`, and V cancels in the difference). It equals
    /// `U F̃(θ)⁻¹ Uᵀ F(θ)` wherever every probability is positive, needs no Fisher solve and no
    /// logarithm, and is defined (and smooth) at every θ.
    public func naturalGradient<T: GradientScalar>(_ theta: [T], factors: SystemFactors? = nil) -> [T] {
        let ns = layout.stateCount
        let ev = evaluate(theta, factors: factors)
        let qBar = opponentActionValues(ev)
        var g = [T](repeating: T(0), count: layout.rawCount)
        for i in players.indices {
            let na = players[i].actions
            let o = layout.rawOffsets[i]
            let count = T(Double(na))
            for s in 0..<ns {
                var meanTheta = T(0)
                var meanQ = T(0)
                for b in 0..<na {
                    meanTheta = meanTheta + theta[o + s * na + b]
                    meanQ = meanQ + qBar[i][s * na + b]
                }
                meanTheta = meanTheta / count
                meanQ = meanQ / count
                let d = ev.occupancy[s]
                for b in 0..<na {
                    let own = temperature * (theta[o + s * na + b] - meanTheta)
                    g[o + s * na + b] = own - d * (qBar[i][s * na + b] - meanQ)
                }
            }
        }
        return g
    }

    /// `H = e − a/τ` per raw logit (see the type's documentation).
    public func logitResidualVector(_ theta: [Double], temperature tau: Double? = nil) -> [Double] {
        let tau = tau ?? temperature
        let (e, a) = responseTerms(theta)
        return zip(e, a).map { $0 - $1 / tau }
    }

    /// The logit fixed-point residual `max_{i,s} (max_b H − min_b H)/2` at θ (infinity when it
    /// is not finite).
    public func logitResidual(at theta: [Double], temperature tau: Double? = nil) -> Double {
        quotientNorm(logitResidualVector(theta, temperature: tau))
    }

    /// `max_{i,s}` of half the spread of a raw vector's block.
    func quotientNorm(_ v: [Double]) -> Double {
        var r = 0.0
        for i in players.indices {
            for s in 0..<layout.stateCount {
                let q = SoftmaxGeometry.quotientMaxNorm(v[layout.logitRange(player: i, state: s)])
                guard q.isFinite else { return .infinity }
                r = max(r, q)
            }
        }
        return r
    }

    /// The natural policy gradient field `τ(H − mean_b H)` per player and state, from the
    /// closed form (`naturalGradient`: no Fisher solve, so no rounding amplified by 1/π_min).
    func naturalField(_ theta: [Double]) -> [Double] { naturalGradient(theta) }

    /// At θ: the tangent Jacobians `Uᵀ(∂e/∂θ)U` and `Uᵀ(∂a/∂θ)U` combined as `∂e − w·∂a`, and the
    /// tangent vectors `Uᵀe`, `Uᵀa` (one dual evaluation per tangent direction).
    func responseJacobian(at theta: [Double], weight w: Double) -> (jacobian: Matrix, e: [Double], a: [Double]) {
        let m = layout.tangentCount
        var jac = Matrix(rows: m, cols: m)
        var point = theta.map { Dual($0) }
        let factors = discount == 0 ? nil : SystemFactors(system: evaluate(theta).system, size: layout.stateCount)
        let (e0, a0) = responseTerms(theta, factors: factors)
        for j in players.indices {
            let u = layout.bases[j]
            for s in 0..<layout.stateCount {
                let raw = layout.logitRange(player: j, state: s)
                let tan = layout.tangentRange(player: j, state: s)
                for k in 0..<(players[j].actions - 1) {
                    for (r, idx) in raw.enumerated() { point[idx].tangent = u[r, k] }
                    let (de, da) = responseTerms(point, factors: factors)
                    let column = layout.toTangent(zip(de, da).map { $0.tangent - w * $1.tangent })
                    let c = tan.lowerBound + k
                    for r in 0..<m { jac[r, c] = column[r] }
                }
                for idx in raw { point[idx].tangent = 0 }
            }
        }
        return (jac, layout.toTangent(e0), layout.toTangent(a0))
    }
}

/// Finding the equilibrium (docs/markov-games.md, "Equilibrium θ*"): the principal branch by
/// pseudo-arclength continuation from τ = ∞ (the uniform policy) down to the game's τ, Newton
/// on the logit residual at the end; with `region.center` given, Newton from the centre first.
/// Fallbacks (Newton from the uniform policy, then from the best point seen) give an
/// equilibrium whose branch is `unidentified`. Every answer must reach the residual tolerance.
extension MarkovGame {
    func solveEquilibrium() -> MarkovEquilibrium {
        let origin = [Double](repeating: 0, count: layout.tangentCount)
        let tolerance = residualTolerance
        let budget = SolverBudget(jacobians: MarkovGame.equilibriumJacobianBudget)
        var best = (x: origin, residual: logitResidual(at: layout.fromTangent(origin)))
        func result(_ x: [Double], _ method: String, _ branch: String) -> MarkovEquilibrium {
            let theta = layout.fromTangent(x)
            return MarkovEquilibrium(
                logits: theta, residual: logitResidual(at: theta), tolerance: tolerance,
                method: method, branch: branch)
        }
        func consider(_ run: NewtonRun) {
            if run.residual < best.residual { best = (run.x, run.residual) }
        }

        // 0. Near a given centre.
        if let c = regionSpec.center {
            let run = newton(
                from: layout.toTangent(c), temperature: temperature, tolerance: tolerance,
                maxIterations: 60, budget: budget)
            consider(run)
            if run.converged {
                return result(run.x, "newton from region.center (\(run.iterations) iterations)", "given")
            }
        }
        // 1. The principal branch.
        if let traced = principalBranch(tolerance: tolerance, budget: budget) {
            consider(traced.run)
            if traced.run.converged {
                return result(
                    traced.run.x, "continuation from tau = infinity (\(traced.steps) steps) then newton", "principal")
            }
        }
        // 2. Fallbacks.
        for start in [origin, best.x] {
            let run = newton(
                from: start, temperature: temperature, tolerance: tolerance, maxIterations: 60, budget: budget)
            consider(run)
            if run.converged {
                return result(
                    run.x,
                    "newton from \(start == origin ? "the uniform policy" : "the best point of the continuation") "
                        + "(the continuation did not reach the game's temperature)",
                    "unidentified")
            }
        }
        return result(
            best.x,
            budget.remaining > 0
                ? "no method reached the tolerance"
                : "the solver's budget of \(MarkovGame.equilibriumJacobianBudget) Jacobian evaluations ran out",
            "unidentified")
    }

    /// Pseudo-arclength continuation of `G(x, p) = Uᵀ(e − (p/σ)·a/τ) = 0` from (0, 0) (the
    /// uniform policy is the only solution at p = 0) to p = σ, σ = `logitScale` (so x and p move
    /// on comparable scales). Tangent from the augmented Jacobian, Euler predictor, chord-Newton
    /// corrector with the Jacobian of the last accepted point (one Jacobian per step); a step is
    /// rejected and halved when the corrector does not contract or strays, and lengthened after
    /// quick acceptances. Once p passes σ, the point is interpolated to p = σ and Newton at the
    /// game's τ finishes. Nil when the path is lost or the budget runs out.
    func principalBranch(tolerance: Double, budget: SolverBudget) -> (run: NewtonRun, steps: Int)? {
        let m = layout.tangentCount
        let sigma = logitScale
        let c = 1 / (temperature * sigma)
        var x = [Double](repeating: 0, count: m)
        var p = 0.0
        var previous = [Double](repeating: 0, count: m + 1)
        previous[m] = 1
        var h = sigma / 16
        let hMax = sigma / 4
        let hMin = 1e-9 * sigma
        var steps = 0
        func g(_ x: [Double], _ p: Double) -> [Double] {
            let theta = layout.fromTangent(x)
            let (e, a) = responseTerms(theta)
            return layout.toTangent(zip(e, a).map { $0 - (p * c) * $1 })
        }
        while steps < 10_000, budget.spend() {
            let (jx, _, a) = responseJacobian(at: layout.fromTangent(x), weight: p * c)
            // Augmented matrix [[G_x, G_p], [tᵀ]] with G_p = −c·Uᵀa.
            func augmented(_ t: [Double]) -> Matrix {
                var aug = Matrix(rows: m + 1, cols: m + 1)
                for r in 0..<m {
                    for k in 0..<m { aug[r, k] = jx[r, k] }
                    aug[r, m] = -c * a[r]
                }
                for k in 0...m { aug[m, k] = t[k] }
                return aug
            }
            var rhs = [Double](repeating: 0, count: m + 1)
            rhs[m] = 1
            guard let z = LAPACK.solve(augmented(previous), rhs), z.allSatisfy(\.isFinite) else { return nil }
            let norm = z.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let t = z.map { $0 / norm }
            let chord = augmented(t)
            var accepted: (x: [Double], p: Double)? = nil
            while accepted == nil, h >= hMin {
                var y = (0..<m).map { x[$0] + h * t[$0] } + [p + h * t[m]]
                let predicted = y
                var lastStep = Double.infinity
                var ok = false
                for _ in 0..<8 {
                    var r = g(Array(y[0..<m]), y[m])
                    guard r.allSatisfy(\.isFinite) else { break }
                    r.append(zip(t, zip(y, predicted)).reduce(0) { $0 + $1.0 * ($1.1.0 - $1.1.1) })
                    guard let d = LAPACK.solve(chord, r.map { -$0 }), d.allSatisfy(\.isFinite) else { break }
                    let size = d.reduce(0) { max($0, abs($1)) }
                    if size > 0.5 * lastStep || size > 0.5 * h { break }
                    for k in 0...m { y[k] += d[k] }
                    lastStep = size
                    if size <= 1e-10 * max(1, y.reduce(0) { max($0, abs($1)) }) {
                        ok = true
                        break
                    }
                }
                if ok {
                    accepted = (Array(y[0..<m]), y[m])
                } else {
                    h /= 2
                }
            }
            guard let next = accepted else { return nil }
            steps += 1
            if next.p >= sigma {
                let s = (sigma - p) / (next.p - p)
                let start = (0..<m).map { x[$0] + s * (next.x[$0] - x[$0]) }
                let run = newton(
                    from: start, temperature: temperature, tolerance: tolerance, maxIterations: 30, budget: budget)
                return (run, steps)
            }
            x = next.x
            p = next.p
            previous = t
            h = min(hMax, 1.5 * h)
        }
        return nil
    }

    struct NewtonRun {
        var x: [Double]
        var residual: Double
        var iterations: Int
        var converged: Bool
    }

    /// Up to three further full Newton steps, each kept only if it lowers the residual: once
    /// inside the tolerance Newton converges quadratically, so this takes the residual to
    /// rounding level at little cost.
    func polish(_ run: NewtonRun, temperature tau: Double, budget: SolverBudget) -> NewtonRun {
        var best = run
        for _ in 0..<3 where budget.spend() {
            let theta = layout.fromTangent(best.x)
            let (jac, e, a) = responseJacobian(at: theta, weight: 1 / tau)
            let g = zip(e, a).map { $0 - $1 / tau }
            guard let d = LAPACK.solve(jac, g.map { -$0 }) else { break }
            let trial = zip(best.x, d).map { $0 + $1 }
            let r = logitResidual(at: layout.fromTangent(trial), temperature: tau)
            guard r < best.residual else { break }
            best.x = trial
            best.residual = r
        }
        return best
    }

    /// `‖Uᵀ H(U x)‖₂` at temperature τ (the merit function of Newton's line search).
    func tangentResidual(_ x: [Double], temperature tau: Double) -> Double {
        let g = layout.toTangent(logitResidualVector(layout.fromTangent(x), temperature: tau))
        let r = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return r.isFinite ? r : .infinity
    }

    /// Damped Newton on `Uᵀ H(U x) = 0` with backtracking on its 2-norm; a Levenberg–Marquardt
    /// step when the Newton direction does not decrease it. Converged when the logit residual
    /// (∞-type, see above) is within the tolerance. Steps are capped at 10·`logitScale` in the
    /// ∞-norm (logits).
    func newton(
        from start: [Double], temperature tau: Double, tolerance: Double, maxIterations: Int,
        budget: SolverBudget = SolverBudget()
    ) -> NewtonRun {
        var x = start
        var r = tangentResidual(x, temperature: tau)
        func honest(_ x: [Double]) -> Double { logitResidual(at: layout.fromTangent(x), temperature: tau) }
        let m = x.count
        let cap = 10 * logitScale
        for iteration in 0..<maxIterations {
            let q = honest(x)
            if q <= tolerance {
                return polish(
                    NewtonRun(x: x, residual: q, iterations: iteration, converged: true), temperature: tau,
                    budget: budget)
            }
            guard budget.spend() else { break }
            let theta = layout.fromTangent(x)
            let (jac, e, a) = responseJacobian(at: theta, weight: 1 / tau)
            let g = zip(e, a).map { $0 - $1 / tau }
            func capped(_ d: [Double]) -> [Double]? {
                guard d.allSatisfy(\.isFinite) else { return nil }
                let size = d.reduce(0) { max($0, abs($1)) }
                return size > cap ? d.map { $0 * cap / size } : d
            }
            func attempt(_ d: [Double], minimumStep: Double) -> Bool {
                var t = 1.0
                while t >= minimumStep {
                    let trial = (0..<m).map { x[$0] + t * d[$0] }
                    let rt = tangentResidual(trial, temperature: tau)
                    if rt < (1 - 1e-4 * t) * r || honest(trial) <= tolerance {
                        x = trial
                        r = rt
                        return true
                    }
                    t /= 2
                }
                return false
            }
            if let d = LAPACK.solve(jac, g.map { -$0 }).flatMap(capped), attempt(d, minimumStep: 1e-4) { continue }
            // Levenberg–Marquardt: (JᵀJ + λI) d = −Jᵀ g with growing λ.
            let jtj = jac.transposed * jac
            let jtg = jac.transposeTimes(g)
            var lambda = 1e-6 * max(1e-300, (0..<m).reduce(0) { $0 + jtj[$1, $1] } / Double(max(m, 1)))
            var moved = false
            for _ in 0..<12 {
                var am = jtj
                for k in 0..<m { am[k, k] += lambda }
                if let d = LAPACK.solve(am, jtg.map { -$0 }).flatMap(capped), attempt(d, minimumStep: 1e-3) {
                    moved = true
                    break
                }
                lambda *= 10
            }
            if !moved { break }
        }
        let q = honest(x)
        return NewtonRun(x: x, residual: q, iterations: maxIterations, converged: q <= tolerance)
    }

    /// Jacobian evaluations one equilibrium solve may spend (continuation steps, Newton
    /// iterations and polishing together), so its time is bounded; `MarkovLimits.maxWork`
    /// counts them.
    public static let equilibriumJacobianBudget = 300
    /// Plain evaluations `MarkovLimits.work` reserves for the continuation's chord corrector
    /// (up to 8 per attempted step) beyond the line searches.
    public static let correctorEvaluations = 5000
}

/// A count of the Jacobian evaluations an equilibrium solve may still spend (one solve, one
/// thread).
final class SolverBudget {
    private(set) var remaining: Int

    init(jacobians: Int = MarkovGame.equilibriumJacobianBudget) { remaining = jacobians }

    /// Takes one evaluation from the budget; false when it is spent.
    func spend() -> Bool {
        guard remaining > 0 else { return false }
        remaining -= 1
        return true
    }
}

/// Several regularised equilibria (`sgn certify --equilibria all`, docs/markov-games.md).
extension MarkovGame {
    /// Seeded random starts of `distinctEquilibria` (besides the pure-ish ones).
    public static let randomEquilibriumStarts = 8
    /// At most this many pure-ish starts (joint actions, the same in every state).
    public static let pureEquilibriumStarts = 32
    /// Jacobian evaluations each start may spend.
    public static let startJacobianBudget = 60

    /// The game's equilibrium first (the principal one, or the one near `region.center`), then
    /// every further distinct QRE that Newton on the logit residual reaches from the starts:
    /// for each joint action (up to `pureEquilibriumStarts`, in joint-index order) the logits
    /// `±logitScale` favouring it in every state, the uniform policy, then
    /// `randomEquilibriumStarts` seeded points (SplitMix64 with the region's seed) uniform in
    /// `[−logitScale, logitScale]` and `[−1, 1]` alternately. Two
    /// equilibria are the same when their logits differ by at most 1e-6·`logitScale` up to a
    /// per-state shift. Each is returned as a copy of the game centred on it (branch `other`
    /// for all but the first); only equilibria within the residual tolerance are returned. The
    /// starts are cut (in the order above) so that their Jacobian budgets together stay within
    /// `MarkovLimits.maxWork`.
    public func distinctEquilibria() -> [MarkovGame] {
        var found: [MarkovEquilibrium] = []
        if solution.converged { found.append(solution) }
        let scale = logitScale
        var starts: [[Double]] = []
        let n = players.count
        for a in 0..<min(layout.jointCount, MarkovGame.pureEquilibriumStarts) {
            var theta = [Double](repeating: 0, count: layout.rawCount)
            for i in 0..<n {
                for s in 0..<layout.stateCount {
                    let range = layout.logitRange(player: i, state: s)
                    for (b, k) in range.enumerated() { theta[k] = b == layout.actionOf[a * n + i] ? scale : -scale }
                }
            }
            starts.append(theta)
        }
        let pure = starts.count
        starts.append([Double](repeating: 0, count: layout.rawCount))
        var generator = SeededGenerator(seed: regionSpec.seed)
        for k in 0..<MarkovGame.randomEquilibriumStarts {
            let width = k % 2 == 0 ? scale : 1
            starts.append((0..<layout.rawCount).map { _ in generator.uniform(-width, width) })
        }
        // Bounded time: the starts' Jacobians together stay within `MarkovLimits.maxWork`.
        let actions = players.map(\.actions)
        let jacobianWork =
            MarkovLimits.work(states: layout.stateCount, actions: actions, points: 1)
            - MarkovLimits.work(states: layout.stateCount, actions: actions, points: 0)
        let affordable = Int(
            min(Double(starts.count), MarkovLimits.maxWork / (Double(MarkovGame.startJacobianBudget) * jacobianWork)))
        starts = Array(starts.prefix(max(1, affordable)))
        let tolerance = residualTolerance
        for (k, start) in starts.enumerated() {
            let run = newton(
                from: layout.toTangent(start), temperature: temperature, tolerance: tolerance,
                maxIterations: 60, budget: SolverBudget(jacobians: MarkovGame.startJacobianBudget))
            guard run.converged else { continue }
            let theta = layout.fromTangent(run.x)
            let known = found.contains { e in quotientNorm(zip(theta, e.logits).map { $0 - $1 }) <= 1e-6 * scale }
            if known { continue }
            found.append(
                MarkovEquilibrium(
                    logits: theta, residual: run.residual, tolerance: tolerance,
                    method:
                        "newton from "
                        + (k < pure
                            ? "a pure-strategy start" : k == pure ? "the uniform policy" : "a seeded random start"),
                    branch: "other"))
        }
        return found.map { withEquilibrium($0) }
    }

    /// The game centred on the QRE Newton reaches from `logits` (branch `other`), or nil when
    /// Newton does not reach the tolerance: how `sgn verify` re-finds the equilibrium of a
    /// certificate from `--equilibria all`.
    public func equilibrium(near logits: [Double]) -> MarkovGame? {
        guard logits.count == layout.rawCount else { return nil }
        let run = newton(
            from: layout.toTangent(logits), temperature: temperature, tolerance: residualTolerance,
            maxIterations: 60, budget: SolverBudget(jacobians: MarkovGame.startJacobianBudget))
        guard run.converged else { return nil }
        return withEquilibrium(
            MarkovEquilibrium(
                logits: layout.fromTangent(run.x), residual: run.residual,
                tolerance: residualTolerance, method: "newton from the stated logits",
                branch: "other"))
    }

    /// A copy of the game whose equilibrium (and region centre, unless one is given) is `e`.
    public func withEquilibrium(_ e: MarkovEquilibrium) -> MarkovGame {
        var copy = self
        copy.solution = e
        if geometryKind == .fisher, let factors = try? fisherFactors(at: e.logits) {
            copy.metricFactors = factors.map { $0.map(\.root) }
        }
        return copy
    }
}
