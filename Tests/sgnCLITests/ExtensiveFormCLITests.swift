import Foundation
import Testing

/// Gambit `.efg` input through the real binary: the agent form of a one-move-per-player tree is
/// the strategic form, temperatures and directories follow the `.nfg` rules, bad files exit 2.
@Suite("sgn certify: .efg files (binary)")
struct ExtensiveFormCLITests {
    static let gambit = CLI.root.appendingPathComponent("examples/gambit")

    /// The prisoner's dilemma as a tree: player 2 does not observe player 1's move.
    static let pdTree = """
        EFG 2 R "pd" { "Player 1" "Player 2" }
        p "" 1 1 "" { "1" "2" } 0
        p "" 2 1 "" { "1" "2" } 0
        t "" 1 "" { 9, 9 }
        t "" 2 "" { 0, 10 }
        p "" 2 1 "" { "1" "2" } 0
        t "" 3 "" { 10, 0 }
        t "" 4 "" { 1, 1 }
        """

    static func directory(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sgn-efg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    /// One information set per player, reached with probability 1: the same game as pd.nfg, so
    /// the same certificate numbers (margins, steps, equilibrium) under the agents' names.
    @Test func treeEqualsStrategicForm() throws {
        let dir = try Self.directory(["pd.efg": Self.pdTree])
        let tree = try CLI.run(["certify", dir.appendingPathComponent("pd.efg").path, "--temperature", "2"])
        let nfg = try CLI.run(["certify", Self.gambit.appendingPathComponent("pd.nfg").path, "--temperature", "2"])
        #expect(tree.status == 0 && nfg.status == 0, "\(tree.stderr)")
        let t = try CLI.json(tree.stdout)
        let n = try CLI.json(nfg.stdout)
        #expect((t["game"] as? [String: Any])?["players"] as? [String] == ["Player 1:1", "Player 2:1"])
        func canonical(_ value: Any?) throws -> String {
            String(
                decoding: try JSONSerialization.data(withJSONObject: value ?? NSNull(), options: .sortedKeys),
                as: UTF8.self)
        }
        for key in ["margins", "steps", "basin"] { #expect(try canonical(t[key]) == canonical(n[key]), "\(key)") }
        let tp = try #require((t["equilibrium"] as? [String: Any])?["policies"] as? [String: [[Double]]])
        let np = try #require((n["equilibrium"] as? [String: Any])?["policies"] as? [String: [[Double]]])
        #expect(tp["Player 1:1"] == np["Player 1"] && tp["Player 2:1"] == np["Player 2"])
        // scripts/oracles/qre_reference.py: P(defect) = 0.62245933120185382 at tau = 2.
        #expect(abs(tp["Player 1:1"]![0][1] - 0.62245933120185382) < 1e-8)
    }

    /// The shipped extensive games read and certify or not (exit 0 or 1), agents named.
    @Test(arguments: ["poker.efg", "bayes1a.efg", "cent2.efg", "selten-horse.efg"])
    func gambitCollection(_ name: String) throws {
        let r = try CLI.run(["certify", Self.gambit.appendingPathComponent(name).path, "--temperature", "0.5"])
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        let game = try #require(try CLI.json(r.stdout)["game"] as? [String: Any])
        #expect((game["players"] as? [String])?.allSatisfy { $0.contains(":") } == true)
        #expect(game["temperature"] as? Double == 0.5)
    }

    /// Temperature from --temperature or `<file>.efg.json`; directories list `.efg` files under
    /// the `.nfg` rule and never list sidecars.
    @Test func temperatureSources() throws {
        let dir = try Self.directory([
            "a.efg": Self.pdTree, "b.efg": Self.pdTree, "b.efg.json": "{\"temperature\": 2}",
        ])
        let none = try CLI.run(["certify", dir.appendingPathComponent("a.efg").path])
        #expect(none.status == 2)
        #expect(none.stdout.isEmpty)
        #expect(none.stderr.contains("an .efg game needs a temperature") && none.stderr.contains("a.efg.json"))
        let side = try CLI.run(["certify", dir.appendingPathComponent("b.efg").path])
        #expect(side.status == 0, "\(side.stderr)")
        let batch = try CLI.run(["certify", dir.path])
        let files = try batch.stdout.split(separator: "\n").map { try CLI.json(String($0))["file"] as! String }
        #expect(files.map { URL(fileURLWithPath: $0).lastPathComponent } == ["b.efg"])
        let all = try CLI.run(["certify", dir.path, "--temperature", "1"])
        let allFiles = try all.stdout.split(separator: "\n").map { try CLI.json(String($0))["file"] as! String }
        #expect(allFiles.map { URL(fileURLWithPath: $0).lastPathComponent } == ["a.efg", "b.efg"])
    }

    /// A file is recognised by its content: `.efg` on standard input, and under a `.json` name.
    /// Before the reader existed the same file was "invalid JSON at line 1, column 1".
    @Test func recognisedByContent() throws {
        let stdin = try CLI.run(["certify", "-", "--temperature", "2", "--format", "text"], stdin: Self.pdTree)
        #expect(stdin.status == 0, "\(stdin.stderr)")
        #expect(stdin.stdout.hasPrefix("stdin (markov, 2 players, dims 1,1): CERTIFIED"))
        let none = try CLI.run(["certify", "-"], stdin: Self.pdTree)
        #expect(none.status == 2)
        #expect(
            none.stderr.contains("an .efg game needs a temperature: pass --temperature (standard input has no sidecar)")
        )
        let dir = try Self.directory(["named.json": Self.pdTree])
        let named = try CLI.run(["certify", dir.appendingPathComponent("named.json").path, "--temperature", "2"])
        #expect(named.status == 0, "\(named.stderr)")
    }

    /// Bad files: exit 2, one line naming file, line and column, nothing on stdout.
    @Test(arguments: [
        ("truncated", "EFG 2 R \"t\" { \"A\" }\np \"\" 1 1 \"\" { \"x\" \"y\" } 0\nt \"\" 0\n", "line 4, column 1"),
        ("bad-probability", "EFG 2 R \"t\" { \"A\" }\nc \"\" 1 \"\" { \"x\" 1/2 \"y\" 1/4 } 0\n", "line 2, column 1"),
        (
            "absent-minded",
            "EFG 2 R \"t\" { \"A\" }\np \"\" 1 1 \"\" { \"exit\" \"go\" } 0\nt \"\" 0\n"
                + "p \"\" 1 1 0\nt \"\" 0\nt \"\" 0\n",
            "line 4, column 1"
        ),
    ])
    func hostile(_ name: String, _ text: String, _ location: String) throws {
        let dir = try Self.directory(["\(name).efg": text])
        let r = try CLI.run(["certify", dir.appendingPathComponent("\(name).efg").path, "--temperature", "1"])
        #expect(r.status == 2, "\(name): \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("\(name).efg: \(location): "), "\(name): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }
}
