/// The exact pseudo-gradient of a Markov game, written once over `GradientScalar` so that the
/// same code gives values (`Double`) and exact Jacobian columns (`Dual`).
///
/// With `d = (1−γ)(I − γP_πᵀ)⁻¹ρ0`, `V_i = (I − γP_π)⁻¹ r_i^π` and
/// `Q_i(s,a) = R_i(s,a) + γ Σ_{s'} P(s'|s,a) V_i(s')` (a a joint action), the policy-gradient
/// theorem and `∂H/∂θ_b = −π_b(log π_b + H)` give
///
///     ∂J_i/∂θ_i(s,b) = d(s) [ Σ_{a: a_i = b} π(a|s) Q_i(s,a) − π_i(b|s) V_i(s) ]
///                      − τ π_i(b|s) (log π_i(b|s) + H(π_i(·|s)))
///
/// and the pseudo-gradient is `F_i = −∇_{θ_i} J_i`. Every state's block of `F_i` sums to zero:
/// F lives in the tangent space.
extension MarkovGame {
    /// Quantities shared by the objectives and the gradient at one logit point.
    struct Evaluation<T: GradientScalar> {
        /// Per player, `π_i(b|s)` at `s·A_i + b`.
        var policies: [[T]]
        var logPolicies: [[T]]
        /// `π(a|s)` at `s·J + a`.
        var joint: [T]
        /// Per player, `r_i^π(s)`.
        var expectedRewards: [[T]]
        /// Per player, `V_i(s)` (discounted, not normalised).
        var values: [[T]]
        /// Normalised discounted occupancy `d(s)`.
        var occupancy: [T]
        /// `M = I − γP_π`, row-major S×S.
        var system: [T]
    }

    func evaluate<T: GradientScalar>(_ theta: [T], factors: SystemFactors? = nil) -> Evaluation<T> {
        let ns = layout.stateCount
        let nj = layout.jointCount
        let n = players.count
        let zero = T(0)
        var policies: [[T]] = []
        var logPolicies: [[T]] = []
        for i in 0..<n {
            let na = players[i].actions
            let o = layout.rawOffsets[i]
            var p = [T](repeating: zero, count: ns * na)
            var lp = p
            for s in 0..<ns {
                let base = o + s * na
                var m = -Double.infinity
                for b in 0..<na { m = max(m, theta[base + b].value) }
                let shift = T(m)
                var z = zero
                for b in 0..<na {
                    let e = T.exponential(theta[base + b] - shift)
                    p[s * na + b] = e
                    z = z + e
                }
                let logZ = T.logarithm(z)
                for b in 0..<na {
                    p[s * na + b] = p[s * na + b] / z
                    lp[s * na + b] = theta[base + b] - shift - logZ
                }
            }
            policies.append(p)
            logPolicies.append(lp)
        }

        var joint = [T](repeating: zero, count: ns * nj)
        for s in 0..<ns {
            for a in 0..<nj {
                var prod = policies[0][s * players[0].actions + layout.actionOf[a * n]]
                for i in 1..<n {
                    prod = prod * policies[i][s * players[i].actions + layout.actionOf[a * n + i]]
                }
                joint[s * nj + a] = prod
            }
        }

        // M = I − γ P_π (row-major), r_i^π.
        let gamma = discount
        var m = [T](repeating: zero, count: ns * ns)
        var expected = [[T]](repeating: [T](repeating: zero, count: ns), count: n)
        for s in 0..<ns {
            for a in 0..<nj {
                let q = joint[s * nj + a]
                if gamma != 0 {
                    let base = (s * nj + a) * ns
                    for t in 0..<ns {
                        let pr = transitions[base + t]
                        if pr != 0 { m[s * ns + t] = m[s * ns + t] - (gamma * pr) * q }
                    }
                }
                for i in 0..<n {
                    let r = rewards[i][s * nj + a]
                    if r != 0 { expected[i][s] = expected[i][s] + r * q }
                }
            }
            m[s * ns + s] = m[s * ns + s] + T(1)
        }
        let values: [[T]]
        var occupancy: [T]
        if gamma == 0 {
            values = expected
            occupancy = initial.map { T($0) }
        } else {
            values = T.solveDiscounted(
                system: m, weights: joint, kernel: transitions, discount: gamma, size: ns,
                mixtures: nj, rhs: expected, transposed: false, factors: factors?.forward)
            occupancy =
                T.solveDiscounted(
                    system: m, weights: joint, kernel: transitions, discount: gamma, size: ns,
                    mixtures: nj, rhs: [initial.map { T($0) }], transposed: true,
                    factors: factors?.transposed)[0]
            for s in 0..<ns { occupancy[s] = (1 - gamma) * occupancy[s] }
        }
        return Evaluation(
            policies: policies, logPolicies: logPolicies, joint: joint, expectedRewards: expected,
            values: values, occupancy: occupancy, system: m)
    }

    /// The objectives `J_i(θ)` (each player maximises its own).
    public func objectives(_ theta: [Double], temperature tau: Double? = nil) -> [Double] {
        let tau = tau ?? temperature
        let e = evaluate(theta)
        let ns = layout.stateCount
        return players.indices.map { i in
            var j = 0.0
            for s in 0..<ns { j += e.occupancy[s] * e.expectedRewards[i][s] }
            let na = players[i].actions
            var h = 0.0
            for k in 0..<(ns * na) { h -= e.policies[i][k] * e.logPolicies[i][k] }
            return j + tau * h
        }
    }

