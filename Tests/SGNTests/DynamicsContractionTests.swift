import Foundation
import Testing

@testable import SGN

/// Certified steps really contract when simulated, and the equilibrium is right.
@Suite("Certified dynamics")
struct DynamicsContractionTests {
    static let certifiedExamples = [
        "mini-toy.json", "scaled-0.5.json", "scaled-1.2.json", "lq-64.json",
        "zero-sum-like.json", "network-4.json", "boxed.json",
    ]

    /// From seeded starts, every projected Euler step at the recommended step shrinks the
    /// distance to the equilibrium in the certificate's metric by at most the certified factor,
    /// and so does every step at 0.9 × max.
    @Test(arguments: certifiedExamples)
    func eulerContractsAsCertified(example: String) throws {
        let game = try #require(try GameReader.read(path: examplePath(example)) as? QuadraticGame)
        let c = try Certifier().certify(game)
        try #require(c.status == .certified)
        let steps = try #require(c.steps)
        let star = try #require(game.equilibriumState(certifiedStep: steps.euler.recommended))
        let alpha = try #require(c.contractionRate)
        var g = SeededGenerator(seed: 42)
        for h in [steps.euler.recommended, 0.9 * steps.euler.max] {
            let q = StepSizes.eulerFactor(step: h, margin: alpha, lipschitz: c.lipschitz)
            #expect(q < 1)
            for _ in 0..<5 {
                var x = game.project(star.map { $0 + g.uniform(-3, 3) })
                for _ in 0..<40 {
                    let before = game.metricNorm(zip(x, star).map(-), weights: c.weights)
                    if before < 1e-9 { break }
                    x = game.project(zip(x, game.field(x)).map { $0 - h * $1 })
                    let after = game.metricNorm(zip(x, star).map(-), weights: c.weights)
                    #expect(
                        after <= q * before * (1 + 1e-9) + 1e-12,
                        "\(example): step \(h) grew \(before) → \(after), certified factor \(q)")
                }
            }
        }
    }

    /// The boxed example's equilibrium satisfies the box KKT conditions: interior coordinates
    /// have F = 0, coordinates at a lower bound F ≥ 0, at an upper bound F ≤ 0.
    @Test func boxedEquilibriumSatisfiesKKT() throws {
        let game = try #require(try GameReader.read(path: examplePath("boxed.json")) as? QuadraticGame)
        let c = try Certifier().certify(game)
        let e = try #require(c.equilibrium)
        #expect(e.residual < 1e-10)
        let x = e.point!.flatMap { $0 }
        let f = game.pseudoGradient(x)
        let lower = game.players.flatMap { $0.lower! }
        let upper = game.players.flatMap { $0.upper! }
        var onBoundary = 0
        for k in x.indices {
            if abs(x[k] - lower[k]) < 1e-12 {
                #expect(f[k] >= -1e-9)
                onBoundary += 1
            } else if abs(x[k] - upper[k]) < 1e-12 {
                #expect(f[k] <= 1e-9)
                onBoundary += 1
            } else {
                #expect(abs(f[k]) < 1e-9)
            }
        }
        #expect(onBoundary >= 1, "the example is meant to have a boundary equilibrium")
    }

    /// Unconstrained equilibria solve J x = −b.
    @Test func unconstrainedEquilibriumSolvesLinearSystem() throws {
        let game = try #require(try GameReader.read(path: examplePath("network-4.json")) as? QuadraticGame)
        let c = try Certifier().certify(game)
        let x = try #require(c.equilibrium?.point).flatMap { $0 }
        #expect(game.pseudoGradient(x).allSatisfy { abs($0) < 1e-12 })
        #expect(x.contains { $0 != 0 })
    }

    /// `--objective euler` maximises α/β²: its recommended Euler step is at least the rate
    /// objective's, and its margin at most.
    @Test(arguments: ["mini-toy.json", "network-4.json", "boxed.json"])
    func objectivesTradeMarginForSteps(example: String) throws {
        let game = try GameReader.read(path: examplePath(example))
        let rate = try Certifier(objective: .rate).certify(game)
        let euler = try Certifier(objective: .euler).certify(game)
        let rk4 = try Certifier(objective: .rk4).certify(game)
        #expect(euler.steps!.euler.recommended >= rate.steps!.euler.recommended * (1 - 1e-9))
        #expect(rk4.contractionRate! / rk4.lipschitz >= rate.contractionRate! / rate.lipschitz * (1 - 1e-9))
        #expect(rate.contractionRate! >= euler.contractionRate! * (1 - 1e-9))
    }
}
