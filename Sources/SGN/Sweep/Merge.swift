import Foundation

/// Joins the NDJSON outputs of shards (`sgn merge`, docs/sweep.md) into the bytes the unsharded
/// run prints: sweep lines ordered by `sweep.index`, certify batch lines by `file` (byte order of
/// the path, the order `--shard` splits in). Lines are copied verbatim; duplicates and lines of
/// neither kind are bad input.
///
/// A sharded run ends its output with a trailer line, `{"shard": {"index": i, "count": n,
/// "lines": k}}` (`trailer`), which the merge consumes: the set of shards must be complete (every
/// i of 1…n, one n) and every output whole (k lines before its trailer, nothing after it), so a
/// shard that is missing, still running or was killed is named instead of silently leaving lines
/// out. `allowPartial` turns those completeness problems into notes.
public enum ShardMerge {
    /// The last line of shard `index` of `count` that printed `lines` lines.
    public static func trailer(index: Int, count: Int, lines: Int) -> String {
        JSONWriter.write(
            .object([
                (
                    "shard",
                    .object([
                        ("index", .number(Double(index))), ("count", .number(Double(count))),
                        ("lines", .number(Double(lines))),
                    ])
                )
            ]))
    }

    /// A shard trailer read back: nil when `value` is not one (no `shard` key); bad input when
    /// it has the key but not exactly the three whole numbers with 1 ≤ index ≤ count.
    static func readTrailer(_ value: JSONValue, source: String, at place: String) throws(InputError) -> (
        index: Int, count: Int, lines: Int
    )? {
        guard let shard = value["shard"] else { return nil }
        func whole(_ key: String) -> Int? {
            guard case let .number(x)? = shard[key], x >= 0, x == x.rounded(), x < 1e15 else { return nil }
            return Int(x)
        }
        guard case let .object(pairs) = value, pairs.count == 1, case let .object(keys) = shard, keys.count == 3,
            let i = whole("index"), let n = whole("count"), let k = whole("lines"), i >= 1, i <= n
        else {
            throw InputError(
                file: source, path: place,
                message:
                    "expected a shard trailer {\"shard\": {\"index\": i, \"count\": n, \"lines\": k}} with 1 <= i <= n")
        }
        return (i, n, k)
    }

    public static func merge(
        _ inputs: [(source: String, text: String)], allowPartial: Bool = false, note: (String) -> Void = { _ in }
    ) throws(InputError) -> [String] {
        var sweep: [(index: Int, line: String)] = []
        var files: [(file: [UInt8], line: String)] = []
        var seenIndex: [Int: String] = [:]
        var seenFile: [String: String] = [:]
        var shards: [Int: String] = [:]
        var shardCount: (count: Int, source: String)?
        var problems: [String] = []
        for (source, text) in inputs {
            var pending = 0
            var trailers = 0
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = String(raw)
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                let where_ = "line \(n + 1)"
                let value: JSONValue
                do { value = try JSONParser.parse(Array(line.utf8)) } catch {
                    throw InputError(file: source, path: where_, message: "not a JSON line (\(error))")
                }
                if let t = try readTrailer(value, source: source, at: where_) {
                    if let c = shardCount, c.count != t.count {
                        throw InputError(
                            file: source, path: where_,
                            message: "shard \(t.index)/\(t.count) is of another split than \(c.source) (of \(c.count))")
                    }
                    shardCount = shardCount ?? (t.count, source)
                    if let other = shards[t.index] {
                        throw InputError(
                            file: source, path: where_, message: "shard \(t.index)/\(t.count) also appears in \(other)")
                    }
                    shards[t.index] = source
                    trailers += 1
                    if pending != t.lines {
                        problems.append(
                            """
                            \(source): \(where_): shard \(t.index)/\(t.count) printed \(counted(t.lines, "line")), but \
                            \(pending) precede its trailer: the output is not that shard's whole output
                            """
                        )
                    }
                    pending = 0
                    continue
                }
                pending += 1
                // An index beyond any grid (the grid has at most a million values) is no sweep
                // line; 1e300 trapped converting to Int.
                if case let .object(s)? = value["sweep"], case let .number(x)? = JSONValue.object(s)["index"],
                    x >= 0, x == x.rounded(), x < 1e15
                {
                    let k = Int(x)
                    if let other = seenIndex[k] {
                        throw InputError(
                            file: source, path: where_, message: "sweep index \(k) also appears in \(other)")
                    }
                    seenIndex[k] = source
                    sweep.append((k, line))
                } else if case let .string(f)? = value["file"] {
                    if let other = seenFile[f] {
                        throw InputError(file: source, path: where_, message: "file \"\(f)\" also appears in \(other)")
                    }
                    seenFile[f] = source
                    files.append((Array(f.utf8), line))
                } else if value["boundary"] != nil {
                    throw InputError(
                        file: source, path: where_,
                        message: "a boundary line: --boundary runs unsharded, so there is nothing to merge")
                } else {
                    throw InputError(
                        file: source, path: where_,
                        message: "expected a sweep line (key \"sweep\") or a batch certify line (key \"file\")")
                }
            }
            if pending == 0 && trailers == 0 {
                // Every finished shard prints its trailer, an empty shard too.
                problems.append(
                    """
                    \(source): no shard trailer and no lines: the output of a shard that did not finish (or not a \
                    shard output)
                    """
                )
            } else if pending > 0 {
                problems.append(
                    """
                    \(source): \(pending == 1 ? "its last line has" : "its last \(pending) lines have") no shard \
                    trailer: the output of a shard that did not finish (or of an unsharded run, or of sgn before shard \
                    trailers)
                    """
                )
            }
        }
        guard sweep.isEmpty || files.isEmpty else {
            throw InputError(message: "the inputs mix sweep lines and certify lines; merge the outputs of one run")
        }
        if let c = shardCount {
            let missing = (1...c.count).filter { shards[$0] == nil }
            if !missing.isEmpty {
                let names = missing.prefix(20).map { "\($0)/\(c.count)" }.joined(separator: ", ")
                problems.insert(
                    "missing \(missing.count == 1 ? "shard" : "shards") \(names)\(missing.count > 20 ? ", …" : "") "
                        + "(\(missing.count) of \(c.count)): their outputs were not given", at: 0)
            }
        }
        if !problems.isEmpty {
            if !allowPartial {
                throw InputError(
                    message: "incomplete set of shards: " + problems.joined(separator: "; ")
                        + "; merge every shard's whole output, or pass --allow-partial")
            }
            for p in problems { note("incomplete set of shards: \(p)") }
        }
        return sweep.sorted { $0.index < $1.index }.map(\.line)
            + files.sorted { $0.file.lexicographicallyPrecedes($1.file) }.map(\.line)
    }
}
