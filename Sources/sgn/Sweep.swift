import ArgumentParser
import Foundation
import SGN

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Certify a game over a grid of one parameter: one certificate per value (NDJSON).",
        discussion: """
            Parameters: coupling-scale (quadratic; all coupling blocks or --block x,y), temperature and \
            radius (Markov), step (an Euler step size; any game). Each line is {"sweep": {...}, \
            <certificate>}. --boundary adds a last line locating the certified/not-certified boundary by \
            bisection when the verdict changes exactly once on the grid. Exit codes as for a batch: \
            0 every value certified, 1 some not, 2 bad input or usage.
            """
    )

    @Argument(help: "The game file ('-' for stdin).")
    var input: String

    @Option(help: "coupling-scale, temperature, radius or step.")
    var parameter: String

    @Option(
        help: ArgumentHelp("coupling-scale only: scale only the block of player x's coupling to y.", valueName: "x,y"))
    var block: String?

    @Option(help: ArgumentHelp("Comma-separated values.", valueName: "a,b,c"))
    var values: String?

    @Option(help: ArgumentHelp("count values from lo to hi, both included.", valueName: "lo:hi:count"))
    var range: String?

    @Flag(help: "--range: geometric spacing (lo > 0).")
    var log = false

    @Flag(help: "Locate the boundary by bisection (last line: {\"boundary\": ...}).")
    var boundary = false

    @Option(parsing: .unconditional, help: "Bisection stops when the bracket is at most this wide (absolute).")
    var tolerance: Double = 1e-6

    @Option(help: "What the weights maximise: rate, euler or rk4.")
    var objective: Objective = .rate

    @Option(
        help: ArgumentHelp(
            "Certify only values k with k mod n = i - 1 (i/n), or 'slurm' for the Slurm array task.",
            valueName: "i/n|slurm"))
    var shard: String?

    func run() throws {
        try Console.mappingErrors {
            let parameter = try sweptParameter()
            guard tolerance.isFinite, tolerance > 0 else {
                throw InputError(path: "--tolerance", message: "expected a positive number, got \(tolerance)")
            }
            let sharded = try selectedShard()
            let grid = try Sweep.grid(values: values, range: range, log: log, parameter: parameter)
            let sweep = try Sweep(path: input, parameter: parameter, certifier: Certifier(objective: objective))
            let selected = grid.enumerated().filter { sharded?.contains($0.offset) ?? true }.map {
                (index: $0.offset, value: $0.element)
            }
            var points: [Sweep.Point] = []
            var code: Int32 = 0
            for result in sweep.run(selected) {
                let p = try result.get()
                points.append(p)
                Console.out(sweep.line(p))
                code = max(code, p.certified ? 0 : 1)
            }
            if boundary { try reportBoundary(sweep, points) }
            if let sharded {
                Console.out(ShardMerge.trailer(index: sharded.index, count: sharded.count, lines: points.count))
            }
            throw ExitCode(code)
        }
    }

    /// `--parameter` (and `--block`, which only coupling-scale takes).
    func sweptParameter() throws -> Sweep.Parameter {
        let parameter: Sweep.Parameter
        switch self.parameter {
        case "coupling-scale":
            var pair: (row: String, col: String)?
            if let block {
                let parts = block.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw InputError(path: "--block", message: "expected two player names x,y, got \"\(block)\"")
                }
                pair = (parts[0], parts[1])
            }
            parameter = .couplingScale(block: pair)
        case "temperature": parameter = .temperature
        case "radius": parameter = .radius
        case "step": parameter = .step
        default:
            throw InputError(
                path: "--parameter",
                message: "expected coupling-scale, temperature, radius or step, got \"\(self.parameter)\"")
        }
        if block != nil && self.parameter != "coupling-scale" {
            throw InputError(path: "--block", message: "--block applies to --parameter coupling-scale only")
        }
        return parameter
    }

    /// `--shard` (nil: the whole grid); `--boundary` needs the whole grid.
    func selectedShard() throws -> BatchRunner.Shard? {
        guard let shard else { return nil }
        guard let s = BatchRunner.Shard(shard) else {
            throw InputError(
                path: "--shard",
                message: shard == "slurm"
                    ? """
                    slurm: SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_MIN and SLURM_ARRAY_TASK_COUNT must be set (in a \
                    Slurm job array)
                    """
                    : "expected i/n with 1 <= i <= n, or slurm, got \"\(shard)\"")
        }
        guard !boundary else {
            throw InputError(path: "--shard", message: "--boundary needs the whole grid: run it unsharded")
        }
        return s
    }

    /// `--boundary`: the bisected boundary line on stdout, what it means on stderr.
    func reportBoundary(_ sweep: Sweep, _ points: [Sweep.Point]) throws {
        let b = try sweep.boundary(points, tolerance: tolerance)
        Console.out(sweep.boundaryLine(b))
        if !b.monotoneOnGrid {
            Console.err(
                """
                sgn: the verdict changes \(b.changes.count) times on the grid: not monotone there, so no boundary is \
                bisected
                """
            )
        } else if let lo = b.lower, let hi = b.upper {
            Console.err(
                """
                sgn: verdict monotone on the grid; boundary in (\(JSONWriter.format(lo)), \(JSONWriter.format(hi))], \
                certified \(b.certifiedSide ?? "")
                """
            )
        } else {
            Console.err("sgn: the verdict does not change on the grid: no boundary inside it")
        }
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the NDJSON outputs of shards into the unsharded output, byte for byte.",
        discussion: """
            Sweep lines are ordered by their index, certify batch lines by file path (byte order). Every shard \
            output ends with a trailer line {"shard": {...}}, which merge checks and drops: a missing shard or an \
            unfinished output is bad input (exit 2) naming it, unless --allow-partial is given.
            """
    )

    @Argument(help: "Shard output files (NDJSON).")
    var inputs: [String]

    @Flag(help: "Merge an incomplete set of shards (missing shards or unfinished outputs are named on stderr).")
    var allowPartial = false

    func run() throws {
        try Console.mappingErrors {
            var texts: [(source: String, text: String)] = []
            for path in inputs {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    throw InputError(file: path, message: "no such file")
                }
                if isDirectory.boolValue { throw InputError(file: path, message: "is a directory") }
                // Read through a handle: `contents(atPath:)` gives nil for devices such as /dev/null.
                guard let handle = FileHandle(forReadingAtPath: path) else {
                    throw InputError(file: path, message: "cannot open the file for reading")
                }
                let data: Data
                do {
                    data = try handle.readToEnd() ?? Data()
                } catch {
                    throw InputError(file: path, message: "cannot read the file (\(error.localizedDescription))")
                }
                texts.append((path, String(decoding: data, as: UTF8.self)))
            }
            let lines = try ShardMerge.merge(texts, allowPartial: allowPartial) { Console.err("sgn: warning: \($0)") }
            for line in lines { Console.out(line) }
        }
    }
}
