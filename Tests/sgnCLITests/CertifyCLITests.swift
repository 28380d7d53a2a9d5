import Foundation
import Testing

@Suite("sgn certify (binary)")
struct CertifyCLITests {
    /// The mini-toy certifies through the sgn rung with the reference values of SGN-METHOD §9.
    @Test func miniToyCertificate() throws {
        let r = try CLI.run(["certify", CLI.example("mini-toy.json")])
        #expect(r.status == 0)
        let c = try CLI.json(r.stdout)
        #expect(c["status"] as? String == "certified")
        #expect(c["certified_by"] as? String == "sgn")
        let margins = try #require(c["margins"] as? [String: Any])
        #expect(abs((margins["sgn"] as! Double) - 0.292893218813452) < 1e-9)
        #expect(abs((margins["euclidean"] as! Double) + 4.025) < 1e-9)
    }
}
