import Testing

@testable import SGN

/// `sgn generate`'s library side: deterministic, well-formed, round-trips through the reader.
@Suite("Generators")
struct GeneratorTests {
    /// The same seed gives the same bytes; another seed gives another game.
    @Test func deterministicBySeed() {
        let a = GameGenerators.network(players: 40, dim: 2, degree: 4, seed: 3).inputJSON()
        let b = GameGenerators.network(players: 40, dim: 2, degree: 4, seed: 3).inputJSON()
        let c = GameGenerators.network(players: 40, dim: 2, degree: 4, seed: 4).inputJSON()
        #expect(a == b)
        #expect(a != c)
        #expect(
            GameGenerators.dense(players: 4, dim: 3, seed: 9).inputJSON()
                == GameGenerators.dense(players: 4, dim: 3, seed: 9).inputJSON())
        #expect(GameGenerators.lq(dim: 8, seed: 2).inputJSON() == GameGenerators.lq(dim: 8, seed: 2).inputJSON())
    }

    /// Writing a generated game and reading it back gives exactly the same Jacobian and terms.
    @Test func roundTripsThroughTheReader() throws {
        for g in [
            GameGenerators.network(players: 30, dim: 3, degree: 6, seed: 1),
            GameGenerators.dense(players: 5, dim: 2, seed: 1), GameGenerators.lq(dim: 6, seed: 5),
        ] {
            let back = try #require(try GameReader.decode(bytes: Array(g.inputJSON().utf8)) as? QuadraticGame)
            #expect(back.name == g.name)
            #expect(back.jacobian.dense() == g.jacobian.dense())
            #expect(back.linearTerm == g.linearTerm)
        }
    }

    /// Network games: ring plus chords, so strongly connected, with about `degree` neighbours.
    @Test func networkShape() throws {
        let g = GameGenerators.network(players: 200, dim: 2, degree: 4, seed: 11)
        let counts = g.jacobian.offDiagonal.map(\.count)
        #expect(counts.allSatisfy { $0 >= 2 })
        let mean = Double(counts.reduce(0, +)) / 200
        #expect(mean > 3 && mean <= 4)
        let gamma = ComparisonMatrix(try BlockConstants(g.jacobian))
        #expect(gamma.stronglyConnectedComponents().count == 1)
    }

    /// The LQ family has the mini-toy's constants: SGN margin 1 − √0.5 at λ = 1.
    @Test func lqHasMiniToyMargin() throws {
        let c = try Certifier().certify(GameGenerators.lq(dim: 8, lambda: 1, seed: 1))
        #expect(c.status == .certified)
        expectClose(c.margins[.sgn], 1 - 0.5.squareRoot(), 1e-9)
    }

    /// Shards partition any file list: every file in exactly one shard, sizes within one.
    @Test func shardsPartition() throws {
        let files = (0..<23).map { "dir/g\($0 * 7 % 23).json" }.shuffled()
        var seen: [String] = []
        var sizes: [Int] = []
        for i in 1...4 {
            let part = try #require(BatchRunner.Shard("\(i)/4")).select(files)
            seen += part
            sizes.append(part.count)
        }
        #expect(seen.sorted() == files.sorted())
        #expect(Set(seen).count == files.count)
        #expect(sizes.max()! - sizes.min()! <= 1)
        #expect(BatchRunner.Shard("0/4") == nil)
        #expect(BatchRunner.Shard("5/4") == nil)
        #expect(BatchRunner.Shard("1/0") == nil)
        #expect(BatchRunner.Shard("a/b") == nil)
    }

    /// Sizes are checked against certify's input limits from the options alone, overflow
    /// included: the boundaries of total dimension, stored entries and file size.
    @Test func sizeProblemUsesTheInputLimits() {
        #expect(GameGenerators.sizeProblem(players: 50, dim: 20, blocks: 2500, options: "o") == nil)
        #expect(GameGenerators.sizeProblem(players: 2_000_000, dim: 1, blocks: 1, options: "o") == nil)
        #expect(
            GameGenerators.sizeProblem(players: 2_000_001, dim: 1, blocks: 1, options: "o")?.contains("total") == true)
        #expect(
            GameGenerators.sizeProblem(players: Int.max, dim: 2, blocks: 1, options: "o")?.contains("total") == true)
        let entries = InputLimits.maxFileBytes / GameGenerators.bytesPerEntry
        #expect(GameGenerators.sizeProblem(players: 1, dim: 1, blocks: entries, options: "o") == nil)
        #expect(
            GameGenerators.sizeProblem(players: 1, dim: 1, blocks: entries + 1, options: "o")?.contains("MiB") == true)
        #expect(
            GameGenerators.sizeProblem(players: 50, dim: 10_000, blocks: 2500, options: "--dim 10000")?.hasPrefix(
                "--dim 10000: the game would store 2500 blocks") == true)
        #expect(GameGenerators.sizeProblem(players: 2, dim: 3_037_000_500, blocks: 4, options: "o") != nil)
        #expect(GameGenerators.networkBlocks(players: 1000, degree: 4) == 5000)
        #expect(GameGenerators.denseBlocks(players: Int.max) == Int.max)
    }
}
