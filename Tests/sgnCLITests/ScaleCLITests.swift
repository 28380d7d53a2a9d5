import Foundation
import Testing

@Suite("sgn generate, shards and the iterative path (binary)")
struct ScaleCLITests {
    /// A generated network game certifies; a large sparse one goes through the iterative path
    /// and says so, with the tolerances it used.
    @Test func generatedNetworkCertifiesIteratively() throws {
        let gen = try CLI.run(["generate", "network", "--players", "700", "--dim", "1", "--degree", "4", "--seed", "2"])
        #expect(gen.status == 0)
        let file = try CLI.temporaryFile(gen.stdout, name: "net.json")
        let r = try CLI.run(["certify", file])
        #expect(r.status == 0)
        let c = try CLI.json(r.stdout)
        #expect(c["status"] as? String == "certified")
        let numerics = try #require(c["numerics"] as? [String: Any])
        #expect(numerics["linear_algebra"] as? String == "iterative")
        let iterative = try #require(numerics["iterative"] as? [String: Any])
        #expect(iterative["comparison_matrix"] as? String == "iterative")
        #expect(iterative["solver_tolerance"] as? Double != nil)
        let margins = try #require(c["margins"] as? [String: Any])
        let estimate = try #require(iterative["margin_estimate"] as? Double)
        #expect((margins["weighted"] as! Double) <= estimate + 1e-9)
    }

    /// `--shard i/n` over a directory: the shards' NDJSON lines cover every file exactly once.
    @Test func shardsCoverEveryFileOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sgn-shards-\(UUID().uuidString)").path
        let gen = try CLI.run(["generate", "dense", "--players", "3", "--dim", "1", "--count", "7", "--output", dir])
        #expect(gen.status == 0)
        var files: [String] = []
        for i in 1...3 {
            let r = try CLI.run(["certify", dir, "--shard", "\(i)/3", "--no-progress"])
            #expect(r.status <= 1)
            let lines = r.stdout.split(separator: "\n")
            // The last line is the shard's trailer, which `sgn merge` checks and drops.
            #expect(lines.last.map(String.init) == #"{"shard":{"index":\#(i),"count":3,"lines":\#(lines.count - 1)}}"#)
            for line in lines.dropLast() {
                let obj = try CLI.json(String(line))
                files.append(try #require(obj["file"] as? String))
            }
            #expect(!r.stderr.contains("\r"))
        }
        #expect(files.count == 7)
        #expect(Set(files).count == 7)
    }

    /// A malformed shard is a usage error (exit 2); a forced progress bar goes to stderr only.
    @Test func shardUsageAndProgress() throws {
        let bad = try CLI.run(["certify", CLI.example("mini-toy.json"), "--shard", "4/3"])
        #expect(bad.status == 2)
        let r = try CLI.run(["certify", CLI.example("mini-toy.json"), CLI.example("mini-toy.json"), "--progress"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("2/2 games"))
        #expect(!r.stdout.contains("games"))
    }
}
