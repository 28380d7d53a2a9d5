import Foundation
import Testing

@testable import SGN

/// Random small Markov games, including rewards large against τ (probabilities down to about
/// 1e-14 at the QRE): every equilibrium the solver reports (the principal one and those of
/// `--equilibria all`) is a QRE by an independent check written here (values and occupancy by
/// fixed-point iteration, not the library's linear solves), the principal one comes first, and
/// no game is certified unless one certified Euler step leaves the equilibrium where it is.
@Suite("Markov equilibria: property")
struct EquilibriumPropertyTests {
    /// `max_{i,s,b} |log π_i(b|s) − log softmax(d(s) Q̄_i(s,·)/τ)_b|`, computed independently.
    static func independentQREGap(_ game: MarkovGame, _ theta: [Double]) -> Double {
        let ns = game.layout.stateCount
        let nj = game.layout.jointCount
        let n = game.players.count
        let pol = game.policies(theta)
        func joint(_ s: Int, _ a: Int, except: Int? = nil) -> Double {
            var p = 1.0
            for i in 0..<n where i != except { p *= pol[i][s][game.layout.actionOf[a * n + i]] }
            return p
        }
        let gamma = game.discount
        // V_i = r_i^π + γ P_π V_i and d = (1 − γ)ρ0 + γ P_πᵀ d, by iteration.
        var v = [[Double]](repeating: [Double](repeating: 0, count: ns), count: n)
        var d = game.initial
        let sweeps = gamma == 0 ? 1 : 4000
        for _ in 0..<sweeps {
            var nv = v
            var nd = game.initial.map { (1 - gamma) * $0 }
            if gamma == 0 { nd = game.initial }
            for s in 0..<ns {
                for i in 0..<n {
                    var total = 0.0
                    for a in 0..<nj {
                        var q = game.rewards[i][s * nj + a]
                        for t in 0..<ns { q += gamma * game.transitions[(s * nj + a) * ns + t] * v[i][t] }
                        total += joint(s, a) * q
                    }
                    nv[i][s] = total
                }
                if gamma != 0 {
                    for a in 0..<nj {
                        for t in 0..<ns {
                            nd[t] += gamma * d[s] * joint(s, a) * game.transitions[(s * nj + a) * ns + t]
                        }
                    }
                }
            }
            v = nv
            d = nd
        }
        var gap = 0.0
        for i in 0..<n {
            for s in 0..<ns {
                var qBar = [Double](repeating: 0, count: game.players[i].actions)
                for a in 0..<nj {
                    var q = game.rewards[i][s * nj + a]
                    for t in 0..<ns { q += gamma * game.transitions[(s * nj + a) * ns + t] * v[i][t] }
                    qBar[game.layout.actionOf[a * n + i]] += joint(s, a, except: i) * q
                }
                let z = qBar.map { d[s] * $0 / game.temperature }
                let m = z.max()!
                let logZ = m + Foundation.log(z.reduce(0) { $0 + Foundation.exp($1 - m) })
                let logits = Array(theta[game.layout.logitRange(player: i, state: s)])
                let lm = logits.max()!
                let logP = logits.map { $0 - lm - Foundation.log(logits.reduce(0) { $0 + Foundation.exp($1 - lm) }) }
                for b in qBar.indices { gap = max(gap, abs(logP[b] - (z[b] - logZ))) }
            }
        }
        return gap
    }

    static let cases: [(actions: [Int], states: Int, discount: Double, tau: Double, scale: Double, seed: UInt64)] = {
        var out: [(actions: [Int], states: Int, discount: Double, tau: Double, scale: Double, seed: UInt64)] = []
        var seed: UInt64 = 100
        for actions in [[2, 2], [2, 3], [3, 3], [2, 2, 2]] {
            for (states, discount) in [(1, 0.0), (2, 0.8)] {
                for (tau, scale) in [(1.0, 1.0), (0.2, 1.0), (0.15, 2.5), (0.2, 3.0)] {
                    seed += 1
                    out.append((actions, states, discount, tau, scale, seed))
                }
            }
        }
        return out
    }()

