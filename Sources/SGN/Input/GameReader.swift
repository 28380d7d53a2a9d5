import Foundation

/// Reads a game file (or standard input) into a validated `Game`.
public enum GameReader {
    /// Reads and validates the game in `path` (`-` for standard input): a JSON game, or a
    /// Gambit strategic-form file (content starting with `NFG`, docs/normal-form-games.md) with
    /// its temperature from `overrides` or the sidecar `<path>.json`.
    public static func read(path: String, overrides: GameOverrides = GameOverrides()) throws(InputError) -> any Game {
        let display = path == "-" ? "<stdin>" : path
        Trace.log("read: start")
        let bytes: [UInt8]
        do {
            bytes = try readBytes(path)
        } catch let e as InputError {
            throw e.inFile(display)
        } catch {
            throw InputError(file: display, message: "cannot read the file (\(error.localizedDescription))")
        }
        Trace.log("read: bytes in")
        let stem = path == "-" ? "stdin" : URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        if NormalFormInput.isNFG(bytes, path: path) || NormalFormInput.isEFG(bytes, path: path) {
            return try NormalFormInput.read(
                bytes: bytes, path: path, display: display, name: stem, overrides: overrides)
        }
        do {
            return try decode(
                bytes: bytes, defaultName: stem, overrides: overrides,
                directory: path == "-"
                    ? FileManager.default.currentDirectoryPath
                    : URL(fileURLWithPath: path).deletingLastPathComponent().path)
        } catch {
            throw error.inFile(display)
        }
    }

    /// Parses and validates a game from bytes; errors carry the JSON path but no file name.
    /// `directory` is where sidecar files (`kind: "jacobians"`) are resolved.
    public static func decode(
        bytes: [UInt8], defaultName: String = "game",
        overrides: GameOverrides = GameOverrides(),
        directory: String = FileManager.default.currentDirectoryPath
    ) throws(InputError) -> any Game {
        guard bytes.count <= InputLimits.maxFileBytes else {
            throw InputError(message: "file is \(bytes.count) bytes; the limit is \(InputLimits.maxFileBytes) bytes")
        }
        var value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw InputError(path: error.path.isEmpty ? "(top level)" : error.path, message: error.summary)
        }
        Trace.log("read: parsed")
        defer { if bytes.count >= 1 << 22 { releaseLater(value) } }
        if !overrides.isEmpty, case .object = value, value["kind"] != nil {
            guard value["kind"] == .string("markov") else {
                throw InputError(
                    path: "kind",
                    message:
                        "\(overrides.optionNames) \(overrides.count == 1 ? "applies" : "apply") to Markov games and "
                        + ".nfg/.efg files only"
                )
            }
            value = overrides.applied(to: value)
        }
        let root = JSONNode(value)
        guard case .object = value else { throw root.fail("expected a game object, got \(value.kindName)") }
        let kindNode = JSONNode(value["kind"] ?? .null, path: "kind")
        // `$schema` (any string) lets editors find docs/schema/*-game.schema.json; sgn ignores it.
        if let schema = value["$schema"] { _ = try JSONNode(schema, path: "$schema").string() }
        let known = (["jacobians", "quadratic"] + extraDecoders.keys).sorted().map { "\"\($0)\"" }.joined(
            separator: ", ")
        guard value["kind"] != nil else {
            throw InputError(path: "kind", message: "missing required key \"kind\" (one of \(known))")
        }
        switch try kindNode.string() {
        case "quadratic":
            return try QuadraticGameDecoder.decode(
                try root.object(allowed: QuadraticGameDecoder.topKeys), defaultName: defaultName)
        case "jacobians":
            // Its sidecar files are resolved relative to the game file, so it needs the directory.
            return try JacobianGameDecoder.decode(root, defaultName: defaultName, directory: directory)
        case let other:
            if let decoder = extraDecoders[other] { return try decoder(root, defaultName) }
            throw kindNode.fail("unknown game kind \"\(other)\" (known: \(known))")
        }
    }

    /// Drops a large parsed document on a background thread a moment later: freeing millions
    /// of nodes takes a noticeable fraction of a second that the certification need not wait for.
    private static func releaseLater(_ document: JSONValue) {
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + 0.05) { withExtendedLifetime(document) {} }
    }

    /// Decoders of further game classes, keyed by `kind`.
    static let extraDecoders: [String: @Sendable (JSONNode, String) throws(InputError) -> any Game] = [
        "markov": { (node: JSONNode, name: String) throws(InputError) -> any Game in
            try MarkovGameDecoder.decode(node, defaultName: name)
        },
        "smooth": { (node: JSONNode, name: String) throws(InputError) -> any Game in
            try SmoothGameDecoder.decode(node, defaultName: name)
        },
    ]

    static func readBytes(_ path: String) throws -> [UInt8] {
        if path == "-" { return try readBounded(FileHandle.standardInput) }
        // One stat(2) for existence, kind and size: FileManager's fileExists plus attributesOfItem
        // cost about fifteen system calls per file (owner and group lookups, extended
        // attributes), a measurable part of a batch of small games (docs/benchmarks.md).
        var st = stat()
        guard stat(path, &st) == 0 else { throw InputError(message: "no such file") }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw InputError(message: "is a directory") }
        if (st.st_mode & S_IFMT) == S_IFREG, st.st_size > InputLimits.maxFileBytes {
            throw InputError(message: "file is \(st.st_size) bytes; the limit is \(InputLimits.maxFileBytes) bytes")
        }
        // Read in bounded chunks even after the size check: a device (/dev/zero), a pipe or a
        // file that grows while being read reports no useful size.
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(message: "cannot open the file for reading")
        }
        defer { try? handle.close() }
        return try readBounded(handle)
    }

    /// Reads until end of file, failing as soon as more than `InputLimits.maxFileBytes` arrive.
    private static func readBounded(_ handle: FileHandle) throws -> [UInt8] {
        var data = Data()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            data.append(chunk)
            if data.count > InputLimits.maxFileBytes {
                throw InputError(message: "input exceeds the limit of \(InputLimits.maxFileBytes) bytes")
            }
        }
        return [UInt8](data)
    }
}
