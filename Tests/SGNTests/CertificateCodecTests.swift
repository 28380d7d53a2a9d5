import Foundation
import Testing

@testable import SGN

/// One field list writes and reads certificates: reading a certificate and writing it again
/// gives the same bytes, old certificates still read and verify, and unknown prose is bad input
/// named by its JSON path.
@Suite("Certificate codec: one field list for writing and reading")
struct CertificateCodecTests {
    static func fixture(_ name: String) throws -> [String] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(name)").path
        return try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func roundTrip(_ text: String) throws -> String {
        JSONWriter.write(try Certificate.decode(JSONNode(try JSONParser.parse(Array(text.utf8)))).json)
    }

    /// Every example's certificate as written before the codec existed reads back and writes
    /// the same bytes, except the sentences reworded since (read as today's case, written in
    /// today's words: the RK4 guarantees no longer cite "the paper's 2.5/beta").
    @Test func oldExampleCertificatesRoundTrip() throws {
        let lines = try Self.fixture("examples-sgn1-c123a02.ndjson")
        #expect(lines.count == (try Self.fixture("examples-sgn1-c123a02.files")).count)
        #expect(lines.count >= 20)
        var reworded = 0
        for line in lines {
            var expected = line
            for (old, current) in RK4Guarantee.legacyProse where line.contains(old) {
                expected = expected.replacingOccurrences(of: old, with: current.prose)
                reworded += 1
            }
            #expect(try Self.roundTrip(line) == expected)
        }
        #expect(reworded >= 10)
    }

    /// Old certificates verify against their games (one quadratic, one boxed). Old Markov
    /// certificates bounded K = F^-1/2 J F^-1/2, not the certified field's Jacobian; they still
    /// decode (above), and `verify` recomputes the new claims (`oldMarkovCertificateIsRechecked`).
    @Test(arguments: ["mini-toy.json", "boxed.json"])
    func oldCertificatesVerify(_ file: String) throws {
        let files = try Self.fixture("examples-sgn1-c123a02.files")
        let line = try Self.fixture("examples-sgn1-c123a02.ndjson")[try #require(files.firstIndex(of: file))]
        let report = try Verifier().verify(
            game: try GameReader.read(path: examplePath(file)),
            certificate: try StatedCertificate.decode(bytes: Array(line.utf8)))
        #expect(report.holds, "\(report.failed.map(\.claim))")
    }

    /// An old proven Markov certificate (constants of K, the linearisation) is read and re-checked
    /// against the dynamics certified today: its legacy guarantee and proof method decode, and
    /// `verify` does not accept the old proof method as today's.
    @Test func oldMarkovCertificateIsRechecked() throws {
        let files = try Self.fixture("examples-sgn1-c123a02.files")
        let line = try Self.fixture("examples-sgn1-c123a02.ndjson")[
            try #require(files.firstIndex(of: "matching-pennies-tau2.json"))]
        let stated = try StatedCertificate.decode(bytes: Array(line.utf8))
        #expect(stated.steps?.euler.guarantee == .provenLinearisation)
        let report = try Verifier().verify(
            game: try GameReader.read(path: examplePath("matching-pennies-tau2.json")), certificate: stated)
        #expect(!report.holds)
    }

    /// Certificates with the rarer sections round-trip: `--rigorous`, the iterative block, an
    /// unexaminable game, proven smooth constants, a given Jacobian set with a region
    /// description, and the full-metric rung.
    @Test func edgeCertificatesRoundTrip() throws {
        var certificates: [Certificate] = []
        certificates.append(
            try Certifier(rigorous: true).certify(try GameReader.read(path: examplePath("mini-toy.json"))))
        certificates.append(try Certifier().certify(GameGenerators.network(players: 420, dim: 1, degree: 4, seed: 1)))
        for source in [TestGames.boxed, TestGames.tandem] {
            certificates.append(try Certifier().certify(try game(source)))
        }
        // A game that cannot be examined (a's dominated action has probability e^-2000 at the
        // equilibrium, so the Fisher metric frozen there is singular): null constants, margins
        // and weights.
        let singular = try markovGame(
            """
            {"kind": "markov", "discount": 0, "temperature": 0.001, "states": 1,
             "players": [{"name": "a", "actions": 2}, {"name": "b", "actions": 2}],
             "rewards": {"a": [[[1, 1], [-1, -1]]], "b": [[[1, -1], [1, -1]]]}}
            """)
        certificates.append(try Certifier().certify(singular))
        for c in certificates {
            let text = JSONWriter.write(c.json)
            #expect(try Self.roundTrip(text) == text)
        }
        #expect(certificates.last?.examined == false)
        let unexamined = try JSONParser.parse(Array(JSONWriter.write(certificates.last!.json).utf8))
        #expect(try Certificate.decode(JSONNode(unexamined)).examined == false)
        #expect(certificates[0].rigor != nil)
        #expect(certificates[1].iterative != nil)
    }

    /// A line of `sgn certify`'s batch output carries a `file` key first: it is not part of the
    /// certificate and is not written back.
    @Test func batchLineReadsWithoutItsFileKey() throws {
        let line = try Self.fixture("examples-sgn1-c123a02.ndjson")[0]
        let batch = "{\"file\":\"examples/x.json\"," + line.dropFirst()
        #expect(try Self.roundTrip(batch) == line)
    }

    /// A sentence no version wrote, or a kind, path or branch no version knew, is bad input with
    /// its path.
    @Test func unknownProseIsRejectedWithItsPath() throws {
        let files = try Self.fixture("examples-sgn1-c123a02.files")
        let lines = try Self.fixture("examples-sgn1-c123a02.ndjson")
        let cases: [(String, [String], JSONValue, String)] = [
            ("mini-toy.json", ["steps", "euler", "guarantee"], .string("Proven: trust me."), "steps.euler.guarantee"),
            ("mini-toy.json", ["steps", "rk4", "guarantee"], .string(""), "steps.rk4.guarantee"),
            ("supply-chain-3x3.json", ["constants", "sampling"], .string("a few points"), "constants.sampling"),
            ("bertrand-logit.json", ["constants", "proof", "method"], .string("faith"), "constants.proof.method"),
            ("mini-toy.json", ["region", "kind"], .string("ball"), "region.kind"),
            ("mini-toy.json", ["numerics", "linear_algebra"], .string("sparse"), "numerics.linear_algebra"),
            ("coordination-2x2x2.json", ["equilibrium", "branch"], .string("sideways"), "equilibrium.branch"),
        ]
        for (file, path, value, expected) in cases {
            let line = lines[try #require(files.firstIndex(of: file))]
            let v = try JSONParser.parse(Array(line.utf8))
            #expect(CertificateEdit.get(v, path) != nil)
            do {
                _ = try Certificate.decode(JSONNode(CertificateEdit.set(v, path) { _ in value }))
                Issue.record("\(expected) accepted")
            } catch {
                #expect(error.path == expected)
            }
        }
    }
}
