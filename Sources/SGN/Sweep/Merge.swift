import Foundation

/// Joins the NDJSON outputs of shards (`sgn merge`, docs/sweep.md) into the bytes the unsharded
/// run prints: sweep lines ordered by `sweep.index`, certify batch lines by `file` (byte order of
/// the path, the order `--shard` splits in). Lines are copied verbatim; duplicates and lines of
/// neither kind are bad input.
public enum ShardMerge {
    public static func merge(_ inputs: [(source: String, text: String)]) throws(InputError) -> [String] {
        var sweep: [(index: Int, line: String)] = []
        var files: [(file: [UInt8], line: String)] = []
        var seenIndex: [Int: String] = [:]
        var seenFile: [String: String] = [:]
        for (source, text) in inputs {
            for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = String(raw)
                if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
                let where_ = "line \(n + 1)"
                let value: JSONValue
                do { value = try JSONParser.parse(Array(line.utf8)) } catch {
                    throw InputError(file: source, path: where_, message: "not a JSON line (\(error))")
                }
                if case let .object(s)? = value["sweep"], case let .number(x)? = JSONValue.object(s)["index"],
                    x >= 0, x == x.rounded()
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
        }
        guard sweep.isEmpty || files.isEmpty else {
            throw InputError(message: "the inputs mix sweep lines and certify lines; merge the outputs of one run")
        }
        return sweep.sorted { $0.index < $1.index }.map(\.line)
            + files.sorted { $0.file.lexicographicallyPrecedes($1.file) }.map(\.line)
    }
}
