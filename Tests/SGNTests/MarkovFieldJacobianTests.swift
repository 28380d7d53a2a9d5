import Foundation
import Testing

@testable import SGN

/// The dynamics a Markov certificate names (docs/markov-games.md, "What a certificate means"):
/// natural policy gradient, measured in the Fisher metric frozen at θ*. Its closed form equals
/// the Fisher solve, its Jacobian D matches finite differences, the certified blocks are
/// `F*^{1/2} D F*^{-1/2}` (K at θ*), and away from θ* they differ from K enough to matter.
@Suite("Markov games: the certified field and its Jacobian")
struct MarkovFieldJacobianTests {
    /// Block diagonal `F̃(θ)` per player and state, and its square roots.
    static func fisher(_ game: MarkovGame, at theta: [Double]) throws -> (
        f: Matrix, root: Matrix, inverseRoot: Matrix
    ) {
        let m = game.layout.tangentCount
        var f = Matrix(rows: m, cols: m)
        for i in game.players.indices {
            for s in 0..<game.layout.stateCount {
                let p = SoftmaxGeometry.policy(theta[game.layout.logitRange(player: i, state: s)])
                let o = game.layout.tangentRange(player: i, state: s).lowerBound
                f.setBlock(SoftmaxGeometry.fisher(policy: p, basis: game.layout.bases[i]), row: o, col: o)
            }
        }
        let roots = try #require(try SoftmaxGeometry.squareRoots(f))
        return (f, roots.root, roots.inverseRoot)
    }

    /// The linearisation `K(θ) = F̃(θ)^{-1/2} J̃(θ) F̃(θ)^{-1/2}` (what certificates bounded before
    /// they bounded D), dense.
    static func linearisation(_ game: MarkovGame, at theta: [Double]) throws -> Matrix {
        let inverse = try fisher(game, at: theta).inverseRoot
        return inverse * game.tangentJacobian(at: theta) * inverse
    }

    /// `Uᵀ ∂G/∂θ U` by central differences of the field (step 1e-6), an oracle for the dual
    /// numbers of `fieldJacobian`.
    static func finiteDifferenceJacobian(_ game: MarkovGame, at theta: [Double]) -> Matrix {
        let m = game.layout.tangentCount
        var d = Matrix(rows: m, cols: m)
        let h = 1e-6
        for c in 0..<m {
            var e = [Double](repeating: 0, count: m)
            e[c] = 1
            let direction = game.layout.fromTangent(e)
            let plus = game.field(zip(theta, direction).map { $0 + h * $1 })
            let minus = game.field(zip(theta, direction).map { $0 - h * $1 })
            let column = game.layout.toTangent(zip(plus, minus).map { ($0 - $1) / (2 * h) })
            for r in 0..<m { d[r, c] = column[r] }
        }
        return d
    }

    /// The closed form `τ(θ − mean θ) − d(Q̄ − mean Q̄)` is the natural policy gradient
    /// `U F̃(θ)⁻¹ Uᵀ F(θ)` at random points of random games.
    @Test(arguments: 0..<4) func closedFormIsTheFisherSolve(_ k: Int) throws {
        let game = randomMarkovGame(
            actions: [2 + k % 2, 3], states: 1 + k % 2, discount: k < 2 ? 0 : 0.7, temperature: 0.7,
            seed: 40 + UInt64(k))
        let theta = randomLogits(game.layout.rawCount, seed: 41 + UInt64(k))
        let inverse = try Self.fisher(game, at: theta).inverseRoot
        let solved = game.layout.fromTangent(
            (inverse * inverse) * game.layout.toTangent(game.pseudoGradient(theta)))
        let field = game.field(theta)
        let scale = max(1, field.map(abs).max()!)
        #expect(zip(field, solved).allSatisfy { abs($0 - $1) <= 1e-12 * scale })
    }

