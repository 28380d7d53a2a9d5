import Foundation
import Testing

@testable import SGN

/// Markov games through the shared certification pipeline: reference values, closed forms,
/// invariances, the equilibrium and what happens when it cannot be found.
@Suite("Markov games: certificates")
struct MarkovCertificationTests {
    static let examples = [
        "coordination-2x2x2.json", "matching-pennies-tau2.json", "matching-pennies-tau0.5.json",
        "rps-perturbed-tau0.1.json", "rps-perturbed-tau1.json", "supply-chain-3x3.json",
    ]

    /// The author's coordination game. The paper's figures are those of the linearisation
    /// K = F̃^{-1/2} J̃ F̃^{-1/2} at the 257 sample points (μ ≈ 0.93, L ≈ 0.60, μ − L ≈ 0.333,
    /// β ≈ 1.57): reproduced from K here. The certificate bounds the Jacobian of the certified
    /// dynamics in the frozen Fisher metric instead (docs/markov-games.md), whose sampled values
    /// are pinned: μ = 0.96162, L = 0.60092, sgn margin 0.36070, β = 1.58006, band
    /// [0.12315, 8.1200] (D itself is checked against finite differences in
    /// MarkovFieldJacobianTests).
    @Test func coordinationReferenceValues() throws {
        let game = try markovExample("coordination-2x2x2.json")
        let paper = try BlockConstants(
            JacobianSet(
                jacobians: try game.samplePoints().points.map {
                    game.split(try MarkovFieldJacobianTests.linearisation(game, at: $0))
                }, estimation: .exact))
        expectClose(paper.curvature[0], 0.93, 0.02)
        expectClose(paper.coupling(0, 1), 0.60, 0.02)
        expectClose(paper.curvature[0] - paper.coupling(0, 1), 0.333, 0.03)

        // The sampled figures (`--estimation sampled`); the default proves the constants on the
        // box (coordinationProvenOnItsBox).
        let c = try Certifier(estimationMode: .sampled).certify(game)
        #expect(c.status == .certified)
        for p in game.policies(game.solution.logits).flatMap({ $0 }).flatMap({ $0 }) { expectClose(p, 0.5, 1e-12) }
        expectClose(c.constants.curvature[0], 0.96162, 1e-5)
        expectClose(c.constants.coupling(0, 1), 0.60092, 1e-5)
        let alpha = try #require(c.margins[.sgn])
        expectClose(alpha, 0.36070, 1e-5)
        let beta = try MetricSpectra(try game.jacobians()).lipschitz(weights: c.weights)
        expectClose(beta, 1.58006, 1e-5)
        expectClose(c.timescaleBand?.lower, 0.12315, 1e-4)
        expectClose(c.timescaleBand?.upper, 8.1200, 1e-4)
        if case let .sampled(count, seed, method) = c.estimation {
            #expect(count == 257)
            #expect(seed == 1)
            #expect(method == .logitBoxVertices(vertices: 256))
        } else {
            Issue.record("Markov constants must be sampled")
        }
    }

    /// One state, two actions, γ = 0 matching pennies at its uniform QRE:
    /// `J̃ = [[τ/2, −1/2], [1/2, τ/2]]`, `F̃ = 1/2`, so `K = [[τ, −1], [1, τ]]`.
    @Test(arguments: [0.5, 2.0]) func matchingPenniesClosedForm(_ tau: Double) throws {
        let game = try markovExample(tau == 2 ? "matching-pennies-tau2.json" : "matching-pennies-tau0.5.json")
        #expect(game.solution.residual < 1e-14)
        let theta = game.solution.logits
        let jt = game.tangentJacobian(at: theta)
        #expect(relativeDifference(jt, Matrix(rowMajor: [[tau / 2, -0.5], [0.5, tau / 2]])) < 1e-14)
        let k = try game.certifiedJacobian(at: theta).dense()
        #expect(relativeDifference(k, Matrix(rowMajor: [[tau, -1], [1, tau]])) < 1e-14)
        let c = try Certifier().certify(game)
        if tau == 2 {
            #expect(c.status == .certified)
            #expect(try #require(c.margins[.sgn]) > 0)
        } else {
            #expect(try #require(c.margins[.sgn]) < 0)
            #expect(try #require(c.gainSpectralRadius) > 1)
        }
    }

