/// Serialises `JSONValue` deterministically: keys in their given order, numbers in the
/// shortest form that reads back to the same double, integers without a fraction.
public enum JSONWriter {
    public static func write(_ v: JSONValue, pretty: Bool = false) -> String {
        var out = ""
        emit(v, pretty: pretty, indent: 0, into: &out)
        return out
    }

    /// A double as JSON text (non-finite values have no JSON form and become `null`).
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return x == 0 ? "0" : String(Int64(x)) }
        return "\(x)"
    }

    private static func emit(_ v: JSONValue, pretty: Bool, indent: Int, into out: inout String) {
        switch v {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .number(x): out += format(x)
        case let .string(s): quote(s, into: &out)
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            let flat = !pretty || items.allSatisfy { if case .array = $0 { return false }; if case .object = $0 { return false }; return true }
            out += "["
            for (k, item) in items.enumerated() {
                if k > 0 { out += flat && pretty ? ", " : "," }
                if !flat { newline(indent + 1, into: &out) }
                emit(item, pretty: pretty, indent: indent + 1, into: &out)
            }
            if !flat { newline(indent, into: &out) }
            out += "]"
        case let .object(pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += "{"
            for (k, pair) in pairs.enumerated() {
                if k > 0 { out += "," }
                if pretty { newline(indent + 1, into: &out) }
                quote(pair.key, into: &out)
                out += pretty ? ": " : ":"
                emit(pair.value, pretty: pretty, indent: indent + 1, into: &out)
            }
            if pretty { newline(indent, into: &out) }
            out += "}"
        }
    }

    private static func newline(_ indent: Int, into out: inout String) {
        out += "\n"
        out += String(repeating: "  ", count: indent)
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        out += "\""
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
