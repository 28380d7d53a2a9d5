import Foundation
import Testing

@testable import SGN

/// A seeded random Markov game: N players with the given action counts, S states, random
/// transitions (all positive) and rewards in [−1, 1].
func randomMarkovGame(
    actions: [Int], states: Int, discount: Double, temperature: Double, seed: UInt64,
    geometry: MarkovGame.Geometry = .fisher, region: MarkovGame.Region = .init()
) -> MarkovGame {
    var g = SeededGenerator(seed: seed)
    let joint = actions.reduce(1, *)
    var transitions: [Double] = []
    for _ in 0..<(states * joint) {
        let w = (0..<states).map { _ in g.uniform(0.1, 1) }
        let z = w.reduce(0, +)
        transitions += w.map { $0 / z }
    }
    let rewards = actions.indices.map { _ in (0..<(states * joint)).map { _ in g.uniform(-1, 1) } }
    let w0 = (0..<states).map { _ in g.uniform(0.1, 1) }
    let initial = w0.map { $0 / w0.reduce(0, +) }
    return MarkovGame(
        name: "random", stateNames: (0..<states).map { "s\($0)" }, initial: initial, discount: discount,
        temperature: temperature,
        players: actions.enumerated().map { .init(name: "p\($0.offset)", actions: $0.element) },
        transitions: transitions, rewards: rewards, geometry: geometry, region: region)
}

/// A seeded random raw logit vector with entries in [−scale, scale].
func randomLogits(_ count: Int, seed: UInt64, scale: Double = 1) -> [Double] {
    var g = SeededGenerator(seed: seed)
    return (0..<count).map { _ in g.uniform(-scale, scale) }
}

/// Reads an example as a Markov game.
func markovExample(_ name: String) throws -> MarkovGame {
    try #require(try GameReader.read(path: examplePath(name)) as? MarkovGame)
}

/// A Markov game from JSON text.
func markovGame(_ json: String) throws -> MarkovGame {
    try #require(try game(json) as? MarkovGame)
}

/// Largest entry-wise difference of two matrices, relative to the larger of 1 and their size.
func relativeDifference(_ a: Matrix, _ b: Matrix) -> Double {
    let scale = max(1, a.maxAbs, b.maxAbs)
    return zip(a.values, b.values).reduce(0) { max($0, abs($1.0 - $1.1)) } / scale
}