    /// The euclidean geometry reports the tangent Jacobian itself; the Fisher geometry the
    /// Jacobian of the natural-gradient field in the Fisher metric at θ*
    /// (MarkovFieldJacobianTests checks it against finite differences), which at θ* is the
    /// normalisation `F̃^{-1/2} J̃ F̃^{-1/2}` (checked against an explicit dense product).
    @Test func geometries() throws {
        let fisher = randomMarkovGame(actions: [3, 2], states: 2, discount: 0.7, temperature: 0.6, seed: 31)
        let euclidean = randomMarkovGame(
            actions: [3, 2], states: 2, discount: 0.7, temperature: 0.6, seed: 31, geometry: .euclidean)
        let theta = randomLogits(fisher.layout.rawCount, seed: 32)
        let jt = fisher.tangentJacobian(at: theta)
        #expect(relativeDifference(try euclidean.certifiedJacobian(at: theta).dense(), jt) == 0)
        #expect(relativeDifference(euclidean.fieldJacobian(at: theta), jt) == 0)
        let star = fisher.solution.logits
        let k = try fisher.certifiedJacobian(at: star).dense()
        // K = F̃^{-1/2} J̃ F̃^{-1/2} exactly when F̃^{1/2} K F̃^{1/2} = J̃ (F̃ block diagonal, so its
        // square root is the block-wise one).
        let root = try MarkovFieldJacobianTests.fisher(fisher, at: star).root
        #expect(relativeDifference(root * k * root, fisher.tangentJacobian(at: star)) < 1e-9)
    }

    /// With γ = 0 the own block at the QRE is exactly τ·I in the Fisher geometry (the reward's
    /// own curvature cancels against the entropy's first-order terms there).
    @Test func ownBlocksAtQREAreTemperature() throws {
        let game = try markovExample("rps-perturbed-tau1.json")
        let k = try game.certifiedJacobian(at: game.solution.logits)
        for i in 0..<2 { #expect(relativeDifference(k.diagonal[i], .scalar(1, size: 2)) < 1e-12) }
        let p = game.policies(game.solution.logits)[0][0]
        #expect(p.max()! - p.min()! > 0.05, "the perturbed RPS equilibrium is not uniform")
    }

    /// Every example's equilibrium has a logit residual within its tolerance (and then ‖F‖ is at
    /// rounding level too), lies on the principal branch, and its logits are centred.
    @Test(arguments: examples) func equilibriumResidual(_ name: String) throws {
        let game = try markovExample(name)
        #expect(game.solution.converged)
        #expect(game.solution.branch == "principal")
        #expect(game.solution.residual <= game.solution.tolerance)
        #expect(game.solution.tolerance == 1e-10 * game.logitScale)
        #expect(game.logitResidual(at: game.solution.logits) == game.solution.residual)
        #expect(game.residual(at: game.solution.logits) <= 1e-10)
        for i in game.players.indices {
            for s in 0..<game.layout.stateCount {
                #expect(
                    abs(game.layout.logitRange(player: i, state: s).reduce(0) { $0 + game.solution.logits[$1] }) < 1e-12
                )
            }
        }
    }

    /// The equilibrium of random general-sum games (three players, several states) is found by
    /// the solver, including at low temperature.
    @Test(arguments: [(0.05, UInt64(11)), (0.3, 12), (2, 13)]) func randomEquilibria(_ tau: Double, _ seed: UInt64) {
        let game = randomMarkovGame(actions: [2, 3, 2], states: 3, discount: 0.9, temperature: tau, seed: seed)
        #expect(game.solution.converged, "residual \(game.solution.residual), \(game.solution.method)")
    }

    /// The fallback of the solver (Newton on the logit residual from the uniform policy) reaches
    /// the continuation's equilibrium in these games, which have one QRE near the uniform policy.
    @Test(arguments: ["rps-perturbed-tau0.1.json", "supply-chain-3x3.json", "coordination-2x2x2.json"])
    func solverFallbacks(_ name: String) throws {
        let game = try markovExample(name)
        let star = game.layout.toTangent(game.solution.logits)
        let run = game.newton(
            from: [Double](repeating: 0, count: star.count), temperature: game.temperature,
            tolerance: game.solution.tolerance, maxIterations: 60)
        #expect(run.converged)
        #expect(zip(run.x, star).allSatisfy { abs($0 - $1) < 1e-8 })
    }

