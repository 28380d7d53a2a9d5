import Foundation
import Testing

/// The shipped smooth examples through the binary: certify gives the known status with proven
/// constants, `sgn verify` accepts the certificate, `sgn simulate` confirms the certified runs.
@Suite("Smooth examples (binary)")
struct SmoothCLITests {
    static let examples: [(file: String, certified: Bool)] = [
        ("cournot-nonlinear.json", true), ("bertrand-logit.json", true), ("dirac-gan.json", true),
        ("bilinear-quartic.json", false),
    ]

    @Test(arguments: Self.examples.map(\.file))
    func certifyVerifySimulate(_ name: String) throws {
        let certified = Self.examples.first { $0.file == name }!.certified
        let r = try CLI.run(["certify", CLI.example(name)])
        #expect(r.status == (certified ? 0 : 1), "\(name): \(r.stderr)")
        let c = try CLI.json(r.stdout)
        let constants = try #require(c["constants"] as? [String: Any])
        #expect(constants["estimation"] as? String == "proven")
        #expect(((constants["proof"] as? [String: Any])?["boxes"] as? Int ?? 0) >= 1)
        let path = try CLI.temporaryFile(r.stdout, name: "\(name).certificate.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let v = try CLI.run(["verify", CLI.example(name), path])
        #expect(v.status == 0, "\(name): \(v.stdout.prefix(400)) \(v.stderr)")
        #expect(try CLI.json(v.stdout)["result"] as? String == "verified")
        if certified {
            let s = try CLI.run(["simulate", CLI.example(name), "--runs", "4"])
            #expect(s.status == 0, "\(name): \(s.stderr)")
        }
    }
}
