import Foundation
import Testing

@testable import SGN

/// Decoding and validation of `kind: "markov"`: defaults, and every kind of bad input rejected
/// with the exact JSON path.
@Suite("Markov games: input")
struct MarkovInputTests {
    /// A valid one-state game with every optional key left out, as a mutable JSON object.
    static let base: [String: String] = [
        "kind": "\"markov\"",
        "discount": "0.5",
        "temperature": "1",
        "states": "[\"s0\", \"s1\"]",
        "players": "[{\"name\": \"a\", \"actions\": 2}, {\"name\": \"b\", \"actions\": 3}]",
        "transitions":
            "[[[[1, 0], [1, 0], [0.5, 0.5]], [[0, 1], [0, 1], [0.5, 0.5]]], [[[1, 0], [1, "
            + "0], [0.5, 0.5]], [[0, 1], [0, 1], [0.5, 0.5]]]]",
        "rewards":
            "{\"a\": [[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 0, 0]]], \"b\": [[[0, 1, 0], "
            + "[1, 0, 0]], [[1, 1, 0], [0, 0, 1]]]}",
    ]

    static func text(_ changes: [String: String?] = [:]) -> String {
        var o = base
        for (k, v) in changes { o[k] = v }
        let order = [
            "kind", "discount", "temperature", "states", "initial", "players", "transitions", "rewards", "geometry",
            "region", "extra",
        ]
        let keys = o.keys.sorted { (order.firstIndex(of: $0) ?? 99) < (order.firstIndex(of: $1) ?? 99) }
        return "{" + keys.map { "\"\($0)\": \(o[$0]!)" }.joined(separator: ", ") + "}"
    }