    /// A region where a probability underflows to 0: the Fisher matrix is singular there, but
    /// the certified field (the closed form `τ(θ − mean θ) − d(Q̄ − mean Q̄)`) and its Jacobian are
    /// defined everywhere and the metric is frozen at θ* (uniform here), so the region is
    /// examined; θ* lies outside it, so there is no basin. Player a's own block is τ exactly.
    @Test func underflowingRegionIsExamined() throws {
        let game = try markovGame(
            """
            {"kind": "markov", "discount": 0, "temperature": 1, "states": 1,
             "players": [{"name": "a", "actions": 2}, {"name": "b", "actions": 2}],
             "rewards": {"a": [[[1, -1], [-1, 1]]], "b": [[[-1, 1], [1, -1]]]},
             "region": {"center": {"a": [[800, 0]], "b": [[0, 0]]}}}
            """)
        let c = try Certifier(estimationMode: .sampled).certify(game)
        #expect(c.examined == true)
        #expect(c.basinRadius == nil)
        expectClose(c.constants.curvature[0], 1, 1e-12)
    }

    /// A region centred away from θ*: reported as given; the basin accounts for the offset and
    /// disappears when θ* is outside the box.
    @Test func offCentreRegion() throws {
        let base = try markovExample("matching-pennies-tau2.json")
        func certificate(offset: Double) throws -> Certificate {
            let centre = [offset, 0, 0, 0]
            let g = MarkovGame(
                name: "off", stateNames: base.stateNames, initial: base.initial, discount: 0, temperature: 2,
                players: base.players, transitions: base.transitions, rewards: base.rewards,
                region: .init(radius: 0.1, samples: 8, seed: 1, center: centre))
            #expect(g.region.center == .given)
            return try Certifier().certify(g)
        }
        let centred = try #require(try certificate(offset: 0).basinRadius)
        let near = try #require(try certificate(offset: 0.05).basinRadius)
        #expect(near < centred)
        let far = try certificate(offset: 0.5)
        #expect(far.status == .certified)
        #expect(far.basinRadius == nil)
    }

