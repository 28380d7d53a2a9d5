import Foundation
import Testing

@Suite("sgn certify (binary)")
struct CertifyCLITests {
    /// The mini-toy certifies through the sgn rung with the reference values of docs/method.md §9.
    @Test func miniToyCertificate() throws {
        let r = try CLI.run(["certify", CLI.example("mini-toy.json")])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        let c = try CLI.json(r.stdout)
        #expect(c["status"] as? String == "certified")
        #expect(c["certified_by"] as? String == "sgn")
        let margins = try #require(c["margins"] as? [String: Any])
        #expect(abs((margins["sgn"] as! Double) - 0.292893218813452) < 1e-9)
        #expect(abs((margins["euclidean"] as! Double) + 4.025) < 1e-9)
        let weights = try #require((c["metric"] as? [String: Any])?["weights"] as? [String: Double])
        #expect(weights["y"] == 1)
        #expect(abs(weights["y"]! / weights["x"]! - 200) < 1e-9)
    }

    /// Exit codes: 0 certified, 1 not certified (with a reason and no steps), 2 bad input.
    @Test func exitCodes() throws {
        #expect(try CLI.run(["certify", CLI.example("scaled-1.2.json")]).status == 0)
        let not = try CLI.run(["certify", CLI.example("scaled-1.5.json")])
        #expect(not.status == 1)
        let c = try CLI.json(not.stdout)
        #expect(c["status"] as? String == "not_certified")
        #expect((c["reason"] as? String)?.contains("rho(G)") == true)
        #expect(c["steps"] is NSNull)
        #expect(c["contraction_rate"] is NSNull)
        let bad = try CLI.run([
            "certify",
            try CLI.temporaryFile(#"{"kind": "quadratic", "players": [{"name": "x", "dim": 2, "hessian": [[1]]}]}"#),
        ])
        #expect(bad.status == 2)
        #expect(bad.stdout.isEmpty, "bad input never yields a certificate")
        #expect(bad.stderr.contains("game.json: players[0].hessian: expected 2x2 matrix, got 1x1"))
        #expect(try CLI.run(["certify", "/nonexistent/game.json"]).status == 2)
    }

    /// Usage errors exit with 2, not ArgumentParser's 64.
    @Test func usageErrors() throws {
        #expect(try CLI.run(["certify"]).status == 2)
        #expect(try CLI.run(["certify", "--objective", "fastest", CLI.example("mini-toy.json")]).status == 2)
        #expect(try CLI.run(["frobnicate"]).status == 2)
        #expect(try CLI.run(["--help"]).status == 0)
    }

    /// Same input, same bytes; --pretty only changes whitespace.
    @Test func deterministicOutput() throws {
        let a = try CLI.run(["certify", CLI.example("network-4.json")])
        let b = try CLI.run(["certify", CLI.example("network-4.json")])
        #expect(a.stdout == b.stdout)
        #expect(!a.stdout.dropLast().contains("\n"), "compact output is one line")
        let pretty = try CLI.run(["certify", "--pretty", CLI.example("network-4.json")])
        #expect(
            NSDictionary(dictionary: try CLI.json(pretty.stdout)) == NSDictionary(dictionary: try CLI.json(a.stdout)))
    }

    /// A directory plus a bad file: one NDJSON line per input in order, an error line for the
    /// bad file, a summary on stderr, and exit code 2.
    @Test func batchNDJSON() throws {
        let bad = try CLI.temporaryFile(#"{"kind": "quadratic", "players": []}"#, name: "bad.json")
        let r = try CLI.run(["certify", CLI.example("mini-toy.json"), bad, CLI.example("tandem.json")])
        #expect(r.status == 2)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        let parsed = try lines.map { try CLI.json($0) }
        #expect(parsed[0]["status"] as? String == "certified")
        #expect((parsed[0]["file"] as? String)?.hasSuffix("mini-toy.json") == true)
        #expect((parsed[1]["error"] as? String)?.contains("players: a game needs at least one player") == true)
        #expect(parsed[2]["status"] as? String == "not_certified")
        #expect(r.stderr.contains("3 games: 1 certified, 1 not certified, 1 bad input"))

        let dir = try CLI.run(["certify", CLI.root.appendingPathComponent("examples").path])
        let files = try FileManager.default.contentsOfDirectory(
            atPath: CLI.root.appendingPathComponent("examples").path
        )
        .filter { $0.hasSuffix(".json") }.sorted()
        let names = try dir.stdout.split(separator: "\n").map { try CLI.json(String($0))["file"] as! String }
        #expect(names.map { URL(fileURLWithPath: $0).lastPathComponent } == files)
        #expect(dir.status == 1, "the examples include games meant not to certify")
    }

    /// '-' reads one game from standard input.
    @Test func standardInput() throws {
        let text = try String(contentsOfFile: CLI.example("mini-toy.json"), encoding: .utf8)
        let r = try CLI.run(["certify", "-"], stdin: text)
        #expect(r.status == 0)
        #expect(try CLI.json(r.stdout)["status"] as? String == "certified")
    }

    /// The text format is human-readable and says the verdict.
    @Test func textFormat() throws {
        let r = try CLI.run(["certify", "--format", "text", CLI.example("zero-sum-like.json")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("CERTIFIED by the euclidean rung"))
    }
}
