import Foundation
import Testing

@testable import SGN

@Suite("Sweep grids, parameters and merging")
struct SweepTests {
    @Test func grids() throws {
        #expect(try Sweep.grid(values: "3, 1,2", range: nil, log: false, parameter: .temperature) == [3, 1, 2])
        #expect(
            try Sweep.grid(values: nil, range: "0:1:5", log: false, parameter: .couplingScale(block: nil)) == [
                0, 0.25, 0.5, 0.75, 1,
            ])
        let g = try Sweep.grid(values: nil, range: "0.01:100:5", log: true, parameter: .radius)
        #expect(g.first == 0.01 && g.last == 100)
        for (a, b) in zip(g, [0.01, 0.1, 1, 10, 100]) { #expect(abs(a - b) <= 1e-14 * b) }
        #expect(try Sweep.grid(values: nil, range: "2:2:1", log: false, parameter: .step) == [2])
        // Coupling scales may be zero or negative.
        #expect(
            try Sweep.grid(values: "-1,0", range: nil, log: false, parameter: .couplingScale(block: nil)) == [-1, 0])
        let bad: [(String?, String?, Bool, Sweep.Parameter, String)] = [
            (
                nil, "-0.5:1:3", false, .temperature,
                "temperature must be positive, but the values reach -0.5 (a range may not cross or touch zero)"
            ),
            (
                "1,0", nil, false, .step,
                "step must be positive, but the values reach 0 (a range may not cross or touch zero)"
            ),
            (nil, "0:1:3", true, .couplingScale(block: nil), "--log needs lo > 0, got 0.0"),
            (nil, "1:0:3", false, .radius, "lo 1.0 exceeds hi 0.0"),
            (nil, "1:2", false, .radius, "expected lo:hi:count (e.g. 0.5:2:31), got \"1:2\""),
            ("1,x", nil, false, .radius, "expected comma-separated finite numbers, got \"x\""),
            (nil, nil, false, .radius, "give the values: --values a,b,c or --range lo:hi:count"),
        ]
        for (values, range, log, parameter, message) in bad {
            #expect(throws: InputError.self) {
                try Sweep.grid(values: values, range: range, log: log, parameter: parameter)
            }
            do { _ = try Sweep.grid(values: values, range: range, log: log, parameter: parameter) } catch {
                #expect(error.message == message)
            }
        }
    }

    /// The scaled game is the game with its couplings multiplied (closed form on the mini-toy).
    @Test func couplingScaleApplies() throws {
        let s = try Sweep(path: examplePath("mini-toy.json"), parameter: .couplingScale(block: nil))
        let g = try #require(try s.game(at: 0.5) as? QuadraticGame)
        #expect(g.jacobian.dense() == Matrix(rowMajor: [[1, 5], [0.025, 1]]))
        let only = try Sweep(path: examplePath("mini-toy.json"), parameter: .couplingScale(block: ("y", "x")))
        let h = try #require(try only.game(at: 4) as? QuadraticGame)
        #expect(h.jacobian.dense() == Matrix(rowMajor: [[1, 10], [0.2, 1]]))
    }

    @Test func temperatureApplies() throws {
        let s = try Sweep(path: examplePath("matching-pennies-tau2.json"), parameter: .temperature)
        #expect(try #require(try s.game(at: 0.75) as? MarkovGame).temperature == 0.75)
        let r = try Sweep(path: examplePath("matching-pennies-tau2.json"), parameter: .radius)
        #expect(try #require(try r.game(at: 0.05) as? MarkovGame).regionSpec.radius == 0.05)
    }

    @Test func mergeRejectsDuplicatesAndMixtures() throws {
        let a = #"{"sweep":{"index":0},"x":1}"#
        let b = #"{"sweep":{"index":1},"x":2}"#
        func shard(_ i: Int, of n: Int, _ lines: [String]) -> String {
            (lines + [ShardMerge.trailer(index: i, count: n, lines: lines.count)]).joined(separator: "\n") + "\n"
        }
        #expect(try ShardMerge.merge([("s2", shard(2, of: 2, [b])), ("s1", shard(1, of: 2, [a]))]) == [a, b])
        #expect(throws: InputError(file: "s2", path: "line 1", message: "sweep index 0 also appears in s1")) {
            try ShardMerge.merge([("s1", shard(1, of: 2, [a])), ("s2", shard(2, of: 2, [a]))])
        }
        #expect(
            throws: InputError(message: "the inputs mix sweep lines and certify lines; merge the outputs of one run")
        ) {
            try ShardMerge.merge([("s1", shard(1, of: 2, [a])), ("s2", shard(2, of: 2, [#"{"file":"f.json"}"#]))])
        }
        #expect(
            try ShardMerge.merge([("s1", shard(1, of: 1, [#"{"file":"b.json"}"#, #"{"file":"a.json"}"#]))]) == [
                #"{"file":"a.json"}"#, #"{"file":"b.json"}"#,
            ])
    }

    /// An incomplete set of shards was merged silently (exit 0): a missing shard, an output
    /// without its trailer (a shard killed or still running) and a trailer whose count disagrees
    /// are bad input naming them, unless partial merges are allowed (then they are notes).
    @Test func mergeNamesMissingShards() throws {
        let a = #"{"sweep":{"index":0},"x":1}"#
        let b = #"{"sweep":{"index":1},"x":2}"#
        let c = #"{"sweep":{"index":2},"x":3}"#
        let one = a + "\n" + c + "\n" + ShardMerge.trailer(index: 1, count: 3, lines: 2) + "\n"
        let three = ShardMerge.trailer(index: 3, count: 3, lines: 0) + "\n"
        let suffix = "; merge every shard's whole output, or pass --allow-partial"
        #expect(
            throws: InputError(
                message: "incomplete set of shards: missing shard 2/3 (1 of 3): their outputs were not given" + suffix)
        ) {
            try ShardMerge.merge([("s1", one), ("s3", three)])
        }
        #expect(
            throws: InputError(
                message: "incomplete set of shards: missing shard 2/3 (1 of 3): their outputs were not given; s2: its "
                    + "last line has no shard trailer: the output of a shard that did not finish (or of an unsharded "
                    + "run, or of sgn before shard trailers)" + suffix)
        ) {
            try ShardMerge.merge([("s1", one), ("s2", b + "\n"), ("s3", three)])
        }
        let short = b + "\n" + ShardMerge.trailer(index: 2, count: 3, lines: 2)
        #expect(
            throws: InputError(
                message: "incomplete set of shards: s2: line 2: shard 2/3 printed 2 lines, but 1 precede its trailer: "
                    + "the output is not that shard's whole output" + suffix)
        ) {
            try ShardMerge.merge([("s1", one), ("s2", short), ("s3", three)])
        }
        #expect(throws: InputError(file: "s4", path: "line 1", message: "shard 1/4 is of another split than s1 (of 3)"))
        {
            try ShardMerge.merge([("s1", one), ("s4", ShardMerge.trailer(index: 1, count: 4, lines: 0))])
        }
        #expect(throws: InputError(file: "t", path: "line 1", message: "shard 1/3 also appears in s1")) {
            try ShardMerge.merge([("s1", one), ("t", ShardMerge.trailer(index: 1, count: 3, lines: 0))])
        }
        // A shard killed before it printed anything left an empty file.
        #expect(
            throws: InputError(
                message: "incomplete set of shards: missing shard 2/3 (1 of 3): their outputs were not given; s2: no "
                    + "shard trailer and no lines: the output of a shard that did not finish (or not a shard output)"
                    + suffix)
        ) {
            try ShardMerge.merge([("s1", one), ("s2", ""), ("s3", three)])
        }
        // A sweep index beyond any grid is no sweep line (1e300 trapped converting to Int).
        #expect(
            throws: InputError(
                file: "s", path: "line 1",
                message: "expected a sweep line (key \"sweep\") or a batch certify line (key \"file\")")
        ) {
            try ShardMerge.merge([("s", #"{"sweep":{"index":1e300},"x":1}"#)])
        }
        var notes: [String] = []
        #expect(try ShardMerge.merge([("s1", one), ("s3", three)], allowPartial: true) { notes.append($0) } == [a, c])
        #expect(notes == ["incomplete set of shards: missing shard 2/3 (1 of 3): their outputs were not given"])
        let whole = b + "\n" + ShardMerge.trailer(index: 2, count: 3, lines: 1) + "\n"
        #expect(try ShardMerge.merge([("s3", three), ("s2", whole), ("s1", one)]) == [a, b, c])
    }

    @Test func slurmShard() {
        let env = ["SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "4"]
        #expect(BatchRunner.Shard("slurm", environment: env) == BatchRunner.Shard("3/4"))
        #expect(BatchRunner.Shard("slurm", environment: [:]) == nil)
        #expect(
            BatchRunner.Shard(
                "slurm",
                environment: ["SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_MIN": "5", "SLURM_ARRAY_TASK_COUNT": "4"])
                == nil)
    }
}
