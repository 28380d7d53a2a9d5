import Foundation
import Testing

/// `sgn certify` on Markov games, through the built binary.
@Suite("sgn certify: Markov games (binary)")
struct MarkovCLITests {
    /// The coordination game: certified (exit 0), sampled constants with count and seed, the
    /// Markov fields of the certificate, reference values within a few percent.
    /// `--estimation`: by default the coordination game's proof is attempted (a sub-box costs
    /// 60 Taylor-model coefficients, within the automatic limit) and succeeds; the supply chain's
    /// is not attempted (1632 units, above it) and the certificate says so; with
    /// `--estimation proven`, a tiny budget and the radius 0.4 the margin is not proven, so the
    /// certificate is not_certified (exit 1) with the reason, which names radius 0.1;
    /// `--estimation sampled` has no `proof`; a budget of 0 is a usage error.
    @Test func estimationModes() throws {
        let auto = try CLI.json(try CLI.run(["certify", CLI.example("coordination-2x2x2.json")]).stdout)
        #expect((auto["constants"] as? [String: Any])?["estimation"] as? String == "proven")
        let supply = try CLI.json(try CLI.run(["certify", CLI.example("supply-chain-3x3.json")]).stdout)
        let proof = try #require((supply["constants"] as? [String: Any])?["proof"] as? [String: Any])
        #expect(
            (proof["reason"] as? String)?.hasPrefix(
                "proof not attempted by default: a sub-box costs 1632 work units") == true)
        let proven = try CLI.run([
            "certify", CLI.example("coordination-2x2x2.json"), "--estimation", "proven", "--proof-budget", "3",
            "--radius", "0.4",
        ])
        #expect(proven.status == 1)
        let c = try CLI.json(proven.stdout)
        #expect(c["status"] as? String == "not_certified")
        #expect((c["reason"] as? String)?.hasPrefix("--estimation proven: ") == true)
        #expect((c["reason"] as? String)?.contains("try --radius 0.1") == true)
        let sampled = try CLI.json(
            try CLI.run(["certify", CLI.example("coordination-2x2x2.json"), "--estimation", "sampled"]).stdout)
        #expect((sampled["constants"] as? [String: Any])?["proof"] == nil)
        #expect(try CLI.run(["certify", CLI.example("coordination-2x2x2.json"), "--proof-budget", "0"]).status == 2)
    }

    @Test func coordinationCertificate() throws {
        let r = try CLI.run(["certify", CLI.example("coordination-2x2x2.json")])
        #expect(r.status == 0)
        let c = try CLI.json(r.stdout)
        #expect(c["status"] as? String == "certified")
        let game = try #require(c["game"] as? [String: Any])
        #expect(game["kind"] as? String == "markov")
        #expect(game["geometry"] as? String == "fisher")
        #expect(game["dims"] as? [Int] == [2, 2])
        let constants = try #require(c["constants"] as? [String: Any])
        // Proven on the whole r = 0.1 box by default (docs/markov-games.md, "Proven constants"):
        // the sgn margin is never above the sampled 0.3607 and within 20% of it.
        #expect(constants["estimation"] as? String == "proven")
        let proof = try #require(constants["proof"] as? [String: Any])
        #expect(try #require(proof["boxes"] as? Int) >= 1)
        let margins = try #require(c["margins"] as? [String: Any])
        let sgn = try #require(margins["sgn"] as? Double)
        #expect(sgn <= 0.3607 && sgn > 0.8 * 0.3607)
        let region = try #require(c["region"] as? [String: Any])
        #expect(region["kind"] as? String == "logit_box")
        #expect(region["radius"] as? Double == 0.1)
        #expect(region["center"] as? String == "equilibrium")
        let basin = try #require(c["basin"] as? [String: Any])
        let radius = try #require(basin["radius"] as? Double)
        #expect(radius > 0 && radius < 0.1)
        let eq = try #require(c["equilibrium"] as? [String: Any])
        #expect(eq["point"] == nil)
        let policies = try #require(eq["policies"] as? [String: [[Double]]])
        #expect(policies["p1"] == [[0.5, 0.5], [0.5, 0.5]])
        #expect(eq["logits"] is [String: [[Double]]])
        #expect(try #require(eq["residual"] as? Double) <= 1e-10)
        let band = try #require(c["timescale_band"] as? [String: Any])
        #expect(abs(try #require(band["lower"] as? Double) - 0.1232) < 0.001)
        #expect(abs(try #require(band["upper"] as? Double) - 8.12) < 0.01)
    }

    /// Exit codes: a game that is not certified exits 1 and says why.
    @Test func notCertifiedExitsOne() throws {
        let r = try CLI.run(["certify", CLI.example("rps-perturbed-tau0.1.json")])
        #expect(r.status == 1)
        let c = try CLI.json(r.stdout)
        #expect(c["status"] as? String == "not_certified")
        #expect((c["reason"] as? String)?.contains("coupling outweighs curvature") == true)
        #expect(c["basin"] is NSNull)
    }

    /// Bad Markov input exits 2 with the file and the JSON path on stderr, nothing on stdout.
    @Test func badInputExitsTwo() throws {
        let path = try CLI.temporaryFile(
            """
            {"kind": "markov", "discount": 0.9, "temperature": 1, "states": 1,
             "players": [{"name": "a", "actions": 2}, {"name": "b", "actions": 2}],
             "rewards": {"a": [[[1, 0], [0, 1]]], "b": [[[1, 0], [0]]]}}
            """)
        let r = try CLI.run(["certify", path])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(
            r.stderr.contains("game.json: rewards.b[0][1]: expected an array of 2 entries (one per action of b), got 1")
        )
    }

    /// Same input, same bytes out (sampling is seeded, parallel results are ordered).
    @Test func deterministic() throws {
        let a = try CLI.run(["certify", CLI.example("rps-perturbed-tau1.json")])
        let b = try CLI.run(["certify", CLI.example("rps-perturbed-tau1.json")])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
    }

    /// Markov and quadratic games certify together in one batch.
    @Test func batchWithQuadratic() throws {
        let r = try CLI.run([
            "certify", CLI.example("mini-toy.json"), CLI.example("matching-pennies-tau2.json"),
            CLI.example("rps-perturbed-tau0.1.json"),
        ])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        let kinds = try lines.map { try CLI.json(String($0))["game"] as? [String: Any] }.map { $0?["kind"] as? String }
        #expect(kinds == ["quadratic", "markov", "markov"])
    }
}
