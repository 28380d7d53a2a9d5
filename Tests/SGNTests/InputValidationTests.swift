import Testing

@testable import SGN

/// Every kind of bad quadratic input is rejected with the JSON path and what was expected.
@Suite("Input validation")
struct InputValidationTests {
    static let player = #"{"name": "x", "dim": 1, "hessian": 1}"#

    static let cases: [(json: String, expected: String)] = [
        ("{", "invalid JSON at line 1, column 2: unexpected end of file inside an object"),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "hessian": NaN}]}"#,
            "NaN and Infinity are not JSON numbers"
        ),
        (#"{"kind": "quadratic", "players": [{"name": "x", "hessian": 1e999}]}"#, "number 1e999 is out of range"),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": -Infinity}]}"#,
            "NaN and Infinity are not JSON numbers"
        ),
        (#"{"kind": "quadratic", "kind": "quadratic", "players": []}"#, "duplicate key \"kind\""),
        (#"[1, 2]"#, "(top level): expected a game object, got an array"),
        (#"{"players": []}"#, "kind: missing required key \"kind\""),
        (#"{"kind": "cubic", "players": []}"#, "kind: unknown game kind \"cubic\""),
        (#"{"kind": "quadratic", "players": []}"#, "players: a game needs at least one player, got an empty array"),
        (#"{"kind": "quadratic"}"#, "missing required key \"players\""),
        (#"{"kind": "quadratic", "players": [], "extra": 1}"#, "extra: unknown key \"extra\""),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": 1, "hesian": 2}]}"#,
            "players[0].hesian: unknown key \"hesian\""
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "", "dim": 1, "hessian": 1}]}"#,
            "players[0].name: player names must be non-empty"
        ),
        (
            #"{"kind": "quadratic", "players": [\#(player), \#(player)]}"#,
            "players[1].name: duplicate player name \"x\" (also players[0])"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 0, "hessian": 1}]}"#,
            "players[0].dim: expected a whole number from 1 to 10000, got 0"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": -2, "hessian": 1}]}"#,
            "players[0].dim: expected a whole number from 1 to 10000, got -2"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1.5, "hessian": 1}]}"#,
            "players[0].dim: expected a whole number, got 1.5"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 100000000, "hessian": 1}]}"#,
            "players[0].dim: expected a whole number from 1 to 10000"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "hessian": 1}]}"#,
            "players[0]: missing \"dim\": \"hessian\" is a number (c stands for c*I), so the player's dimension "
                + "must be given"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "hessian": true}]}"#,
            "players[0].hessian: expected a square matrix (an array of rows) or a number (c stands for c*I, with "
                + "\"dim\" given), got a boolean"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 2, "hessian": [[1, 0]]}]}"#,
            "players[0].hessian: expected 2x2 matrix, got 1x2"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 2, "hessian": [[1, 0], [0]]}]}"#,
            "players[0].hessian: expected 2x2 matrix, got 2 rows of unequal lengths 1/2"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 2, "hessian": [[1, 0], [0, "a"]]}]}"#,
            "players[0].hessian[1][1]: expected a number, got a string"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 2, "hessian": 1}, "#
                + #"{"name": "y", "dim": 3, "hessian": 1, "coupling": {"x": [[1, 0], [0, 1]]}}]}"#,
            "players[1].coupling.x: expected 3x2 matrix, got 2x2"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 2, "hessian": 1, "#
                + #""coupling": {"y": [[1, 2, 3], [4, 5, 6]]}}, {"name": "y", "dim": 2, "hessian": 1}]}"#,
            "players[0].coupling.y: expected 2x2 matrix, got 2x3"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 2, "hessian": 1, "#
                + #""coupling": {"y": 3}}, {"name": "y", "dim": 1, "hessian": 1}]}"#,
            "players[0].coupling.y: expected 2x1 matrix, got a number"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": 1, "coupling": {"z": 1}}]}"#,
            "players[0].coupling.z: unknown player \"z\""
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": 1, "coupling": {"x": 1}}]}"#,
            "players[0].coupling.x: a player cannot be coupled to itself"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 2, "hessian": 1, "linear": [1]}]}"#,
            "players[0].linear: expected an array of 2 numbers, got 1"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": 1, "lower": 2, "upper": 1}]}"#,
            "players[0].lower: lower bound 2.0 exceeds upper bound 1.0 in coordinate 0"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": 1e101}]}"#,
            "players[0].hessian: number 1e+101 is too large"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": 5e-324}]}"#,
            "players[0].hessian: number 5e-324 is too small"
        ),
        (
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": 1, "coupling": []}]}"#,
            "players[0].coupling: expected an object, got an array"
        ),
        (
            #"{"kind": "quadratic", "name": 3, "players": [{"name": "x", "dim": 1, "hessian": 1}]}"#,
            "name: expected a string, got a number"
        ),
    ]

    @Test(arguments: cases)
    func rejected(json: String, expected: String) {
        do {
            _ = try GameReader.decode(bytes: Array(json.utf8))
            Issue.record("accepted bad input: \(json)")
        } catch {
            #expect(error.description.contains(expected), "got: \(error.description)")
        }
    }

    /// Non-UTF-8 bytes inside a string are rejected.
    @Test func invalidUTF8() {
        var bytes = Array(#"{"kind": "quadratic", "name": "ab"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#"", "players": []}"#.utf8)
        #expect(throws: InputError.self) { try GameReader.decode(bytes: bytes) }
    }

    /// Nesting deeper than the limit is rejected without recursion trouble.
    @Test func deepNesting() {
        let json = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        do {
            _ = try GameReader.decode(bytes: Array(json.utf8))
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("nesting deeper than 256 levels"))
        }
    }

    /// The accepted forms: a number for a square block, broadcast bounds, inferred dims.
    @Test func acceptedShorthands() throws {
        let g = try #require(
            try game(
                #"""
                {"kind": "quadratic", "players": [
                  {"name": "x", "hessian": [[2, 0], [0, 3]], "coupling": {"y": 0.5}, "lower": -1},
                  {"name": "y", "dim": 2, "hessian": 4, "linear": 1, "upper": [1, 2]}]}
                """#) as? QuadraticGame)
        #expect(g.name == "game")
        #expect(g.dims == [2, 2])
        #expect(g.jacobian.offDiagonal[0][0].block == Matrix.scalar(0.5, size: 2))
        #expect(g.players[0].lower == [-1, -1] && g.players[0].upper == nil)
        #expect(g.players[1].linear == [1, 1])
        #expect(g.jacobian.diagonal[1] == Matrix.scalar(4, size: 2))
    }

    /// Zero coupling blocks are not stored (absent couplings cost nothing).
    @Test func zeroBlocksNotStored() throws {
        let g = try #require(
            try game(
                #"""
                {"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": 1, "coupling": {"y": 0}}, \#
                {"name": "y", "dim": 1, "hessian": 1}]}
                """#) as? QuadraticGame)
        #expect(g.jacobian.storedBlockCount == 2)
    }
}
