import Foundation
import Testing

@testable import SGN

/// The certified dynamics of Markov games, simulated with the game's own `GameDynamics` field:
/// natural policy gradient (fisher) or plain policy gradient (euclidean) at the recommended
/// step, from points of the basin.
@Suite("Markov games: certified dynamics")
struct MarkovDynamicsTests {
    static let certified = [
        "coordination-2x2x2.json", "matching-pennies-tau2.json", "matching-pennies-tau0.5.json",
        "rps-perturbed-tau1.json", "supply-chain-3x3.json",
    ]

    /// From random vertices of the basin box (the farthest points it promises), Euler steps of
    /// the field at the recommended step contract towards θ* in the certificate's metric at
    /// about the certified factor per step, and converge.
    @Test(arguments: certified) func policyGradientConvergesFromTheBasin(_ name: String) throws {
        try simulate(try markovExample(name))
    }

    /// The same in the euclidean geometry (plain policy gradient in logits).
    @Test func euclideanGeometry() throws {
        let text = try String(contentsOfFile: examplePath("coordination-2x2x2.json"), encoding: .utf8)
            .replacingOccurrences(of: "\"geometry\": \"fisher\"", with: "\"geometry\": \"euclidean\"")
        let game = try markovGame(text)
        #expect(game.geometry == "euclidean")
        try simulate(game)
    }

    func simulate(_ game: MarkovGame) throws {
        let c = try Certifier().certify(game)
        #expect(c.status == .certified)
        let h = try #require(c.steps?.euler.recommended)
        let factor = try #require(c.steps?.euler.factor)
        let basin = try #require(c.basinRadius)
        #expect(basin > 0 && basin <= 0.1)
        let star = try #require(game.equilibriumState(certifiedStep: h))
        var rng = SeededGenerator(seed: 5)
        for _ in 0..<8 {
            // A random vertex of the basin box, with both signs in every player's every state
            // (a vertex with one sign in a state is a shift there, which the policy cannot see).
            var theta = star.map { $0 + (rng.next() & 1 == 1 ? basin : -basin) }
            for i in game.players.indices {
                for s in 0..<game.layout.stateCount {
                    let range = game.layout.logitRange(player: i, state: s)
                    if range.allSatisfy({ theta[$0] > star[$0] }) || range.allSatisfy({ theta[$0] < star[$0] }) {
                        theta[range.lowerBound] = 2 * star[range.lowerBound] - theta[range.lowerBound]
                    }
                }
            }
            let start = game.metricNorm(zip(theta, star).map { $0 - $1 }, weights: c.weights)
            var previous = start
            var worstRatio = 0.0
            // Enough steps for the certified factor to reach 1e-11 (proven constants give smaller
            // steps than sampled ones).
            let steps = max(400, Int((log(1e-11) / log(factor)).rounded(.up)))
            for _ in 0..<steps {
                let f = game.field(theta)
                theta = zip(theta, f).map { $0 - h * $1 }
                let d = game.metricNorm(zip(theta, star).map { $0 - $1 }, weights: c.weights)
                if previous > 1e-12 * start { worstRatio = max(worstRatio, d / previous) }
                previous = d
            }
            #expect(previous < 1e-10 * start, "\(game.name): distance \(start) -> \(previous)")
            // The certified factor is estimated from sampled constants in the metric frozen at θ*;
            // the true per-step ratio must not exceed it by more than a small margin.
            #expect(
                worstRatio <= factor * 1.01,
                "\(game.name): worst per-step ratio \(worstRatio), certified factor \(factor)")
        }
    }

    /// The natural gradient field is sum-zero per state, and at θ* it vanishes.
    @Test func fieldIsTangentAndVanishesAtEquilibrium() throws {
        let game = try markovExample("supply-chain-3x3.json")
        let theta = randomLogits(game.stateDimension, seed: 3)
        let f = game.field(theta)
        for i in game.players.indices {
            for s in 0..<game.layout.stateCount {
                #expect(abs(game.layout.logitRange(player: i, state: s).reduce(0) { $0 + f[$1] }) < 1e-12)
            }
        }
        #expect(game.field(game.solution.logits).allSatisfy { abs($0) < 1e-12 })
        #expect(game.project(theta) == theta)
        // Shifts of one state's logits have length zero in the metric.
        var shift = [Double](repeating: 0, count: game.stateDimension)
        for idx in game.layout.logitRange(player: 2, state: 1) { shift[idx] = 4 }
        #expect(game.metricNorm(shift, weights: [1, 1, 1]) < 1e-12)
    }
}