    /// The pseudo-gradient `F(θ) = (−∇_{θ_1} J_1, …, −∇_{θ_N} J_N)` in raw logits.
    /// - Parameter factors: LU factors of `I − γP_π` and its transpose at θ's values, when the
    ///   caller evaluates many directional derivatives at one point (they turn the two O(S³)
    ///   solves into O(S²) ones); nil computes everything from θ.
    public func pseudoGradient<T: GradientScalar>(
        _ theta: [T], temperature tau: Double? = nil,
        factors: SystemFactors? = nil
    ) -> [T] {
        let tau = tau ?? temperature
        let ns = layout.stateCount
        let nj = layout.jointCount
        let n = players.count
        let e = evaluate(theta, factors: factors)
        let zero = T(0)
        // W_i(s,b) = Σ_{a: a_i = b} π(a|s) Q_i(s,a).
        var w = players.map { [T](repeating: zero, count: ns * $0.actions) }
        for s in 0..<ns {
            for a in 0..<nj {
                let q = e.joint[s * nj + a]
                for i in 0..<n {
                    let qValue = actionValue(player: i, state: s, joint: a, values: e.values[i])
                    let k = s * players[i].actions + layout.actionOf[a * n + i]
                    w[i][k] = w[i][k] + q * qValue
                }
            }
        }
        var f = [T](repeating: zero, count: layout.rawCount)
        for i in 0..<n {
            let na = players[i].actions
            let o = layout.rawOffsets[i]
            for s in 0..<ns {
                let entropy = e.entropy(player: i, state: s, actions: na)
                let d = e.occupancy[s]
                let v = e.values[i][s]
                for b in 0..<na {
                    let p = e.policies[i][s * na + b]
                    let reward = d * (w[i][s * na + b] - p * v)
                    let regulariser = tau * (p * (e.logPolicies[i][s * na + b] + entropy))
                    f[o + s * na + b] = regulariser - reward
                }
            }
        }
        return f
    }

    /// `‖F(θ)‖₂`, the equilibrium residual (F is tangent, so this is also its tangent norm).
    public func residual(at theta: [Double]) -> Double {
        pseudoGradient(theta).reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// The Jacobian `J̃ = Uᵀ (∂F/∂θ) U` in tangent coordinates, column by column: column c is the
    /// exact directional derivative of F along the c-th tangent basis vector (one dual-number
    /// evaluation each), projected onto the tangent basis.
    public func tangentJacobian(at theta: [Double], temperature tau: Double? = nil) -> Matrix {
        tangentJacobian(at: theta) { pseudoGradient($0, temperature: tau, factors: $1) }
    }

    /// `D = Uᵀ (∂G/∂θ) U`, the Jacobian of the certified field G (`certifiedField`: the natural
    /// policy gradient, or F in the euclidean geometry) in tangent coordinates.
    public func fieldJacobian(at theta: [Double]) -> Matrix {
        tangentJacobian(at: theta) { certifiedField($0, factors: $1) }
    }

    /// `Uᵀ (∂v/∂θ) U` of a raw vector field v written over `GradientScalar`, one dual evaluation
    /// per tangent direction (LU factors of `I − γP_π` at θ shared by all of them).
    func tangentJacobian(at theta: [Double], of v: ([Dual], SystemFactors?) -> [Dual]) -> Matrix {
        let m = layout.tangentCount
        var jac = Matrix(rows: m, cols: m)
        var point = theta.map { Dual($0) }
        let factors = discount == 0 ? nil : SystemFactors(system: evaluate(theta).system, size: layout.stateCount)
        for j in players.indices {
            let u = layout.bases[j]
            for s in 0..<layout.stateCount {
                let raw = layout.logitRange(player: j, state: s)
                let tan = layout.tangentRange(player: j, state: s)
                for k in 0..<(players[j].actions - 1) {
                    for (r, idx) in raw.enumerated() { point[idx].tangent = u[r, k] }
                    let column = layout.toTangent(v(point, factors).map(\.tangent))
                    let c = tan.lowerBound + k
                    for r in 0..<m { jac[r, c] = column[r] }
                }
                for idx in raw { point[idx].tangent = 0 }
            }
        }
        return jac
    }
}

extension MarkovGame {
    /// `Q_i(s, a) = R_i(s, a) + γ Σ_t P(t | s, a) V_i(t)` for the joint action `a` in state `s`,
    /// from player i's state values (one place for the gradient and the equilibrium's residual).
    @inline(__always)
    func actionValue<T: GradientScalar>(player i: Int, state s: Int, joint a: Int, values: [T]) -> T {
        let ns = layout.stateCount
        let nj = layout.jointCount
        var q = T(rewards[i][s * nj + a])
        guard discount != 0 else { return q }
        let base = (s * nj + a) * ns
        var next = T(0)
        for t in 0..<ns {
            let pr = transitions[base + t]
            if pr != 0 { next = next + pr * values[t] }
        }
        q = q + discount * next
        return q
    }
}

extension MarkovGame.Evaluation {
    /// `H(π_i(·|s)) = −Σ_b π_i(b|s) log π_i(b|s)` for player i (with `actions` actions) in state s.
    @inline(__always)
    func entropy(player i: Int, state s: Int, actions na: Int) -> T {
        var h = T(0)
        for b in 0..<na { h = h - policies[i][s * na + b] * logPolicies[i][s * na + b] }
        return h
    }
}
