/// Serialises `JSONValue` deterministically: keys in their given order, numbers in the
/// shortest form that reads back to the same double, integers without a fraction.
public enum JSONWriter {
    public static func write(_ v: JSONValue, pretty: Bool = false) -> String {
        var out: [UInt8] = []
        emit(v, pretty: pretty, indent: 0, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A double as JSON text (non-finite values have no JSON form and become `null`).
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return x == 0 ? "0" : String(Int64(x)) }
        return "\(x)"
    }

    // Output is built as UTF-8 bytes: appending to a String character by character dominated
    // the writing of large certificates.
    private static func emit(_ v: JSONValue, pretty: Bool, indent: Int, into out: inout [UInt8]) {
        switch v {
        case .null: out += "null".utf8
        case let .bool(b): out += (b ? "true" : "false").utf8
        case let .number(x): out += format(x).utf8
        case let .string(s): quote(s, into: &out)
        case let .array(items):
            if items.isEmpty {
                out += "[]".utf8
                return
            }
            let flat =
                !pretty
                || items.allSatisfy {
                    if case .array = $0 { return false }
                    if case .object = $0 { return false }
                    return true
                }
            out.append(UInt8(ascii: "["))
            members(items.count, into: &out) { k, out in
                if k > 0 { out += (flat && pretty ? ", " : ",").utf8 }
                if !flat { newline(indent + 1, into: &out) }
                emit(items[k], pretty: pretty, indent: indent + 1, into: &out)
            }
            if !flat { newline(indent, into: &out) }
            out.append(UInt8(ascii: "]"))
        case let .object(pairs):
            if pairs.isEmpty {
                out += "{}".utf8
                return
            }
            out.append(UInt8(ascii: "{"))
            members(pairs.count, into: &out) { k, out in
                if k > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { newline(indent + 1, into: &out) }
                quote(pairs[k].key, into: &out)
                out += (pretty ? ": " : ":").utf8
                emit(pairs[k].value, pretty: pretty, indent: indent + 1, into: &out)
            }
            if pretty { newline(indent, into: &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Members of a large array or object are serialised in chunks on all cores and joined in
    /// order (the text is the same as serially).
    private static func members(
        _ count: Int, into out: inout [UInt8],
        _ emitMember: @Sendable (Int, inout [UInt8]) -> Void
    ) {
        guard count >= 4096 else {
            for k in 0..<count { emitMember(k, &out) }
            return
        }
        let chunks = Parallel.mapChunks(count: count, minimumChunk: 2048) { range -> [UInt8] in
            var part: [UInt8] = []
            for k in range { emitMember(k, &part) }
            return part
        }
        for part in chunks { out += part }
    }

    private static func newline(_ indent: Int, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        out += repeatElement(UInt8(ascii: " "), count: 2 * indent)
    }

    static func quote(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        quote(s, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    static func quote(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        let utf8 = s.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out += utf8
        } else {
            for b in utf8 {
                switch b {
                case UInt8(ascii: "\""): out += "\\\"".utf8
                case UInt8(ascii: "\\"): out += "\\\\".utf8
                case UInt8(ascii: "\n"): out += "\\n".utf8
                case UInt8(ascii: "\r"): out += "\\r".utf8
                case UInt8(ascii: "\t"): out += "\\t".utf8
                case _ where b < 0x20:
                    let hex = String(b, radix: 16)
                    out += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
                default: out.append(b)
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// A number, or `null` when absent or not finite.
    public static func number(_ x: Double?) -> JSONValue {
        guard let x, x.isFinite else { return .null }
        return .number(x)
    }

    public static func string(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }

    public static func numbers(_ xs: [Double]) -> JSONValue { .array(xs.map { .number($0) }) }
}
