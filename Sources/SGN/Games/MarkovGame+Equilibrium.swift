import Foundation

/// The regularised (quantal-response) equilibrium of a Markov game, as computed.
public struct MarkovEquilibrium: Sendable {
    /// Raw logits, centred: each player's logits in each state sum to zero.
    public var logits: [Double]
    /// `‖F(θ*)‖₂`.
    public var residual: Double
    /// The residual the solution had to reach (`Tolerance.equilibriumResidual`, relative to the
    /// game's payoff scale when that exceeds 1).
    public var tolerance: Double
    /// How it was found (for diagnostics and the not-certified reason).
    public var method: String

    public var converged: Bool { residual <= tolerance }
}

/// Solving `F(θ) = 0` in tangent coordinates `x` (θ = U x): damped Newton with the exact
/// Jacobian from the uniform policy; if that stalls, a homotopy in the temperature from a
/// temperature so high that the entropy dominates (the equilibrium is then near uniform and
/// unique) down to the game's, Newton at every stage; if that fails too, plain gradient play
/// followed by Newton. The answer is the first that reaches the tolerance, else the point with
/// the smallest residual seen (reported as not converged).
extension MarkovGame {
    func solveEquilibrium() -> MarkovEquilibrium {
        let origin = [Double](repeating: 0, count: layout.tangentCount)
        let tolerance = Tolerance.equilibriumResidual * payoffScale
        var best = (x: origin, residual: tangentResidual(origin, temperature: temperature))
        func result(_ x: [Double], _ method: String) -> MarkovEquilibrium {
            let theta = layout.fromTangent(x)
            return MarkovEquilibrium(logits: theta, residual: residual(at: theta), tolerance: tolerance, method: method)
        }
        func consider(_ run: NewtonRun) {
            if run.residual < best.residual { best = (run.x, run.residual) }
        }

        // 1. Newton from the uniform policy.
        let budget = SolverBudget(jacobians: MarkovGame.equilibriumJacobianBudget)
        let direct = newton(from: origin, temperature: temperature, tolerance: tolerance, maxIterations: 60, budget: budget)
        consider(direct)
        if direct.converged { return result(direct.x, "newton from the uniform policy (\(direct.iterations) iterations)") }

        // 2. Temperature homotopy.
        if let h = homotopy(tolerance: tolerance, budget: budget) {
            consider(h.run)
            if h.run.converged {
                return result(h.run.x, "temperature homotopy from tau = \(JSONWriter.format(h.hot)) (\(h.stages) stages) with newton")
            }
        }

        // 3. Gradient play, then Newton.
        let played = gradientPlay(from: best.x, iterations: MarkovGame.gradientPlayIterations)
        let polished = newton(from: played, temperature: temperature, tolerance: tolerance, maxIterations: 60, budget: budget)
        consider(polished)
        if polished.converged { return result(polished.x, "gradient play then newton") }
        return result(best.x, budget.remaining > 0 ? "no method reached the tolerance"
                      : "the solver's budget of \(MarkovGame.equilibriumJacobianBudget) Jacobian evaluations ran out")
    }

    /// Follows the equilibrium from `τ_hot = max(τ, 10·A_max·max|R|/(1−γ)²)`, where the entropy
    /// dominates, down to the game's τ in log-temperature stages (Newton at each, warm-started;
    /// a failed stage is retried at half the length, a successful one lengthens the next by
    /// half). Nil when there is nothing to follow (τ_hot = τ) or the start fails.
    func homotopy(tolerance: Double, budget: SolverBudget = SolverBudget()) -> (run: NewtonRun, hot: Double, stages: Int)? {
        let rewardScale = rewards.lazy.flatMap { $0 }.reduce(0) { max($0, abs($1)) }
        let aMax = Double(players.map(\.actions).max() ?? 2)
        let hot = max(temperature, 10 * aMax * rewardScale / ((1 - discount) * (1 - discount)))
        guard hot > temperature else { return nil }
        let start = newton(from: [Double](repeating: 0, count: layout.tangentCount), temperature: hot,
                           tolerance: tolerance, maxIterations: 60, budget: budget)
        guard start.converged else { return nil }
        var x = start.x
        var logTau = Foundation.log(hot)
        let target = Foundation.log(temperature)
        var stepSize = (logTau - target) / 16
        let smallest = 1e-9 * (logTau - target)
        var stages = 0
        while logTau > target, stepSize > smallest, stages < 2000, budget.remaining > 0 {
            let next = max(target, logTau - stepSize)
            let run = newton(from: x, temperature: next == target ? temperature : Foundation.exp(next),
                             tolerance: tolerance, maxIterations: 25, budget: budget)
            stages += 1
            if run.converged {
                x = run.x
                logTau = next
                stepSize *= 1.5
            } else {
                stepSize /= 2
            }
        }
        let r = tangentResidual(x, temperature: temperature)
        return (NewtonRun(x: x, residual: r, iterations: stages, converged: logTau == target && r <= tolerance), hot, stages)
    }

