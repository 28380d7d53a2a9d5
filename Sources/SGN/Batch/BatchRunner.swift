import Foundation

/// Certifies many game files, in input order, on all cores.
public struct BatchRunner: Sendable {
    public enum Outcome: Sendable {
        case certificate(Certificate)
        case badInput(InputError)
        case failure(String)

        /// The CLI's exit code for this one outcome: 0 certified, 1 not certified, 2 bad input.
        public var exitCode: Int32 {
            switch self {
            case let .certificate(c): return c.status == .certified ? 0 : 1
            case .badInput, .failure: return 2
            }
        }
    }

    public struct Item: Sendable {
        public var file: String
        public var outcome: Outcome
    }

    public var certifier: Certifier
    /// Command-line values replacing the games' own (Markov games and .nfg files).
    public var overrides: GameOverrides

    public init(certifier: Certifier, overrides: GameOverrides = GameOverrides()) {
        self.certifier = certifier
        self.overrides = overrides
    }

    /// Expands the command-line inputs: files as given, directories to their `*.json` game files
    /// sorted by name, `-` for standard input. A directory's `.nfg` and `.efg` files are included
    /// when `temperatureGiven` (a `--temperature` on the command line) or when the file has a
    /// sidecar `<file>.nfg.json` / `<file>.efg.json`; sidecars themselves are not games and are
    /// never listed.
    public static func expand(_ inputs: [String], temperatureGiven: Bool = false) -> [String] {
        var out: [String] = []
        for input in inputs {
            var isDir: ObjCBool = false
            if input != "-", FileManager.default.fileExists(atPath: input, isDirectory: &isDir), isDir.boolValue {
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: input)) ?? []
                let base = input.hasSuffix("/") ? String(input.dropLast()) : input
                let names = Set(entries)
                out += entries.filter { name in
                    if name.hasSuffix(".nfg.json") || name.hasSuffix(".efg.json") { return false }
                    if name.hasSuffix(".nfg") || name.hasSuffix(".efg") {
                        return temperatureGiven || names.contains(name + ".json")
                    }
                    return name.hasSuffix(".json")
                }.sorted().map { "\(base)/\($0)" }
            } else {
                out.append(input)
            }
        }
        return out
    }

    /// Splits a batch's files into games and files that are sgn's own output: the file this
    /// process's stdout writes to (`sgn certify g > g/certs.json` creates it before the run) and
    /// files whose content starts like a certificate, an NDJSON certificate or error line, a
    /// simulation or a verification report. None of these can be a game (game files reject the
    /// keys `certificate`, `file`, `simulation` and `verification`), so skipping them never skips
    /// a game. Standard input (`-`) is never skipped.
    public static func separateOutputs(_ files: [String]) -> (games: [String], outputs: [String]) {
        var games: [String] = []
        var outputs: [String] = []
        let stdout = fileIdentity(descriptor: 1)
        // Each test opens and reads the file's head: on all cores, results in input order.
        let isOutput = Parallel.mapChunks(count: files.count, minimumChunk: 64) { range in
            range.map { k in
                let file = files[k]
                return file != "-" && ((stdout != nil && fileIdentity(path: file) == stdout) || looksLikeOutput(file))
            }
        }.flatMap { $0 }
        for (file, output) in zip(files, isOutput) {
            if output { outputs.append(file) } else { games.append(file) }
        }
        return (games, outputs)
    }

    /// The first bytes of every document sgn writes, whitespace removed.
    static let outputPrefixes = [
        #"{"certificate":"sgn/"#, #"{"file":"#, #"{"simulation":"sgn-"#, #"{"verification":"sgn-"#,
    ]

    /// Whether the file starts (after whitespace) like one of sgn's own outputs.
    static func looksLikeOutput(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 256) else { return false }
        let compact = String(decoding: head.filter { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }, as: UTF8.self)
        return outputPrefixes.contains { compact.hasPrefix($0) }
    }

    private struct FileIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    private static func fileIdentity(descriptor: Int32) -> FileIdentity? {
        var st = stat()
        guard fstat(descriptor, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    private static func fileIdentity(path: String) -> FileIdentity? {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// A deterministic part of a sweep: `--shard i/n` (1 ≤ i ≤ n).
    public struct Shard: Sendable, Equatable {
        public var index: Int
        public var count: Int

        /// Parses `i/n`, or `slurm`: shard `SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN + 1` of
        /// `SLURM_ARRAY_TASK_COUNT` from the environment of a Slurm job array. Nil when malformed,
        /// out of range or (for `slurm`) when those variables are not set.
        public init?(_ text: String) { self.init(text, environment: ProcessInfo.processInfo.environment) }

        public init?(_ text: String, environment: [String: String]) {
            if text == "slurm" {
                guard let id = environment["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }),
                    let min = environment["SLURM_ARRAY_TASK_MIN"].flatMap({ Int($0) }),
                    let n = environment["SLURM_ARRAY_TASK_COUNT"].flatMap({ Int($0) }),
                    n >= 1, (1...n).contains(id - min + 1)
                else { return nil }
                index = id - min + 1
                count = n
                return
            }
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(i) else {
                return nil
            }
            index = i
            count = n
        }

        /// Whether item k (0-based) of a sorted list belongs to this shard.
        public func contains(_ k: Int) -> Bool { k % count == index - 1 }

        /// The files of this shard: the list is sorted (byte order of the paths), and file k
        /// of the sorted list (k = 0, 1, …) belongs to shard `k mod n + 1`. Every file is in
        /// exactly one shard whatever order the inputs were given in, and shards differ in
        /// size by at most one file.
        public func select(_ files: [String]) -> [String] {
            let sorted = files.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            return sorted.enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
        }
    }

    /// Certifies one file.
    public func run(file: String) -> Item {
        do {
            let game = try GameReader.read(path: file, overrides: overrides)
            return Item(file: file, outcome: .certificate(try certifier.certify(game)))
        } catch let e as InputError {
            return Item(file: file, outcome: .badInput(e))
        } catch {
            return Item(file: file, outcome: .failure("\(file): numerical failure: \(error)"))
        }
    }

    /// Certifies every file, using all cores; results come back in input order, and
    /// `report` is called (serially, in completion order) as each finishes.
    public func run(files: [String], report: @escaping @Sendable (Int) -> Void = { _ in }) -> [Item] {
        let counter = Counter()
        return Parallel.map(count: files.count) { k in
            let item = run(file: files[k])
            report(counter.increment())
            return item
        }
    }

    /// Batch exit code: 2 if any input was bad, else 1 if any game was not certified, else 0.
    public static func exitCode(_ items: [Item]) -> Int32 {
        items.map(\.outcome.exitCode).max() ?? 0
    }
}

private struct Counter: Sendable {
    private let value = Locked(0)
    func increment() -> Int {
        value.withLock { count in
            count += 1
            return count
        }
    }
}
