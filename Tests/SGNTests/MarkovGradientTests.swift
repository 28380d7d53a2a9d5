import Foundation
import Testing

@testable import SGN

/// The exact pseudo-gradient and Jacobian of Markov games against central finite differences
/// (the only place finite differences are used: as an oracle).
@Suite("Markov games: gradients and Jacobians")
struct MarkovGradientTests {
    static let cases: [(actions: [Int], states: Int, discount: Double, temperature: Double, seed: UInt64)] = [
        ([2, 2], 1, 0, 0.7, 1),
        ([3, 2], 2, 0.9, 1, 2),
        ([2, 3, 2], 3, 0.6, 0.4, 3),
        ([4], 2, 0.95, 0.2, 4),
    ]

    /// `F_i = −∇_{θ_i} J_i`, checked coordinate by coordinate against central differences of the
    /// objectives, for random games and random (non-equilibrium) logits.
    @Test(arguments: 0..<4) func gradientMatchesFiniteDifferences(_ k: Int) {
        let c = Self.cases[k]
        let game = randomMarkovGame(
            actions: c.actions, states: c.states, discount: c.discount, temperature: c.temperature, seed: c.seed)
        let theta = randomLogits(game.layout.rawCount, seed: 100 + c.seed)
        let f = game.pseudoGradient(theta)
        let h = 1e-5
        for i in game.players.indices {
            for idx in game.layout.rawOffsets[i]..<game.layout.rawOffsets[i + 1] {
                var plus = theta
                var minus = theta
                plus[idx] += h
                minus[idx] -= h
                let fd = -(game.objectives(plus)[i] - game.objectives(minus)[i]) / (2 * h)
                #expect(abs(fd - f[idx]) < 1e-8, "player \(i), logit \(idx): exact \(f[idx]), finite difference \(fd)")
            }
        }
    }

    /// Each state's block of F sums to zero: the pseudo-gradient is a tangent vector.
    @Test(arguments: 0..<4) func gradientIsTangent(_ k: Int) {
        let c = Self.cases[k]
        let game = randomMarkovGame(
            actions: c.actions, states: c.states, discount: c.discount, temperature: c.temperature, seed: c.seed)
        let f = game.pseudoGradient(randomLogits(game.layout.rawCount, seed: 7, scale: 3))
        for i in game.players.indices {
            for s in 0..<c.states {
                let sum = game.layout.logitRange(player: i, state: s).reduce(0) { $0 + f[$1] }
                #expect(abs(sum) < 1e-12)
            }
        }
    }

    /// The tangent Jacobian (dual numbers) against central differences of F along each tangent
    /// basis vector.
    @Test(arguments: 0..<4) func jacobianMatchesFiniteDifferences(_ k: Int) {
        let c = Self.cases[k]
        let game = randomMarkovGame(
            actions: c.actions, states: c.states, discount: c.discount, temperature: c.temperature, seed: c.seed)
        let layout = game.layout
        let theta = randomLogits(layout.rawCount, seed: 200 + c.seed)
        let exact = game.tangentJacobian(at: theta)
        let h = 1e-5
        var fd = Matrix(rows: layout.tangentCount, cols: layout.tangentCount)
        for col in 0..<layout.tangentCount {
            var e = [Double](repeating: 0, count: layout.tangentCount)
            e[col] = 1
            let direction = layout.fromTangent(e)
            let plus = layout.toTangent(game.pseudoGradient(zip(theta, direction).map { $0 + h * $1 }))
            let minus = layout.toTangent(game.pseudoGradient(zip(theta, direction).map { $0 - h * $1 }))
            for r in 0..<layout.tangentCount { fd[r, col] = (plus[r] - minus[r]) / (2 * h) }
        }
        #expect(
            relativeDifference(exact, fd) < 1e-8,
            "dual vs finite differences differ by \(relativeDifference(exact, fd))")
    }

    /// The dual-number directional derivative of F along a raw constant shift of one state's
    /// logits is zero (the policy cannot see it).
    @Test func shiftDirectionIsInvisible() {
        let game = randomMarkovGame(actions: [2, 3], states: 2, discount: 0.8, temperature: 0.5, seed: 9)
        let theta = randomLogits(game.layout.rawCount, seed: 10)
        var point = theta.map { Dual($0) }
        for idx in game.layout.logitRange(player: 1, state: 1) { point[idx].tangent = 1 }
        let d = game.pseudoGradient(point).map(\.tangent)
        #expect(d.allSatisfy { abs($0) < 1e-13 })
    }

    /// The Helmert tangent basis is orthonormal and spans the sum-zero directions.
    @Test(arguments: [2, 3, 5]) func tangentBasisIsOrthonormal(_ a: Int) {
        let u = SoftmaxGeometry.tangentBasis(actions: a)
        let g = u.transposed * u
        #expect(relativeDifference(g, .identity(a - 1)) < 1e-15)
        for k in 0..<(a - 1) { #expect(abs((0..<a).reduce(0) { $0 + u[$1, k] }) < 1e-15) }
    }
}