    /// Plain simultaneous gradient play in tangent coordinates with a step of 0.1/‖J̃‖ at the
    /// start: a last resort that approaches the equilibrium of games it attracts.
    func gradientPlay(from start: [Double], iterations: Int) -> [Double] {
        var x = start
        let norm = (try? LAPACK.spectralNorm(tangentJacobian(at: layout.fromTangent(x)))) ?? 1
        let eta = 0.1 / max(norm, 1e-12)
        for _ in 0..<iterations {
            let g = layout.toTangent(pseudoGradient(layout.fromTangent(x)))
            for k in x.indices { x[k] -= eta * g[k] }
        }
        return x
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
            let g = layout.toTangent(pseudoGradient(theta, temperature: tau))
            guard let d = LAPACK.solve(tangentJacobian(at: theta, temperature: tau), g.map { -$0 }) else { break }
            let trial = zip(best.x, d).map { $0 + $1 }
            let r = tangentResidual(trial, temperature: tau)
            guard r < best.residual else { break }
            best.x = trial
            best.residual = r
        }
        return best
    }

    /// `‖Uᵀ F(U x)‖₂` at temperature τ.
    func tangentResidual(_ x: [Double], temperature tau: Double) -> Double {
        let g = pseudoGradient(layout.fromTangent(x), temperature: tau)
        let r = g.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return r.isFinite ? r : .infinity
    }

    /// Damped Newton on `Uᵀ F(U x) = 0` with backtracking on the residual; a Levenberg–Marquardt
    /// step when the Newton direction does not decrease it. Steps are capped at 10 in the
    /// ∞-norm (logits), so a far-off start cannot overflow the softmax.
    func newton(from start: [Double], temperature tau: Double, tolerance: Double, maxIterations: Int,
                budget: SolverBudget = SolverBudget()) -> NewtonRun {
        var x = start
        var r = tangentResidual(x, temperature: tau)
        let m = x.count
        for iteration in 0..<maxIterations {
            if r <= tolerance {
                return polish(NewtonRun(x: x, residual: r, iterations: iteration, converged: true), temperature: tau, budget: budget)
            }
            guard budget.spend() else { break }
            let theta = layout.fromTangent(x)
            let g = layout.toTangent(pseudoGradient(theta, temperature: tau))
            let jac = tangentJacobian(at: theta, temperature: tau)
            func capped(_ d: [Double]) -> [Double]? {
                guard d.allSatisfy(\.isFinite) else { return nil }
                let size = d.reduce(0) { max($0, abs($1)) }
                return size > 10 ? d.map { $0 * 10 / size } : d
            }
            func attempt(_ d: [Double], minimumStep: Double) -> Bool {
                var t = 1.0
                while t >= minimumStep {
                    let trial = (0..<m).map { x[$0] + t * d[$0] }
                    let rt = tangentResidual(trial, temperature: tau)
                    if rt < (1 - 1e-4 * t) * r || rt <= tolerance {
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
                var a = jtj
                for k in 0..<m { a[k, k] += lambda }
                if let d = LAPACK.solve(a, jtg.map { -$0 }).flatMap(capped), attempt(d, minimumStep: 1e-3) {
                    moved = true
                    break
                }
                lambda *= 10
            }
            if !moved { return NewtonRun(x: x, residual: r, iterations: iteration, converged: r <= tolerance) }
        }
        return NewtonRun(x: x, residual: r, iterations: maxIterations, converged: r <= tolerance)
    }

    /// Jacobian evaluations one equilibrium solve may spend (Newton iterations, polishing and
    /// homotopy stages together), so its time is bounded; `MarkovLimits.maxWork` counts them.
    public static let equilibriumJacobianBudget = 300
    /// Gradient-play iterations of the last-resort phase.
    public static let gradientPlayIterations = 5000
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