    @Test func defaults() throws {
        let g = try markovGame(Self.text())
        #expect(g.name == "game")
        #expect(g.geometryKind == .fisher)
        #expect(g.initial == [0.5, 0.5])
        #expect(
            g.regionSpec.radius == 0.1 && g.regionSpec.samples == nil && g.regionSpec.seed == 1
                && g.regionSpec.center == nil)
        // Samples left out: every vertex while they fit (raw logit count 2·2 + 2·3 = 10), else 256.
        #expect(g.regionSpec.pointCount(rawCount: 10) == 1025)
        #expect(g.regionSpec.pointCount(rawCount: 13) == 256)
        #expect(g.dims == [2, 4])
        #expect(g.stateNames == ["s0", "s1"])
        // transitions[1][0][2] is the distribution after state s1, a plays 0, b plays 2.
        let nj = g.layout.jointCount
        #expect(Array(g.transitions[((1 * nj + 2) * 2)..<((1 * nj + 2) * 2 + 2)]) == [0.5, 0.5])
        #expect(g.rewards[1][1 * nj + 0 * 3 + 1] == 1)
    }

    @Test func statesAsCountAndOneStateWithoutTransitions() throws {
        let g = try markovGame(
            Self.text([
                "states": "1", "transitions": nil,
                "rewards": "{\"a\": [[[1, 0, 0], [0, 1, 0]]], \"b\": [[[0, 1, 0], [1, 0, 0]]]}",
            ]))
        #expect(g.stateNames == ["s0"])
        #expect(g.transitions == [Double](repeating: 1, count: 6))
        #expect(
            throws: InputError(
                path: "(top level)",
                message: "missing required key \"transitions\" (it may be left out only when there is one state)")
        ) {
            try game(Self.text(["transitions": nil]))
        }
    }

    @Test func regionAndGeometry() throws {
        let g = try markovGame(
            Self.text([
                "geometry": "\"euclidean\"",
                "region":
                    "{\"radius\": 0.25, \"samples\": 10, \"seed\": 9, \"center\": {\"b\": [[1, 2, "
                    + "3], [0, 0, 0]], \"a\": [[1, -1], [0.5, 0]]}}",
            ]))
        #expect(g.geometryKind == .euclidean)
        #expect(g.regionSpec.radius == 0.25 && g.regionSpec.samples == 10 && g.regionSpec.seed == 9)
        #expect(g.regionSpec.center == [1, -1, 0.5, 0, 1, 2, 3, 0, 0, 0])
        #expect(g.region.center == .given)
    }

    static let bad: [(changes: [String: String?], path: String, message: String)] = [
        (["extra": "1"], "extra", "unknown key \"extra\""),
        (["discount": "1"], "discount", "discount must be in [0, 1), got 1.0"),
        (["discount": "-0.1"], "discount", "discount must be in [0, 1)"),
        (["discount": nil], "(top level)", "missing required key \"discount\""),
        (["temperature": "0"], "temperature", "temperature must be > 0"),
        (["temperature": "\"hot\""], "temperature", "expected a number, got a string"),
        (
            ["players": "[{\"name\": \"a\", \"actions\": 1}, {\"name\": \"b\", \"actions\": 3}]"], "players[0].actions",
            "expected a whole number from 2"
        ),
        (
            ["players": "[{\"name\": \"a\", \"actions\": 2.5}, {\"name\": \"b\", \"actions\": 3}]"],
            "players[0].actions", "expected a whole number, got 2.5"
        ),
        (
            ["players": "[{\"name\": \"a\", \"actions\": 2}, {\"name\": \"a\", \"actions\": 3}]"], "players[1].name",
            "duplicate player name \"a\""
        ),
        (
            ["players": "[{\"name\": \"a\", \"actions\": 2, \"dim\": 1}, {\"name\": \"b\", \"actions\": 3}]"],
            "players[0].dim", "unknown key \"dim\""
        ),
        (["players": "[]"], "players", "at least one player"),
        (["states": "0"], "states", "expected a whole number from 1"),
        (["states": "[\"x\", \"x\"]"], "states[1]", "duplicate state name \"x\""),
        (["states": "\"two\""], "states", "expected a list of state names or a number of states"),
        (["initial": "[0.5, 0.6]"], "initial", "probabilities sum to 1.1"),
        (["initial": "[1.5, -0.5]"], "initial[0]", "probability 1.5 is outside [0, 1]"),
        (["initial": "[1]"], "initial", "expected 2 initial-state probabilities (one per state), got 1 numbers"),
        (
            [
                "transitions":
                    "[[[[1, 0], [1, 0], [0.5, 0.5]], [[0, 1], [0, 1], [0.5, 0.5]]], [[[1, 0], [1, "
                    + "0], [0.5, 0.4]], [[0, 1], [0, 1], [0.5, 0.5]]]]"
            ],
            "transitions[1][0][2]", "probabilities sum to 0.9"
        ),
        (
            [
                "transitions":
                    "[[[[1, 0], [1, 0]], [[0, 1], [0, 1], [0.5, 0.5]]], [[[1, 0], [1, 0], [0.5, "
                    + "0.5]], [[0, 1], [0, 1], [0.5, 0.5]]]]"
            ],
            "transitions[0][0]", "expected an array of 3 entries (one per action of b), got 2"
        ),
        (
            ["transitions": "[[[[1, 0], [1, 0], [0.5, 0.5]], [[0, 1], [0, 1], [0.5, 0.5]]]]"], "transitions",
            "expected an array of 2 entries (one per state), got 1"
        ),
        (
            [
                "transitions":
                    "[[[[1, 0], [1, 0], [0.5, 0.5]], [[0, 1], [0, 1], [1]]], [[[1, 0], [1, 0], [0.5,"
                    + " 0.5]], [[0, 1], [0, 1], [0.5, 0.5]]]]"
            ],
            "transitions[0][1][2]", "expected 2 next-state probabilities (one per state), got 1 numbers"
        ),
        (["transitions": nil], "(top level)", "missing required key \"transitions\""),
        (
            ["rewards": "{\"a\": [[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 0, 0]]]}"], "rewards",
            "missing the rewards of player \"b\""
        ),
        (
            [
                "rewards":
                    "{\"a\": [[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 0, 0]]], \"b\": [[[0, 1, 0], "
                    + "[1, 0, 0]], [[1, 1, 0], [0, 0, 1]]], \"c\": 1}"
            ],
            "rewards.c", "unknown player \"c\""
        ),
        (
            [
                "rewards":
                    "{\"a\": [[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 0, \"x\"]]], \"b\": [[[0, 1, "
                    + "0], [1, 0, 0]], [[1, 1, 0], [0, 0, 1]]]}"
            ],
            "rewards.a[1][1][2]", "expected a number, got a string"
        ),
        (
            [
                "rewards":
                    "{\"a\": [[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 0, 1e200]]], \"b\": [[[0, 1, "
                    + "0], [1, 0, 0]], [[1, 1, 0], [0, 0, 1]]]}"
            ],
            "rewards.a[1][1][2]", "is too large"
        ),
        (["geometry": "\"riemann\""], "geometry", "unknown geometry \"riemann\""),
        (["region": "{\"radius\": 0}"], "region.radius", "radius must be > 0"),
        (["region": "{\"radius\": 50}"], "region.radius", "at most 20"),
        (["region": "{\"samples\": 0}"], "region.samples", "expected a whole number from 1 to 65536"),
        (["region": "{\"seed\": -1}"], "region.seed", "expected a whole number from 0"),
        (["region": "{\"size\": 1}"], "region.size", "unknown key \"size\""),
        (
            ["region": "{\"center\": {\"a\": [[1, -1], [0.5, 0]]}}"], "region.center",
            "missing the logits of player \"b\""
        ),
        (
            ["region": "{\"center\": {\"a\": [[1, -1], [0.5]], \"b\": [[1, 2, 3], [0, 0, 0]]}}"], "region.center.a[1]",
            "expected an array of 2 entries (one per action of a), got 1"
        ),
        (
            ["region": "{\"center\": {\"a\": [[1, -1], [0.5, 0]], \"b\": [[1, 2, 3], [0, 0, 0]], \"z\": []}}"],
            "region.center.z", "unknown player \"z\""
        ),
    ]

    /// Each bad input is rejected with its exact JSON path and an actionable message.
    @Test(arguments: 0..<bad.count) func rejected(_ k: Int) {
        let (changes, path, message) = Self.bad[k]
        do {
            _ = try game(Self.text(changes))
            Issue.record("accepted bad input \(changes)")
        } catch let e as InputError {
            #expect(e.path == path, "\(changes): path \(e.path), message \(e.message)")
            #expect(e.message.contains(message), "\(changes): message \(e.message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    /// Sizes beyond the documented limits are rejected before any large allocation.
    @Test func limits() {
        let many = "[" + (0..<17).map { "{\"name\": \"p\($0)\", \"actions\": 2}" }.joined(separator: ", ") + "]"
        #expect(throws: InputError.self) { try game(Self.text(["players": many])) }
        let wide = "[{\"name\": \"a\", \"actions\": 1000}, {\"name\": \"b\", \"actions\": 1000}]"
        do {
            _ = try game(Self.text(["players": wide]))
            Issue.record("accepted a 10^6 joint-action game")
        } catch let e as InputError {
            #expect(e.path == "players[1].actions")
            #expect(e.message.contains("joint actions"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        // Work: 200 states of a 2x2 game need too many dual evaluations even for one point.
        do {
            _ = try game(
                Self.text([
                    "states": "200",
                    "players": "[{\"name\": \"a\", \"actions\": 2}, {\"name\": \"b\", \"actions\": 2}]",
                    "transitions": nil, "rewards": "{}",
                ]))
            Issue.record("accepted a game beyond the work limit")
        } catch let e as InputError {
            #expect(e.path == "players")
            #expect(e.message.contains("too large to certify in bounded time"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        // A valid 30-state game: fine with the default samples, too much work with 4000.
        let uniform = "[" + Array(repeating: "\(1.0 / 30)", count: 30).joined(separator: ",") + "]"
        let row =
            "["
            + Array(repeating: "[" + Array(repeating: uniform, count: 3).joined(separator: ",") + "]", count: 3).joined(
                separator: ",") + "]"
        let zeros = "[" + Array(repeating: "[[0,0,0],[0,0,0],[0,0,0]]", count: 30).joined(separator: ",") + "]"
        var big: [String: String?] = [
            "states": "30", "players": "[{\"name\": \"a\", \"actions\": 3}, {\"name\": \"b\", \"actions\": 3}]",
            "transitions": "[" + Array(repeating: row, count: 30).joined(separator: ",") + "]",
            "rewards": "{\"a\": \(zeros), \"b\": \(zeros)}", "region": "{\"samples\": 16}",
        ]
        #expect(MarkovLimits.work(states: 30, actions: [3, 3], points: 16) < MarkovLimits.maxWork)
        big["region"] = "{\"samples\": 4000}"
        do {
            _ = try game(Self.text(big))
            Issue.record("accepted 4000 samples beyond the work limit")
        } catch let e as InputError {
            #expect(e.path == "region")
            #expect(e.message.contains("use fewer samples"), "\(e)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
        do {
            _ = try game(Self.text(["states": "600"]))
            Issue.record("accepted a game with 6000 logits")
        } catch let e as InputError {
            #expect(e.path == "players")
            #expect(e.message.contains("limit"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
