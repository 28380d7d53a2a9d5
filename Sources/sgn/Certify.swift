import ArgumentParser
import Foundation
import SGN

struct Certify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Certify games: one certificate (JSON) per game on stdout.",
        discussion: """
            One file: its certificate. Several files or a directory (its *.json, and its *.nfg and *.efg \
            when --temperature is given or the file has a sidecar <file>.nfg.json / <file>.efg.json; sorted): one \
            certificate per line (NDJSON), with a summary table on stderr. '-' reads a game from stdin.
            Exit codes: 0 all certified, 1 some game not certified, 2 some input bad.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, text }

    @Argument(
        help: "Game files (JSON, Gambit .nfg or .efg), directories of games, or '-' for stdin.", completion: .file())
    var inputs: [String]

    @Option(help: "What the weights maximise: rate (margin α), euler (α/β²) or rk4 (α/β).")
    var objective: Objective = .rate

    @Flag(help: "Quadratic games: certify only with a proof that holds despite floating point (adds a 'rigor' object).")
    var rigorous = false

    @Flag(help: "Indent the JSON output (single-game mode).")
    var pretty = false

    enum EstimationChoice: String, ExpressibleByArgument, CaseIterable { case proven, sampled }

    @Option(
        help:
            """
            Markov games: proven (only constants proven on the whole region certify) or sampled (no proof). Default: \
            try the proof within the budget, fall back to the sampled constants with the reason.
            """
    )
    var estimation: EstimationChoice?

    @Option(help: "Markov games: work budget of the proof, in sub-boxes.")
    var proofBudget: Int = RegionProof.certifyBudget

    /// What `--estimation` meant for a game whose constants are not sampled, where it has
    /// nothing to choose (nil when it applied or was not given): said on stderr, so the option is
    /// never silently ignored. The certificate's `constants.estimation` states the same.
    func estimationNote(_ c: Certificate) -> String? {
        switch (estimation, c.estimation) {
        case (.proven?, .exact):
            return """
                --estimation proven: this game's constants are exact (constants.estimation "exact"), which is \
                stronger than proven bounds; there is nothing to prove
                """
        case (.sampled?, .exact):
            return """
                --estimation sampled: this game's constants are exact (constants.estimation "exact"); nothing is \
                sampled
                """
        case (.sampled?, .proven):
            return """
                --estimation sampled: this game's constants are proven bounds on its region (constants.estimation \
                "proven"), which its class always computes; nothing is sampled
                """
        default:
            return nil
        }
    }

    /// The estimation notes of a batch: one line per kind of note, with the number of games.
    func estimationNotes(_ certificates: [Certificate]) -> [String] {
        var notes: [(note: String, count: Int)] = []
        for note in certificates.compactMap(estimationNote) {
            if let k = notes.firstIndex(where: { $0.note == note }) {
                notes[k].count += 1
            } else {
                notes.append((note, 1))
            }
        }
        return notes.map { "sgn: note: \($0.note) (\(counted($0.count, "game")) of \(certificates.count))" }
    }

    var certifier: Certifier {
        Certifier(
            objective: objective, rigorous: rigorous,
            estimationMode: estimation.map { EstimationMode(rawValue: $0.rawValue)! } ?? .auto, proofBudget: proofBudget
        )
    }

    @Option(help: "Output format: json or text.")
    var format: Format = .json

    @Option(help: ArgumentHelp("Certify only shard i of n (1 <= i <= n) of the sorted input files.", valueName: "i/n"))
    var shard: String?

    @Flag(inversion: .prefixedNo, help: "Progress bar on stderr for batches (default: when stderr is a terminal).")
    var progress: Bool?

    @OptionGroup var game: GameOptions

    enum Equilibria: String, ExpressibleByArgument, CaseIterable { case principal, all }

    @Option(
        help:
            """
            Markov games: principal (the QRE continued from the uniform policy) or all (every QRE found from several \
            starts, one certificate each: NDJSON, principal first).
            """
    )
    var equilibria: Equilibria = .principal

    func validate() throws {
        if proofBudget < 1 {
            throw ValidationError("--proof-budget expects a positive number of sub-boxes, got \(proofBudget)")
        }
        if let shard, BatchRunner.Shard(shard) == nil {
            throw ValidationError("--shard expects i/n with 1 <= i <= n, got '\(shard)'")
        }
        try game.check(radiusName: "--radius", seedName: "--seed")
        try Console.checkStdinOnce(inputs)
        try Console.checkPretty(pretty, format)
        if equilibria == .all, inputs.count != 1 || FileManager.default.isDirectory(inputs[0]) || shard != nil {
            throw ValidationError("--equilibria all takes one game file")
        }
    }

    /// `--equilibria all`: one certificate per distinct QRE, principal first.
    func runAll(_ file: String) throws {
        let g: any Game
        do {
            g = try GameReader.read(path: file, overrides: game.overrides)
        } catch {
            Console.err("sgn: error: \(error)")
            throw ExitCode(2)
        }
        let games = g.gamesPerEquilibrium()
        var certified = 0
        var certificates: [Certificate] = []
        for one in games {
            let c = try certifier.certify(one)
            if c.status == .certified { certified += 1 }
            certificates.append(c)
            Console.out(format == .text ? c.text : JSONWriter.write(c.json, pretty: pretty))
        }
        for note in estimationNotes(certificates) { Console.err(note) }
        Console.err(
            "\(counted(games.count, "equilibrium", "equilibria")): \(certified) certified, "
                + "\(games.count - certified) not certified")
        throw ExitCode(certified == games.count ? 0 : 1)
    }

    func run() throws {
        if equilibria == .all { return try runAll(inputs[0]) }
        var files = BatchRunner.expand(inputs, temperatureGiven: game.temperature != nil)
        let sharded = shard.flatMap(BatchRunner.Shard.init)
        if let sharded {
            let all = files.count
            files = sharded.select(files)
            if files.isEmpty {
                Console.err("sgn: shard \(sharded.index)/\(sharded.count) of \(counted(all, "file")) is empty")
                if format == .json {
                    Console.out(ShardMerge.trailer(index: sharded.index, count: sharded.count, lines: 0))
                }
                throw ExitCode(0)
            }
        }
        guard !files.isEmpty else {
            Console.err("sgn: no game files found in \(inputs.joined(separator: " "))")
            throw ExitCode(2)
        }
        let runner = BatchRunner(certifier: certifier, overrides: game.overrides)
        let batch = files.count > 1 || sharded != nil || inputs.contains { FileManager.default.isDirectory($0) }
        guard batch else { return try runOne(files[0], runner) }
        files = Console.skippingOutputs(files)
        guard !files.isEmpty else {
            Console.err("sgn: no game files found in \(inputs.joined(separator: " "))")
            throw ExitCode(2)
        }
        try runBatch(files, runner, shard: sharded)
    }

    /// One file: its certificate (or the error) alone, exit code by its outcome.
    func runOne(_ file: String, _ runner: BatchRunner) throws {
        let item = runner.run(file: file)
        switch item.outcome {
        case let .certificate(c):
            if let note = estimationNote(c) { Console.err("sgn: note: \(note)") }
            Trace.log("write: start")
            let j = c.json
            Trace.log("write: JSON tree built")
            let text = format == .text ? c.text : JSONWriter.write(j, pretty: pretty)
            Trace.log("write: serialised")
            Console.out(text)
            Trace.log("write: done")
            Trace.log("lapack: \(LAPACK.timeSummary)")
        case let .badInput(e):
            Console.err("sgn: error: \(e)")
        case let .failure(message):
            Console.err("sgn: error: \(message)")
        }
        throw ExitCode(item.outcome.exitCode)
    }

    /// Several files: one line per file in input order (NDJSON, or text), the summary table on
    /// stderr, the worst exit code.
    func runBatch(_ files: [String], _ runner: BatchRunner, shard: BatchRunner.Shard? = nil) throws {
        let bar = (progress ?? Console.stderrIsTerminal) ? ProgressBar(total: files.count) : nil
        let items = runner.run(files: files) { done in bar?.update(done) }
        bar?.finish()
        // Lines are built on all cores (a certificate's JSON tree and its text are a tenth of a
        // small game's work) and written in input order, one write per chunk.
        let format = format
        let chunks = Parallel.mapChunks(count: items.count, minimumChunk: 32) { range in
            range.compactMap { Self.line(items[$0], format: format) }.map { $0 + "\n" }.joined()
        }
        for chunk in chunks where !chunk.isEmpty { Console.write(chunk) }
        // A shard's JSON output ends with its trailer, which `sgn merge` checks and drops.
        if let shard, format == .json {
            Console.out(ShardMerge.trailer(index: shard.index, count: shard.count, lines: items.count))
        }
        Console.err(Self.summaryTable(items))
        let certificates = items.compactMap { item -> Certificate? in
            guard case let .certificate(c) = item.outcome else { return nil }
            return c
        }
        for note in estimationNotes(certificates) { Console.err(note) }
        throw ExitCode(BatchRunner.exitCode(items))
    }

    /// One batch output line: the certificate with its `file` first, or the error (nil only for
    /// a certificate whose JSON is not an object, which the certificate model never writes).
    static func line(_ item: BatchRunner.Item, format: Format) -> String? {
        switch item.outcome {
        case let .certificate(c):
            if format == .text { return c.text }
            guard case let .object(pairs) = c.json else { return nil }
            return JSONWriter.write(.object([("file", .string(item.file))] + pairs))
        case let .badInput(e):
            return format == .text
                ? "\(item.file): BAD INPUT: \(e)"
                : JSONWriter.write(.object([("file", .string(item.file)), ("error", .string(e.description))]))
        case let .failure(message):
            return format == .text
                ? "\(item.file): BAD INPUT: \(message)"
                : JSONWriter.write(.object([("file", .string(item.file)), ("error", .string(message))]))
        }
    }

    static func firstLine(_ s: String) -> String {
        String(s.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
    }

    static func summaryTable(_ items: [BatchRunner.Item]) -> String {
        let width = min(60, items.map(\.file.count).max() ?? 0)
        var lines: [String] = []
        var counts = [0, 0, 0]
        for item in items {
            let status: String
            switch item.outcome {
            case let .certificate(c): status = c.summaryLine
            case let .badInput(e): status = "bad input: " + Self.firstLine(e.description)
            case let .failure(message): status = "bad input: " + Self.firstLine(message)
            }
            counts[Int(item.outcome.exitCode)] += 1
            lines.append(
                item.file.padding(toLength: max(width, item.file.count), withPad: " ", startingAt: 0) + "  " + status)
        }
        lines.append(
            "\(counted(items.count, "game")): \(counts[0]) certified, \(counts[1]) not certified, "
                + "\(counts[2]) bad input")
        return lines.joined(separator: "\n")
    }
}

extension Objective: ExpressibleByArgument {}

/// Values replacing a Markov game's (or .nfg file's) temperature and region keys. `certify`
/// names the region options `--radius`/`--seed` (with `--region-radius`/`--region-seed` as
/// aliases); `simulate` and `plot` use `--radius`/`--seed` for their starting points, so there
/// only the `--region-…` names apply.
struct GameOptions: ParsableArguments {
    @Option(help: "Markov games, .nfg and .efg files: the temperature tau (replaces the file's).")
    var temperature: Double?

    @Option(
        name: [.customLong("radius"), .customLong("region-radius")],
        help: "Markov games: radius of the logit box the constants are sampled on (replaces region.radius).")
    var radius: Double?

    @Option(help: "Markov games: number of sample points, exactly (replaces region.samples).")
    var samples: Int?

    @Option(
        name: [.customLong("seed"), .customLong("region-seed")],
        help: "Markov games: seed of the sample points (replaces region.seed).")
    var seed: UInt64?

    var overrides: GameOverrides {
        GameOverrides(temperature: temperature, radius: radius, samples: samples, seed: seed)
    }

    func check(radiusName: String, seedName: String) throws {
        if let problem = overrides.problem(names: ["--temperature", radiusName, "--samples", seedName]) {
            throw ValidationError(problem)
        }
    }
}

/// The game overrides of `simulate` and `plot`, whose `--radius`/`--seed` are about starts.
struct RegionOptions: ParsableArguments {
    @Option(help: "Markov games, .nfg and .efg files: the temperature tau (replaces the file's).")
    var temperature: Double?

    @Option(
        name: .customLong("region-radius"),
        help: "Markov games: radius of the sampled logit box (replaces region.radius).")
    var regionRadius: Double?

    @Option(help: "Markov games: number of sample points, exactly (replaces region.samples).")
    var samples: Int?

    @Option(name: .customLong("region-seed"), help: "Markov games: seed of the sample points (replaces region.seed).")
    var regionSeed: UInt64?

    var overrides: GameOverrides {
        GameOverrides(temperature: temperature, radius: regionRadius, samples: samples, seed: regionSeed)
    }

    func check() throws {
        if let problem = overrides.problem(names: ["--temperature", "--region-radius", "--samples", "--region-seed"]) {
            throw ValidationError(problem)
        }
    }
}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return path != "-" && fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}

/// A one-line progress bar on stderr, redrawn at most every 0.1 s (thread-safe: the time of the
/// last redraw is the library's one lock box, `Locked`, and each redraw is written inside it).
final class ProgressBar: Sendable {
    private let total: Int
    private let last = Locked(Date.distantPast)
    private let start = Date()

    init(total: Int) { self.total = total }

    func update(_ done: Int) {
        last.withLock { last in
            let now = Date()
            guard done == total || now.timeIntervalSince(last) >= 0.1 else { return }
            last = now
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            let elapsed = now.timeIntervalSince(start)
            try? FileHandle.standardError.write(
                contentsOf: Data("\r[\(bar)] \(done)/\(total) games, \(String(format: "%.1f", elapsed)) s".utf8))
        }
    }

    func finish() {
        last.withLock { _ in try? FileHandle.standardError.write(contentsOf: Data("\n".utf8)) }
    }
}