    @Test(arguments: cases.indices) func reportedEquilibriaAreQREs(_ k: Int) throws {
        let c = Self.cases[k]
        let base = randomMarkovGame(
            actions: c.actions, states: c.states, discount: c.discount, temperature: c.tau, seed: c.seed)
        let game = MarkovGame(
            name: "scaled", stateNames: base.stateNames, initial: base.initial, discount: c.discount,
            temperature: c.tau, players: base.players, transitions: base.transitions,
            rewards: base.rewards.map { $0.map { $0 * c.scale } }, region: .init(samples: 32))
        let s = game.solution
        guard s.converged else {
            // Not found: the certificate must say not_certified, with no equilibrium promised.
            let cert = try Certifier().certify(game)
            #expect(cert.status == .notCertified)
            return
        }
        #expect(s.residual <= s.tolerance)
        #expect(s.branch == "principal", "\(s.method)")
        // Independent check, allowing for the iteration's own rounding.
        let gap = Self.independentQREGap(game, s.logits)
        #expect(gap <= 2 * s.tolerance + 1e-9, "gap \(gap), tolerance \(s.tolerance)")
        // --equilibria all: the principal equilibrium first, every one a QRE, all distinct.
        let all = game.distinctEquilibria()
        #expect(all.first?.solution.branch == "principal")
        #expect(all.first?.solution.logits == s.logits)
        for (k, other) in all.enumerated() {
            #expect(other.solution.residual <= other.solution.tolerance)
            #expect(Self.independentQREGap(other, other.solution.logits) <= 2 * s.tolerance + 1e-9)
            for earlier in all[..<k] {
                #expect(
                    game.quotientNorm(zip(other.solution.logits, earlier.solution.logits).map { $0 - $1 }) > 1e-6
                        * game.logitScale)
            }
        }
        let cert = try Certifier().certify(game)
        if cert.status == .certified, let h = cert.steps?.euler.max {
            let field = game.field(s.logits)
            let move = game.quotientNorm(field.map { h * $0 })
            #expect(move <= s.tolerance, "one certified step moves the equilibrium by \(move)")
        }
    }

    /// The cases reach probabilities down to about 1e-14 (so the test exercises the boundary).
    @Test func someCasesReachTheBoundary() {
        var smallest = 1.0
        for c in Self.cases where c.scale > 1 {
            let base = randomMarkovGame(
                actions: c.actions, states: c.states, discount: c.discount, temperature: c.tau, seed: c.seed)
            let game = MarkovGame(
                name: "scaled", stateNames: base.stateNames, initial: base.initial, discount: c.discount,
                temperature: c.tau, players: base.players, transitions: base.transitions,
                rewards: base.rewards.map { $0.map { $0 * c.scale } })
            guard game.solution.converged else { continue }
            smallest = min(smallest, game.policies(game.solution.logits).flatMap { $0.flatMap { $0 } }.min()!)
        }
        #expect(smallest < 1e-10, "smallest probability \(smallest)")
    }
}

/// The principal equilibrium is where natural policy gradient from the uniform policy goes, when
/// it converges: random two-state 3×3 zero-sum-reward games at τ = 0.3, γ = 0.5.
@Suite("Principal branch and learning")
struct PrincipalBranchLearningTests {
    @Test(arguments: [UInt64(41), 42, 43]) func naturalGradientFromUniformReachesIt(_ seed: UInt64) {
        let base = randomMarkovGame(actions: [3, 3], states: 2, discount: 0.5, temperature: 0.3, seed: seed)
        let game = MarkovGame(
            name: "zero-sum", stateNames: base.stateNames, initial: base.initial, discount: 0.5,
            temperature: 0.3, players: base.players, transitions: base.transitions,
            rewards: [base.rewards[0].map { 3 * $0 }, base.rewards[0].map { -3 * $0 }])
        #expect(game.solution.converged && game.solution.branch == "principal")
        var theta = [Double](repeating: 0, count: game.stateDimension)
        for _ in 0..<20_000 {
            let f = game.field(theta)
            for k in theta.indices { theta[k] -= 0.05 * f[k] }
        }
        #expect(game.logitResidual(at: theta) < 1e-9, "natural gradient did not converge")
        let gap = game.quotientNorm(zip(theta, game.solution.logits).map { $0 - $1 })
        #expect(gap < 1e-6, "natural gradient from the uniform policy ends \(gap) logits from the principal QRE")
    }
}

