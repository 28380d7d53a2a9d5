import Foundation
import Testing

/// Gambit `.nfg` input, the sidecar, batch selection and the command-line overrides, through
/// the real binary.
@Suite("sgn certify: .nfg files and overrides (binary)")
struct NormalFormCLITests {
    static let gambit = CLI.root.appendingPathComponent("examples/gambit")

    /// A fresh temporary directory holding the given files.
    static func directory(_ files: [String: String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sgn-nfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        return dir
    }

    /// Every shipped Gambit game reads without edits; names and the temperature reach the certificate.
    @Test(arguments: ["oneill.nfg", "pd.nfg", "2x2x2.nfg", "e04.nfg", "coord2.nfg"])
    func gambitCollection(_ name: String) throws {
        let r = try CLI.run(["certify", Self.gambit.appendingPathComponent(name).path, "--temperature", "0.5"])
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        let c = try CLI.json(r.stdout)
        let game = try #require(c["game"] as? [String: Any])
        #expect(game["temperature"] as? Double == 0.5)
        #expect(game["discount"] as? Double == 0)
        #expect((game["players"] as? [String])?.first == "Player 1")
        let eq = try #require(c["equilibrium"] as? [String: Any])
        #expect(eq["branch"] as? String == "principal")
        #expect((eq["actions"] as? [String: Any])?["Player 1"] != nil)
        #expect((eq["residual"] as? Double).map { $0 <= (eq["residual_tolerance"] as? Double ?? 0) } == true)
    }

    /// The payoff version and the outcome version of the same game give the same certificate,
    /// and a strategy-count header equals a strategy-name header (player 1 changes fastest).
    @Test func bothVersionsAgree() throws {
        let dir = try Self.directory([
            "pay.nfg": "NFG 1 R \"pd\" { \"Player 1\" \"Player 2\" } { 2 2 }\n9 9 10 0 0 10 1 1\n",
            "named.nfg":
                "NFG 1 R \"pd\" { \"Player 1\" \"Player 2\" }\n{ { \"1\" \"2\" } { \"1\" \"2\" "
                + "} }\n\"\"\n9 9 10 0 0 10 1 1\n",
        ])
        let outcome = try CLI.run(["certify", Self.gambit.appendingPathComponent("pd.nfg").path, "--temperature", "2"])
        let pay = try CLI.run(["certify", dir.appendingPathComponent("pay.nfg").path, "--temperature", "2"])
        let named = try CLI.run(["certify", dir.appendingPathComponent("named.nfg").path, "--temperature", "2"])
        func core(_ r: CLI.Result) throws -> String {
            var c = try CLI.json(r.stdout)
            var game = c["game"] as! [String: Any]
            game["name"] = nil
            c["game"] = game
            return String(describing: (c["margins"] as! [String: Any]).sorted { $0.key < $1.key })
                + String(
                    describing: ((c["equilibrium"] as! [String: Any])["policies"] as! [String: Any]).sorted {
                        $0.key < $1.key
                    })
        }
        #expect(outcome.status == pay.status && pay.status == named.status)
        #expect(try core(outcome) == core(pay))
        #expect(try core(pay) == core(named))
        // Prisoner's dilemma at tau = 2 (scripts/oracles/qre_reference.py): P(defect) = 0.62245933120185382.
        let p = ((try CLI.json(pay.stdout)["equilibrium"] as! [String: Any])["policies"] as! [String: [[Double]]])[
            "Player 1"]![0]
        #expect(abs(p[1] - 0.62245933120185382) < 1e-8)
    }

    /// The temperature comes from --temperature or the sidecar `<file>.json`; without either the
    /// file is bad input naming the option and the sidecar. A directory lists .nfg files only
    /// when a temperature is given or they have a sidecar, and never lists sidecars as games.
    @Test func temperatureSources() throws {
        let game = "NFG 1 R \"mp\" { \"a\" \"b\" } { 2 2 }\n1 -1 -1 1 -1 1 1 -1\n"
        let dir = try Self.directory(["mp.nfg": game, "side.nfg": game, "side.nfg.json": "{\"temperature\": 2}"])
        let none = try CLI.run(["certify", dir.appendingPathComponent("mp.nfg").path])
        #expect(none.status == 2)
        #expect(none.stdout.isEmpty)
        #expect(none.stderr.contains("--temperature") && none.stderr.contains("mp.nfg.json"))
        let side = try CLI.run(["certify", dir.appendingPathComponent("side.nfg").path])
        #expect(side.status == 0)
        #expect((try CLI.json(side.stdout)["game"] as? [String: Any])?["temperature"] as? Double == 2)
        let flag = try CLI.run(["certify", dir.appendingPathComponent("side.nfg").path, "--temperature", "0.5"])
        #expect((try CLI.json(flag.stdout)["game"] as? [String: Any])?["temperature"] as? Double == 0.5)

        let batch = try CLI.run(["certify", dir.path])
        let files = try batch.stdout.split(separator: "\n").map { try CLI.json(String($0))["file"] as! String }
        #expect(files.map { URL(fileURLWithPath: $0).lastPathComponent } == ["side.nfg"])
        let all = try CLI.run(["certify", dir.path, "--temperature", "1"])
        let allFiles = try all.stdout.split(separator: "\n").map { try CLI.json(String($0))["file"] as! String }
        #expect(allFiles.map { URL(fileURLWithPath: $0).lastPathComponent } == ["mp.nfg", "side.nfg"])

        let badSidecar = try Self.directory(["g.nfg": game, "g.nfg.json": "{\"temperature\": 1, \"discount\": 0.5}"])
        let r = try CLI.run(["certify", badSidecar.appendingPathComponent("g.nfg").path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("g.nfg.json") && r.stderr.contains("discount"))
    }

    /// Hostile .nfg files: exit 2, one message naming the file, line and column, nothing on stdout.
    @Test(arguments: [
        ("truncated", "NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n1 2 3", "line 2, column 6", "the end of the file"),
        (
            "too-few-payoffs", "NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n1 2 3 4 5 6 7\n", "line 3, column 1",
            "profile 4 of 4"
        ),
        (
            "too-many-payoffs", "NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n1 2 3 4 5 6 7 8 9\n", "line 2, column 17",
            "end of the file"
        ),
        (
            "non-numeric", "NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n1 2 x 4 5 6 7 8\n", "line 2, column 5",
            "payoff of player 1 in profile 2"
        ),
        (
            "nan", "NFG 1 R \"t\" { \"a\" \"b\" } { 2 2 }\n1 2 3 4 5 6 7 1e999\n", "line 2, column 15",
            "a decimal number"
        ),
        (
            "billion-strategies", "NFG 1 R \"t\" { \"a\" \"b\" } { 1000000000 2 }\n1 2\n", "line 1, column 27",
            "more than the limit"
        ),
        (
            "huge-count", "NFG 1 R \"t\" { \"a\" \"b\" } { 99999999999999999999999 2 }\n", "line 1, column 27",
            "whole number"
        ),
        (
            "billion-profiles", "NFG 1 R \"t\" { \"a\" \"b\" \"c\" } { 1000 1000 1000 }\n", "line 1, column 36",
            "profiles"
        ),
        ("unclosed-quote", "NFG 1 R \"t\" { \"a\" \"b } { 2 2 }\n1 2 3 4\n", "line 1, column 19", "not closed"),
        (
            "bad-outcome",
            "NFG 1 R \"t\" { \"a\" \"b\" }\n{ { \"1\" \"2\" } { \"1\" \"2\" } }\n{ { \"\" 1, 2 } }\n1 2 0 1\n",
            "line 4, column 3", "outcome number of profile 2"
        ),
        (
            "outcome-short",
            "NFG 1 R \"t\" { \"a\" \"b\" }\n{ { \"1\" \"2\" } { \"1\" \"2\" } }\n{ { \"\" 1 } }\n1 1 1 1\n",
            "line 3, column 10", "payoff of player 2 in outcome 1"
        ),
        ("not-nfg-version", "NFG 2 R \"t\" { \"a\" } { 2 }\n1 2\n", "line 1, column 5", "version number 1"),
        ("empty-players", "NFG 1 R \"t\" { } { }\n", "line 1, column 13", "list of players is empty"),
    ])
    func hostile(_ name: String, _ text: String, _ location: String, _ words: String) throws {
        let dir = try Self.directory(["\(name).nfg": text])
        let r = try CLI.run(["certify", dir.appendingPathComponent("\(name).nfg").path, "--temperature", "1"])
        #expect(r.status == 2, "\(name): \(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("\(name).nfg: \(location): "), "\(name): \(r.stderr)")
        #expect(r.stderr.contains(words), "\(name): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
    }

    /// --temperature, --radius, --samples and --seed replace the file's values; the certificate
    /// records them (sampled constants: a proven certificate states no samples); verify accepts
    /// the certificate with the same options.
    @Test func overrides() throws {
        let r = try CLI.run([
            "certify", CLI.example("coordination-2x2x2.json"), "--temperature", "2", "--radius", "0.05",
            "--samples", "5", "--seed", "9", "--estimation", "sampled",
        ])
        #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
        let c = try CLI.json(r.stdout)
        #expect((c["game"] as? [String: Any])?["temperature"] as? Double == 2)
        #expect((c["region"] as? [String: Any])?["radius"] as? Double == 0.05)
        let constants = try #require(c["constants"] as? [String: Any])
        #expect(constants["samples"] as? Int == 5)
        #expect(constants["seed"] as? Int == 9)
        let dir = try Self.directory(["cert.json": r.stdout])
        let v = try CLI.run([
            "verify", CLI.example("coordination-2x2x2.json"), dir.appendingPathComponent("cert.json").path,
            "--temperature", "2", "--radius", "0.05", "--samples", "5", "--seed", "9",
        ])
        #expect(v.status == 0, "\(v.stdout)")
        #expect(v.stdout.contains("equilibrium.residual"))

        // Same game, temperature from the file vs from the option: the same certificate.
        let file = try CLI.run(["certify", CLI.example("matching-pennies-tau2.json")])
        let option = try CLI.run(["certify", CLI.example("matching-pennies-tau0.5.json"), "--temperature", "2"])
        func margins(_ r: CLI.Result) throws -> String {
            String(describing: (try CLI.json(r.stdout)["margins"] as! [String: Any]).sorted { $0.key < $1.key })
        }
        #expect(try margins(file) == margins(option))

        let quadratic = try CLI.run(["certify", CLI.example("mini-toy.json"), "--temperature", "1"])
        #expect(quadratic.status == 2)
        #expect(quadratic.stderr.contains("--temperature applies to Markov games"))
        for bad in [["--samples", "0"], ["--radius", "0"], ["--radius", "21"], ["--temperature", "-1"]] {
            let b = try CLI.run(["certify", CLI.example("coordination-2x2x2.json")] + bad)
            #expect(b.status == 2, "\(bad)")
        }
    }

    /// region.samples is honoured exactly, including when the box has few vertices.
    @Test(arguments: [1, 5, 128, 300]) func samplesExactly(_ n: Int) throws {
        let r = try CLI.run([
            "certify", CLI.example("matching-pennies-tau2.json"), "--samples", "\(n)", "--estimation", "sampled",
        ])
        let constants = try #require(try CLI.json(r.stdout)["constants"] as? [String: Any])
        #expect(constants["samples"] as? Int == n)
    }

    /// simulate --radius starts the runs at that distance for Markov games too.
    @Test func simulateRadius() throws {
        let r = try CLI.run(["simulate", CLI.example("matching-pennies-tau2.json"), "--radius", "0.5", "--runs", "2"])
        let settings = try #require(try CLI.json(r.stdout)["settings"] as? [String: Any])
        let starts = try #require(settings["starts"] as? [String: Any])
        #expect(starts["kind"] as? String == "sphere")
        #expect(starts["radius"] as? Double == 0.5)
    }

    /// --equilibria all: one NDJSON certificate per QRE, principal first, a summary on stderr,
    /// exit 1 when one is not certified; it takes exactly one game file.
    @Test func allEquilibria() throws {
        let dir = try Self.directory(["stag.nfg": "NFG 1 R \"stag hunt\" { \"A\" \"B\" } { 2 2 }\n4 4 3 0 0 3 3 3\n"])
        let r = try CLI.run([
            "certify", dir.appendingPathComponent("stag.nfg").path, "--temperature", "0.25", "--equilibria", "all",
        ])
        #expect(r.status == 1)
        let lines = try r.stdout.split(separator: "\n").map { try CLI.json(String($0)) }
        #expect(lines.count == 3)
        #expect(
            lines.map { ($0["equilibrium"] as? [String: Any])?["branch"] as? String } == [
                "principal", "other", "other",
            ])
        #expect(lines.map { $0["status"] as? String } == ["certified", "certified", "not_certified"])
        #expect(r.stderr.contains("3 equilibria: 2 certified, 1 not certified"))
        // Each certificate verifies, the further ones against the QRE near their stated logits.
        for (k, line) in r.stdout.split(separator: "\n").enumerated() {
            let cert = dir.appendingPathComponent("cert\(k).json")
            try Data(line.utf8).write(to: cert)
            let v = try CLI.run([
                "verify", dir.appendingPathComponent("stag.nfg").path, cert.path, "--temperature", "0.25",
            ])
            #expect(v.status == 0, "certificate \(k): \(v.stdout)")
        }
        let two = try CLI.run([
            "certify", CLI.example("mini-toy.json"), CLI.example("bilinear.json"), "--equilibria", "all",
        ])
        #expect(two.status == 2)
    }

    /// simulate and plot take the game overrides too (--temperature, --samples, --region-radius,
    /// --region-seed), and read .nfg files.
    @Test func simulateAndPlotOverrides() throws {
        let file = try CLI.run(["simulate", CLI.example("matching-pennies-tau2.json"), "--runs", "2"])
        let option = try CLI.run([
            "simulate", CLI.example("matching-pennies-tau0.5.json"), "--runs", "2", "--temperature", "2",
        ])
        #expect(file.status == 0 && option.status == 0)
        #expect(
            try CLI.json(file.stdout)["contraction_rate"] as? Double == CLI.json(option.stdout)["contraction_rate"]
                as? Double)
        let bad = try CLI.run(["simulate", CLI.example("matching-pennies-tau2.json"), "--region-radius", "0"])
        #expect(bad.status == 2)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sgn-plot-\(UUID().uuidString)").path
        let plot = try CLI.run([
            "plot", Self.gambit.appendingPathComponent("pd.nfg").path, "--temperature", "2",
            "--region-radius", "0.05", "--samples", "9", "--output", out, "--chart", "steps",
        ])
        #expect(plot.status == 0, "\(plot.stderr)")
        #expect(plot.stdout.contains("pd-steps.svg"))
    }
}
