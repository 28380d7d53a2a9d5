import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("sgn verify, simulate, plot (binary)")
struct VerifySimulatePlotCLITests {
    /// Writes `certify`'s output for an example to a temporary file.
    func certificateFile(_ example: String) throws -> String {
        let r = try CLI.run(["certify", CLI.example(example)])
        return try CLI.temporaryFile(r.stdout, name: "cert.json")
    }

    /// verify accepts what certify produced for every example, with exit 0 and a JSON report.
    @Test func verifyAcceptsEveryExample() throws {
        let dir = CLI.root.appendingPathComponent("examples").path
        for name in try FileManager.default.contentsOfDirectory(atPath: dir).filter({ $0.hasSuffix(".json") }).sorted()
        {
            let r = try CLI.run(["verify", CLI.example(name), try certificateFile(name)])
            #expect(r.status == 0, "\(name): \(r.stderr)")
            let report = try CLI.json(r.stdout)
            #expect(report["verification"] as? String == "sgn-verify/1")
            #expect(report["result"] as? String == "verified")
            let claims = try #require(report["claims"] as? [[String: Any]])
            #expect(
                claims.allSatisfy {
                    $0["holds"] as? Bool == true && $0["claim"] is String && $0["stated"] != nil
                        && $0["recomputed"] != nil
                })
        }
    }

    /// A tampered certificate (larger margin) exits 1 and names the failing claim.
    @Test func verifyRejectsTampering() throws {
        let r0 = try CLI.run(["certify", CLI.example("mini-toy.json")])
        let tampered = r0.stdout.replacingOccurrences(of: "\"lipschitz\":1.7071067811865475", with: "\"lipschitz\":1.6")
        #expect(tampered != r0.stdout)
        let r = try CLI.run([
            "verify", CLI.example("mini-toy.json"), try CLI.temporaryFile(tampered, name: "cert.json"),
        ])
        #expect(r.status == 1)
        #expect(r.stderr.contains("lipschitz"))
        let report = try CLI.json(r.stdout)
        #expect(report["result"] as? String == "failed")
        let failed = try #require((report["summary"] as? [String: Any])?["failed"] as? [String])
        #expect(failed.contains("lipschitz"))
    }

    /// Malformed certificates and bad games exit 2 with the file and JSON path.
    @Test func verifyBadInput() throws {
        let r0 = try CLI.run(["certify", CLI.example("mini-toy.json")])
        let broken = r0.stdout.replacingOccurrences(of: "\"contraction_rate\":", with: "\"contraction_rat\":")
        let cert = try CLI.temporaryFile(broken, name: "cert.json")
        let r = try CLI.run(["verify", CLI.example("mini-toy.json"), cert])
        #expect(r.status == 2)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("cert.json: (top level): missing required key \"contraction_rate\""))
        #expect(try CLI.run(["verify", "/nonexistent.json", cert]).status == 2)
        #expect(try CLI.run(["verify", CLI.example("mini-toy.json"), "/nonexistent.json"]).status == 2)
        #expect(try CLI.run(["verify", CLI.example("mini-toy.json")]).status == 2)
    }

    /// The certificate can come from stdin; the text format lists claims.
    @Test func verifyFromStdinAsText() throws {
        let cert = try CLI.run(["certify", CLI.example("network-4.json")]).stdout
        let r = try CLI.run(["verify", CLI.example("network-4.json"), "-", "--format", "text"], stdin: cert)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("network-4: VERIFIED"))
    }

    /// simulate: exit 0 on certified examples, runs at certified steps behaved, JSON per run,
    /// reproducible by seed.
    @Test func simulateIsReproducible() throws {
        let args = [
            "simulate", CLI.example("mini-toy.json"), "--method", "both", "--step-factor", "0.5,1,2", "--runs", "3",
            "--seed", "7",
        ]
        let a = try CLI.run(args)
        let b = try CLI.run(args)
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        let report = try CLI.json(a.stdout)
        #expect(report["simulation"] as? String == "sgn-simulate/1")
        let runs = try #require(report["runs"] as? [[String: Any]])
        #expect(runs.count == 2 * 3 * 3)
        for run in runs {
            for key in [
                "method", "step", "converged", "steps", "final_distance", "final_metric_distance", "worst_factor",
                "certified_factor", "behaved",
            ] {
                #expect(run[key] != nil, "missing \(key)")
            }
            if let q = run["certified_factor"] as? Double, let w = run["worst_factor"] as? Double {
                #expect(w <= q * (1 + 1e-9))
            }
        }
        let other = try CLI.run(args.dropLast() + ["8"])
        #expect(other.stdout != a.stdout)
    }

    /// simulate: not certified → exit 1 (no certified step); bad options → exit 2.
    @Test func simulateExitCodes() throws {
        #expect(try CLI.run(["simulate", CLI.example("scaled-1.5.json")]).status == 1)
        #expect(
            try CLI.run(["simulate", CLI.example("scaled-1.5.json"), "--step", "0.01", "--max-steps", "50"]).status == 1
        )
        #expect(try CLI.run(["simulate", CLI.example("mini-toy.json"), "--step-factor", "1,x"]).status == 2)
        #expect(try CLI.run(["simulate", CLI.example("mini-toy.json"), "--runs", "0"]).status == 2)
        #expect(try CLI.run(["simulate", CLI.example("mini-toy.json"), "--step", "-1"]).status == 2)
        #expect(try CLI.run(["simulate", CLI.example("mini-toy.json"), "--method", "leapfrog"]).status == 2)
        #expect(try CLI.run(["simulate", "/nonexistent.json"]).status == 2)
    }

    /// plot: one well-formed SVG per chart and game in the output directory.
    @Test func plotWritesSVGFiles() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("sgn-plots-\(UUID().uuidString)").path
        let r = try CLI.run([
            "plot", CLI.example("mini-toy.json"), CLI.example("tandem.json"), "--output", out, "--runs", "2",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let written = r.stdout.split(separator: "\n").map(String.init)
        #expect(
            written.map { URL(fileURLWithPath: $0).lastPathComponent }.sorted() == [
                "mini-toy-band.svg", "mini-toy-steps.svg", "mini-toy-trajectory.svg", "tandem-band.svg",
            ])
        #expect(r.stderr.contains("tandem.json: no trajectory chart"))
        for path in written {
            let parser = XMLParser(data: try Data(contentsOf: URL(fileURLWithPath: path)))
            #expect(parser.parse(), "\(path) is not well-formed")
        }
        let only = try CLI.run(["plot", CLI.example("mini-toy.json"), "--output", out, "--chart", "band"])
        #expect(only.stdout.split(separator: "\n").count == 1)
        #expect(try CLI.run(["plot", CLI.example("mini-toy.json"), "--output", out, "--chart", "pie"]).status == 2)
        #expect(try CLI.run(["plot", "/nonexistent.json", "--output", out]).status == 2)
    }
}