/// `--equilibria all` on the stag hunt at τ = 0.25: three QREs — the principal (hare, risk
/// dominant) and the stag one stable and certified, the middle one not.
@Suite("Several equilibria")
struct SeveralEquilibriaTests {
    @Test func stagHunt() throws {
        let g = try markovGame(
            """
            {"kind": "markov", "discount": 0, "temperature": 0.25, "states": 1,
             "players": [{"name": "p1", "actions": 2}, {"name": "p2", "actions": 2}],
             "rewards": {"p1": [[[4, 0], [3, 3]]], "p2": [[[4, 3], [0, 3]]]}}
            """)
        let all = g.distinctEquilibria()
        #expect(all.count == 3)
        let stag = all.map { $0.policies($0.solution.logits)[0][0][0] }
        #expect(abs(stag[0] - 6.1447787016905628e-06) < 1e-8)  // scripts/oracles/qre_reference.py
        #expect(stag[1] > 0.97 && stag[2] > 0.86 && stag[2] < 0.87, "\(stag)")
        let status = try all.map { try Certifier().certify($0).status }
        #expect(status == [.certified, .certified, .notCertified])
        #expect(all.dropFirst().allSatisfy { $0.solution.branch == "other" })

        // region.center near the stag QRE: Newton from it reaches that QRE, branch "given".
        let given = try markovGame(
            """
            {"kind": "markov", "discount": 0, "temperature": 0.25, "states": 1,
             "players": [{"name": "p1", "actions": 2}, {"name": "p2", "actions": 2}],
             "rewards": {"p1": [[[4, 0], [3, 3]]], "p2": [[[4, 3], [0, 3]]]},
             "region": {"center": {"p1": [[4, 0]], "p2": [[4, 0]]}}}
            """)
        #expect(given.solution.branch == "given")
        #expect(abs(given.policies(given.solution.logits)[0][0][0] - stag[1]) < 1e-12)
    }
}

/// `sgn simulate` near the simplex boundary: the natural gradient is the closed form
/// `τ(H − mean H)`, so its rounding is not amplified by 1/π_min and runs that converge at a
/// factor below the certified one are not reported as violations.
@Suite("Markov simulation near the boundary")
struct BoundarySimulationTests {
    @Test func noFalseAlarmAtTinyProbabilities() throws {
        let g = try markovGame(
            """
            {"kind": "markov", "discount": 0, "temperature": 0.18, "states": 1,
             "players": [{"name": "p1", "actions": 2}, {"name": "p2", "actions": 3}],
             "rewards": {"p1": [[[4, 0, 1], [3, 3, 2]]], "p2": [[[4, 3, 0], [0, 3, 1]]]}}
            """)
        let smallest = g.policies(g.solution.logits).flatMap { $0.flatMap { $0 } }.min()!
        #expect(smallest < 1e-7)
        let c = try Certifier().certify(g)
        #expect(c.status == .certified)
        var settings = SimulationSettings()
        settings.runs = 8
        settings.maxSteps = 2000
        let runs = try Simulator(game: g, certificate: c).run(settings)
        #expect(runs.allSatisfy { $0.converged && $0.behaved == true })
        // The field agrees with the Fisher solve U F̃⁻¹ Uᵀ F where that is well conditioned.
        let theta = randomLogits(g.stateDimension, seed: 3)
        let f = g.pseudoGradient(theta)
        for i in g.players.indices {
            let range = g.layout.logitRange(player: i, state: 0)
            let u = g.layout.bases[i]
            let p = SoftmaxGeometry.policy(theta[range])
            let y = try #require(
                LAPACK.solve(SoftmaxGeometry.fisher(policy: p, basis: u), u.transposeTimes(Array(f[range]))))
            let expected = u * y
            for (a, b) in zip(g.field(theta)[range], expected) { #expect(abs(a - b) < 1e-12) }
        }
    }
}
