import Foundation
import Testing

@testable import SGN

/// The `.nfg` reader: Gambit's profile order (player 1's strategy changes fastest) mapped to
/// sgn's joint index (player 1 slowest), outcomes, fractions, one-strategy players.
@Suite("Gambit .nfg reader")
struct NormalFormInputTests {
    static func read(_ name: String) throws -> NormalFormGame {
        let path = examplePath("gambit/\(name)")
        return try NFGReader.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    /// e04.nfg (payoff version, 3×2): profile k is (k mod 3, k div 3) with payoffs
    /// (0,0) (−1,2) (−2,−2) (0,0) (−1,0) (3,−1); in sgn's order (s1, s2) ↦ 2·s1 + s2.
    @Test func payoffVersionOrder() throws {
        let g = try Self.read("e04.nfg")
        #expect(g.players == ["Player 1", "Player 2"])
        #expect(g.strategies == [["1", "2", "3"], ["1", "2"]])
        #expect(g.payoffs[0] == [0, 0, -1, -1, -2, 3])
        #expect(g.payoffs[1] == [0, 0, 2, 0, -2, -1])
        #expect(g.title.hasPrefix("Kreps-Wilson"))
    }

    /// 2x2x2.nfg (outcome version): outcome 4 = (9, 8, 2) sits at profile 4, i.e. strategies
    /// (2, 2, 1) (1-based), joint index 1·4 + 1·2 + 0 = 6.
    @Test func outcomeVersionOrder() throws {
        let g = try Self.read("2x2x2.nfg")
        #expect(g.players.count == 3)
        #expect(g.payoffs.map { $0[6] } == [9, 8, 2])
        #expect(g.payoffs.map { $0[0] } == [9, 8, 12])
        #expect(g.payoffs.map { $0[3] } == [3, 4, 6])  // profile 7: strategies (1, 2, 2)
    }

    /// Fractions, the null outcome, commas and a one-strategy player (left out).
    @Test func details() throws {
        let text = """
            NFG 1 R "x" { "A" "B" "C" }
            { { "u" "d" } { "only" } { "l" "r" } }
            "a comment"
            { { "o1" 1/2, -3/4, 5 } { "o2" 1.5e1 2 3 } }
            1 0 2 1
            """
        let g = try NFGReader.parse(Array(text.utf8))
        #expect(g.players == ["A", "C"])
        #expect(g.strategies == [["u", "d"], ["l", "r"]])
        #expect(g.comment == "a comment")
        // Profiles (A, C): (u,l)=o1, (d,l)=null, (u,r)=o2, (d,r)=o1; sgn index 2·a + c.
        #expect(g.payoffs[0] == [0.5, 15, 0, 0.5])
        #expect(g.payoffs[1] == [5, 3, 0, 5])
    }
}