    /// D (dual numbers through the exact field) agrees with central differences, and the
    /// certified blocks are `F*^{1/2} D F*^{-1/2}` with F* the Fisher matrix at θ*; at θ* they are
    /// K = F*^{-1/2} J̃ F*^{-1/2}, elsewhere not.
    @Test(arguments: 0..<4) func certifiedBlocksAreTheFieldJacobianInTheFrozenMetric(_ k: Int) throws {
        let game = randomMarkovGame(
            actions: [3, 2], states: 2, discount: k < 2 ? 0.6 : 0, temperature: 0.8, seed: 60 + UInt64(k))
        try #require(game.solution.converged)
        let theta = zip(game.solution.logits, randomLogits(game.layout.rawCount, seed: 61 + UInt64(k)))
            .map { $0 + 0.3 * $1 }
        let d = game.fieldJacobian(at: theta)
        #expect(relativeDifference(d, Self.finiteDifferenceJacobian(game, at: theta)) < 1e-7)
        let metric = try Self.fisher(game, at: game.solution.logits)
        let blocks = try game.certifiedJacobian(at: theta).dense()
        #expect(relativeDifference(metric.inverseRoot * blocks * metric.root, d) < 1e-12)
        let star = try game.certifiedJacobian(at: game.solution.logits).dense()
        #expect(relativeDifference(star, try Self.linearisation(game, at: game.solution.logits)) < 1e-9)
        #expect(relativeDifference(blocks, try Self.linearisation(game, at: theta)) > 1e-3)
    }

    /// D ≠ K matters. Pinned game (2 players × 2 actions, one state, γ = 0, τ = 0.3, seed 6) on a
    /// logit box of radius 0.5, sampled at 65 points: at the sample point where they differ most,
    /// the linearisation K has margin λmin(sym K) = 0.554 but the certified dynamics' Jacobian
    /// (in the frozen metric) only 0.284 — a certificate built on K would claim twice the
    /// contraction there. The flow agrees with D, not K: two points 1e-6 apart along D's weakest
    /// direction approach each other, per unit time (one Euler step of 1e-5), at D's rate. The
    /// certificate's stated margin is D's minimum over the samples, so at most 0.284.
    @Test func theLinearisationWouldOverstateTheMargin() throws {
        let game = randomMarkovGame(
            actions: [2, 2], states: 1, discount: 0, temperature: 0.3, seed: 6,
            region: .init(radius: 0.5, samples: 65, seed: 1))
        try #require(game.solution.converged)
        func margin(_ m: Matrix) throws -> Double {
            try MetricSpectra(JacobianSet(jacobians: [game.split(m)], estimation: .exact)).margin(weights: [1, 1])
        }
        var worst = (gap: -Double.infinity, point: [Double](), k: 0.0, d: 0.0)
        for p in game.samplePoints().points {
            let k = try margin(try Self.linearisation(game, at: p))
            let d = try margin(try game.certifiedJacobian(at: p).dense())
            if k - d > worst.gap { worst = (k - d, p, k, d) }
        }
        expectClose(worst.k, 0.5542, 1e-3)
        expectClose(worst.d, 0.2839, 1e-3)

        // The weakest direction of sym(K̂) at that point, as a logit displacement.
        let blocks = try game.certifiedJacobian(at: worst.point).dense()
        let sym = 0.5 * (blocks + blocks.transposed)
        let eigen = try LAPACK.symmetricEigen(sym)
        let v = (0..<sym.rows).map { eigen.vectors[$0, 0] }
        let metric = try Self.fisher(game, at: game.solution.logits)
        let direction = game.layout.fromTangent(metric.inverseRoot * v)
        let epsilon = 1e-6
        let h = 1e-5
        let x = worst.point
        let y = zip(x, direction).map { $0 + epsilon * $1 }
        let before = game.metricNorm(zip(x, y).map { $0 - $1 }, weights: [1, 1])
        let fx = game.field(x)
        let fy = game.field(y)
        let stepX = zip(x, fx).map { $0 - h * $1 }
        let stepY = zip(y, fy).map { $0 - h * $1 }
        let after = game.metricNorm(zip(stepX, stepY).map { $0 - $1 }, weights: [1, 1])
        let rate = (1 - after / before) / h
        expectClose(rate, worst.d, 1e-3)
        #expect(rate < worst.k - 0.2)

        let certificate = try Certifier(estimationMode: .sampled).certify(game)
        #expect(try #require(certificate.margins[.euclidean]) <= worst.d + 1e-12)
    }
}