    /// Adding a constant to a state's logits changes no reported constant: the Jacobian blocks
    /// at a point, and the whole certificate for a region centre shifted that way.
    @Test func invarianceToLogitShifts() throws {
        let game = randomMarkovGame(actions: [2, 3], states: 2, discount: 0.7, temperature: 0.8, seed: 21)
        let theta = randomLogits(game.layout.rawCount, seed: 22, scale: 0.5)
        var shifted = theta
        for idx in game.layout.logitRange(player: 1, state: 0) { shifted[idx] += 3.25 }
        for idx in game.layout.logitRange(player: 0, state: 1) { shifted[idx] -= 1.5 }
        let a = try game.certifiedJacobian(at: theta).dense()
        let b = try game.certifiedJacobian(at: shifted).dense()
        #expect(relativeDifference(a, b) < 1e-12)

        func certificate(_ centre: [Double]) throws -> Certificate {
            let g = MarkovGame(
                name: "shift", stateNames: game.stateNames, initial: game.initial, discount: game.discount,
                temperature: game.temperature, players: game.players, transitions: game.transitions,
                rewards: game.rewards, region: .init(radius: 0.1, samples: 16, seed: 3, center: centre))
            return try Certifier().certify(g)
        }
        let centre = game.solution.logits
        var moved = centre
        for idx in game.layout.logitRange(player: 1, state: 0) { moved[idx] += 3.25 }
        let c1 = try certificate(centre)
        let c2 = try certificate(moved)
        #expect(c1.status == c2.status)
        for i in 0..<2 {
            expectClose(c2.constants.curvature[i], c1.constants.curvature[i], 1e-10)
            expectClose(c2.constants.ownSize[i], c1.constants.ownSize[i], 1e-10)
            expectClose(c2.constants.coupling(i, 1 - i), c1.constants.coupling(i, 1 - i), 1e-10)
            expectClose(c2.weights[i], c1.weights[i], 1e-8)
        }
        for rung in Certificate.Rung.allCases where rung != .lyapunov {
            expectClose(c2.margins[rung], try #require(c1.margins[rung]), 1e-9)
        }
        #expect(c1.margins[.lyapunov] == nil && c2.margins[.lyapunov] == nil)  // sampled: no full metric
        expectClose(c2.lipschitz, c1.lipschitz, 1e-10)
        expectClose(c2.gainSpectralRadius, try #require(c1.gainSpectralRadius), 1e-10)
        expectClose(c2.basinRadius, try #require(c1.basinRadius), 1e-10)
        expectClose(c2.steps?.euler.max, try #require(c1.steps?.euler.max), 1e-9)
    }

    /// Sampling is deterministic, and beyond 4096 vertices uses the centre plus seeded points.
    @Test func samplingIsSeeded() throws {
        let game = try markovExample("supply-chain-3x3.json")
        let (points, method) = game.samplePoints()
        #expect(points.count == 64)
        #expect(points[0] == game.solution.logits)
        #expect(method == .logitBoxRandom(vertices: 32, uniform: 31, seed: 7))
        #expect(game.samplePoints().points == points)
        for p in points { #expect(zip(p, points[0]).allSatisfy { abs($0 - $1) <= 0.1 + 1e-15 }) }
    }

    /// Seeded sample points are keyed by player name, state and action, not by position: the
    /// supply chain with its players listed in reverse order (tensors permuted to match, a fixture)
    /// gives the same constants, rate, β and weights (it gave 0.25727 against 0.25709 when points
    /// were drawn in coordinate order).
    @Test func sampledCertificateIgnoresPlayerOrder() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/supply-chain-3x3-reversed.json").path
        let forward = try Certifier().certify(try GameReader.read(path: examplePath("supply-chain-3x3.json")))
        let reversed = try Certifier().certify(try GameReader.read(path: fixture))
        #expect(reversed.players == forward.players.reversed())
        let rate = try #require(forward.contractionRate)
        expectClose(reversed.contractionRate ?? .nan, rate, 1e-12 * rate)
        expectClose(reversed.lipschitz, forward.lipschitz, 1e-12 * forward.lipschitz)
        for (a, b) in zip(forward.constants.curvature, reversed.constants.curvature.reversed()) {
            expectClose(a, b, 1e-12)
        }
        for (a, b) in zip(forward.weights, reversed.weights.reversed()) { expectClose(a, b, 1e-9) }
    }

    /// The basin radius follows the documented formula: for one state with two actions at the
    /// uniform policy and euclidean geometry it is exactly the region radius (unit weights).
    @Test func basinFormula() throws {
        let game = try markovGame(
            """
            {"kind": "markov", "discount": 0, "temperature": 2, "states": 1, "geometry": "euclidean",
             "players": [{"name": "a", "actions": 2}, {"name": "b", "actions": 2}],
             "rewards": {"a": [[[1, -1], [-1, 1]]], "b": [[[-1, 1], [1, -1]]]}, "region": {"radius": 0.2}}
            """)
        // ρ = √2·r·min √w, spread = Σ w_i A_i = 2 + 2: b = √2·0.2/2 for unit weights.
        expectClose(game.basinRadius(weights: [1, 1]), 0.2 * 2.0.squareRoot() / 2, 1e-15)
        // In the Fisher geometry the eigenvalue bounds over the box enter.
        let fisher = try markovExample("matching-pennies-tau2.json")
        let (lo, hi) = fisher.fisherEigenvalueRange(player: 0, state: 0)
        expectClose(lo, 1 / (1 + exp(0.2)), 1e-15)
        expectClose(hi, 1 / (1 + exp(-0.2)), 1e-15)
        expectClose(
            fisher.basinRadius(weights: [1, 1]), 2.0.squareRoot() * 0.1 * lo.squareRoot() / (4 * hi).squareRoot(), 1e-14
        )
    }

    /// A game that throws `GameNotCertifiable` gets a not-certified certificate with its reason
    /// and no constants: here a Markov game whose equilibrium is marked as not found.
    @Test func equilibriumNotFoundIsNotCertified() throws {
        var game = try markovExample("coordination-2x2x2.json")
        game.solution.residual = 1e-6
        let c = try Certifier().certify(game)
        #expect(c.status == .notCertified)
        #expect(c.certifiedBy == nil)
        #expect(c.reason?.contains("equilibrium was not found") == true)
        #expect(c.examined == false)
        #expect(c.basinRadius == nil)
        let json = JSONWriter.write(c.json)
        #expect(json.contains("\"curvature\":{\"p1\":null,\"p2\":null}"))
        #expect(json.contains("\"samples\":0"))
        #expect(json.contains("\"residual\":0.000001") || json.contains("\"residual\":1e-06"))
    }
}
