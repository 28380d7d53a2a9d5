import Foundation
import Testing

/// `sgn certify --rigorous` through the binary: verdicts, exit codes, the `rigor` object last.
@Suite("sgn certify --rigorous (binary)")
struct RigorousCLITests {
    static func rigor(_ r: CLI.Result) throws -> [String: Any] {
        try #require(try CLI.json(r.stdout)["rigor"] as? [String: Any])
    }

    /// The mini-toy is proven through the sgn rung, with a margin just below the floating one.
    @Test func miniToyIsProven() throws {
        let r = try CLI.run(["certify", "--rigorous", CLI.example("mini-toy.json")])
        #expect(r.status == 0)
        let rigor = try Self.rigor(r)
        #expect(rigor["verdict"] as? String == "certified")
        #expect(rigor["rung"] as? String == "sgn")
        let proven = try #require(rigor["proven_margin"] as? Double)
        #expect(proven > 0.2928932 && proven <= 1 - 0.5.squareRoot())
        // `rigor` is appended after every existing key.
        let keys = r.stdout.components(separatedBy: "\"numerics\":")
        #expect(keys.count == 2 && keys[1].contains("\"rigor\":"))
    }

    /// Tandem (exactly singular) and the scaled game at λ = 1.5 (det J < 0) are refuted: exit 1.
    @Test(arguments: ["tandem.json", "scaled-1.5.json", "bilinear.json"])
    func refuted(_ example: String) throws {
        let r = try CLI.run(["certify", "--rigorous", CLI.example(example)])
        #expect(r.status == 1)
        #expect(try Self.rigor(r)["verdict"] as? String == "refuted")
        #expect((try CLI.json(r.stdout)["reason"] as? String)?.contains("verified:") == true)
    }

    /// Every quadratic example certified in the default mode is also proven (none is borderline);
    /// Markov games have sampled constants, so rigorous mode leaves them undecided.
    @Test func examplesKeepTheirVerdicts() throws {
        let quadratic = try FileManager.default.contentsOfDirectory(
            atPath: CLI.root.appendingPathComponent("examples").path
        )
        .filter { $0.hasSuffix(".json") }.sorted().map { CLI.example($0) }
        .filter { (try? String(contentsOfFile: $0, encoding: .utf8))?.contains("\"quadratic\"") == true }
        #expect(quadratic.count >= 8)
        let plain = try CLI.run(["certify"] + quadratic)
        let rigorous = try CLI.run(["certify", "--rigorous"] + quadratic)
        #expect(plain.status == rigorous.status)
        let a = plain.stdout.split(separator: "\n").map { try? CLI.json(String($0))["status"] as? String }
        let b = rigorous.stdout.split(separator: "\n").map { try? CLI.json(String($0))["status"] as? String }
        #expect(a == b)
    }

    /// A Markov game is never certified by rigorous mode: undecided, with the reason.
    @Test func markovGamesAreUndecided() throws {
        let r = try CLI.run(["certify", "--rigorous", CLI.example("coordination-2x2x2.json")])
        #expect(r.status == 1)
        let rigor = try Self.rigor(r)
        #expect(rigor["verdict"] as? String == "undecided")
        #expect((rigor["reason"] as? String)?.contains("quadratic games only") == true)
    }

    /// Without the flag there is no `rigor` key.
    @Test func absentByDefault() throws {
        let r = try CLI.run(["certify", CLI.example("mini-toy.json")])
        #expect(try CLI.json(r.stdout)["rigor"] == nil)
    }
}
