/// A strict RFC 8259 JSON parser over raw bytes.
///
/// Strict where a certifier must be: no NaN/Infinity tokens, numbers that overflow a Double
/// (`1e999`) are errors rather than infinities, duplicate object keys are errors, strings must
/// be valid UTF-8, nesting is limited to `maxDepth`. Errors carry line, column and the JSON path
/// of the value being read (`players[1].hessian[0]`), so a truncated or corrupted file says where.
public struct JSONParser: Sendable {
    public static let maxDepth = Limits.jsonDepth

    public struct SyntaxError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public let line: Int
        public let column: Int
        /// JSON path of the innermost value being read; empty at the top level.
        public let path: String
        /// The input does not start with a JSON value at all (empty, or text of another kind):
        /// reported as "not JSON" rather than as a syntax error inside a JSON document.
        public var notJSON = false
        public var description: String { "line \(line), column \(column): \(message)" }
        /// `invalid JSON at line L, column C: …`, or `not JSON at …` when the input is no JSON at
        /// all: the one wording every reader of JSON files (games, sidecars, certificates) uses.
        public var summary: String { "\(notJSON ? "not JSON" : "invalid JSON") at \(description)" }
    }

    private enum Step {
        case key(String)
        case index(Int)
    }

    /// Documents from this size on parse the members of their `players` array on all cores.
    static let parallelThreshold = Limits.parallelParseBytes

    private let bytes: [UInt8]
    private var i = 0
    private var depth = 0
    private var parallel = true
    /// Where the parser is, for error messages only (rendered when an error is thrown).
    private var trail: [Step] = []

    /// - Parameter parallel: allow the parallel parse of a large `players` array (the result,
    ///   and any error, are the same either way; tests compare the two).
    public static func parse(_ bytes: [UInt8], parallel: Bool = true) throws(SyntaxError) -> JSONValue {
        var p = JSONParser(bytes: bytes)
        p.parallel = parallel
        // A UTF-8 byte-order mark is tolerated, as most JSON tools do.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { p.i = 3 }
        p.skipSpace()
        if let problem = p.notAJSONValue() {
            var e = p.error(problem)
            e.notJSON = true
            throw e
        }
        let v = try p.value()
        p.skipSpace()
        if p.i < bytes.count {
            // A second document (`{` or `[` after the first): several NDJSON lines, or files joined.
            if bytes[p.i] == UInt8(ascii: "{") || bytes[p.i] == UInt8(ascii: "[") {
                throw p.error(
                    "a second JSON document starts here; one document is expected (an NDJSON file of several lines "
                        + "holds several: give one line)")
            }
            throw p.error("unexpected \(p.describeByte()) after the end of the document")
        }
        return v
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    /// Why the input at the cursor (the start of the document) cannot begin any JSON value, or
    /// nil when it can: an empty input, or text of another kind (a comment, a word, `NaN`, HTML).
    private func notAJSONValue() -> String? {
        guard i < bytes.count else { return "the input is empty (or only white space): no JSON value" }
        let b = bytes[i]
        let word: String? =
            b == UInt8(ascii: "t") ? "true" : b == UInt8(ascii: "f") ? "false" : b == UInt8(ascii: "n") ? "null" : nil
        if let word {
            if bytes[i...].starts(with: Array(word.utf8)) { return nil }
        } else if Array("{[\"-0123456789".utf8).contains(b) {
            return nil
        }
        if bytes[i...].starts(with: [0xFF, 0xFE]) || bytes[i...].starts(with: [0xFE, 0xFF]) {
            return "the input starts with a UTF-16 byte-order mark; JSON must be UTF-8 (save the file as UTF-8)"
        }
        guard b >= 0x20 && b < 0x7F else {
            return "the input starts with \(describeByte()), which begins no JSON value"
        }
        let line = bytes[i...].prefix { $0 != 0x0A && $0 != 0x0D }
        var excerpt = String(decoding: line.prefix(24), as: UTF8.self)
        excerpt = String(excerpt.unicodeScalars.map { $0.value < 0x20 || $0 == "\u{FFFD}" ? "?" : Character($0) })
        if line.count > 24 { excerpt += "…" }
        let nonFinite = spellsNonFinite() || b == UInt8(ascii: "N") || b == UInt8(ascii: "I")
        return "the input starts with '\(excerpt)', which begins no JSON value"
            + (nonFinite ? " (NaN and Infinity are not JSON numbers; every number must be finite)" : "")
    }

    private func error(_ message: String, at position: Int? = nil) -> SyntaxError {
        let pos = min(position ?? i, bytes.count)
        var line = 1
        var col = 1
        for k in 0..<pos {
            if bytes[k] == 0x0A {
                line += 1
                col = 1
            } else {
                col += 1
            }
        }
        var node = JSONNode(.null)
        for step in trail {
            switch step {
            case let .key(k): node = node.child(k, .null)
            case let .index(n): node = node.element(n, .null)
            }
        }
        var path = node.path
        if path.count > 160 { path = String(path.prefix(100)) + "…" + String(path.suffix(50)) }
        return SyntaxError(message: message, line: line, column: col, path: path)
    }

    private func describeByte() -> String {
        guard i < bytes.count else { return "end of file" }
        let b = bytes[i]
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16, uppercase: true))"
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x0A, 0x0D, 0x09: i += 1
            default: return
            }
        }
    }

    private mutating func value() throws(SyntaxError) -> JSONValue {
        guard i < bytes.count else { throw error("unexpected end of file: the JSON is truncated") }
        switch bytes[i] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "i"), UInt8(ascii: "n"):
            if spellsNonFinite() { throw error("NaN and Infinity are not JSON numbers; every number must be finite") }
            if bytes[i] == UInt8(ascii: "i") { throw error("unexpected 'i' where a value was expected") }
            try literal("null")
            return .null
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            throw error("NaN and Infinity are not JSON numbers; every number must be finite")
        default: throw error("unexpected \(describeByte()) where a value was expected")
        }
    }

    /// Whether the bytes at the cursor spell `nan` or `inf` in any case (not JSON; named in the error).
    private func spellsNonFinite() -> Bool {
        guard i + 3 <= bytes.count else { return false }
        let w = String(decoding: bytes[i..<(i + 3)], as: UTF8.self).lowercased()
        return w == "nan" || w == "inf"
    }

    private mutating func literal(_ word: String) throws(SyntaxError) {
        let w = Array(word.utf8)
        let n = w.count
        guard i + n <= bytes.count, bytes[i..<(i + n)].elementsEqual(w) else {
            throw error("invalid literal (expected \(word))")
        }
        i += n
    }

    private mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > JSONParser.maxDepth { throw error("nesting deeper than \(JSONParser.maxDepth) levels") }
    }

    private mutating func object() throws(SyntaxError) -> JSONValue {
        try enter()
        i += 1
        var pairs: [(key: String, value: JSONValue)] = []
        var seen = Set<String>()
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            return .object(pairs)
        }
        while true {
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of file inside an object: the JSON is truncated") }
            guard bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key, found \(describeByte())") }
            let keyStart = i
            let key = try string()
            // Small objects (every object of a game file but the player maps) are checked by a
            // scan, which is cheaper than hashing every key.
            let duplicate: Bool
            if pairs.count < 16 {
                duplicate = pairs.contains { $0.key == key }
            } else {
                if seen.isEmpty { for p in pairs { seen.insert(p.key) } }
                duplicate = !seen.insert(key).inserted
            }
            if duplicate { throw error("duplicate key \"\(key)\"", at: keyStart) }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                throw error("expected ':' after key \"\(key)\", found \(describeByte())")
            }
            i += 1
            skipSpace()
            trail.append(.key(key))
            if parallel && depth == 1 && key == "players" && bytes.count - i >= JSONParser.parallelThreshold,
                let items = try parallelArray()
            {
                pairs.append((key, items))
            } else {
                pairs.append((key, try value()))
            }
            trail.removeLast()
            skipSpace()
            guard i < bytes.count else { throw error("unexpected end of file inside an object: the JSON is truncated") }
            if bytes[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if bytes[i] == UInt8(ascii: "}") {
                i += 1
                break
            }
            throw error("expected ',' or '}' in an object, found \(describeByte())")
        }
        depth -= 1
        return .object(pairs)
    }

    private mutating func array() throws(SyntaxError) -> JSONValue {
        try enter()
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            return .array(items)
        }
        while true {
            let (item, separator) = try element(items.count)
            items.append(item)
            if separator == UInt8(ascii: ",") {
                i += 1
                continue
            }
            if separator == UInt8(ascii: "]") {
                i += 1
                break
            }
            throw error("expected ',' or ']' in an array, found \(describeByte())")
        }
        depth -= 1
        return .array(items)
    }

    /// Array element `index` at the cursor, and the byte after it (not consumed).
    private mutating func element(_ index: Int) throws(SyntaxError) -> (JSONValue, UInt8) {
        skipSpace()
        trail.append(.index(index))
        let item = try value()
        trail.removeLast()
        skipSpace()
        guard i < bytes.count else { throw error("unexpected end of file inside an array: the JSON is truncated") }
        return (item, bytes[i])
    }

    /// The array at the cursor, its elements parsed in chunks on all cores, or nil (cursor
    /// unmoved) when it is small or its extent cannot be found by a bracket scan (then the
    /// serial parser runs and reports whatever is wrong).
    ///
    /// A scan that tracks strings and bracket depth finds where each top-level element starts;
    /// chunks of elements are parsed by independent parsers that apply exactly the serial
    /// checks. The first chunk that fails is the one holding the first error in document order
    /// (every earlier chunk parsed, so the scan was right up to it), so errors are the serial
    /// parser's errors.
    private mutating func parallelArray() throws(SyntaxError) -> JSONValue? {
        guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { return nil }
        var starts: [Int] = []
        var k = i + 1
        var level = 0
        var inString = false
        var end = -1
        starts.append(k)
        scan: while k < bytes.count {
            let b = bytes[k]
            if inString {
                if b == UInt8(ascii: "\\") {
                    k += 2
                    continue
                }
                if b == UInt8(ascii: "\"") { inString = false }
            } else {
                switch b {
                case UInt8(ascii: "\""): inString = true
                case UInt8(ascii: "["), UInt8(ascii: "{"): level += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    if level == 0 {
                        end = k
                        break scan
                    }
                    level -= 1
                case UInt8(ascii: ","): if level == 0 { starts.append(k + 1) }
                default: break
                }
            }
            k += 1
        }
        guard end >= 0, bytes[end] == UInt8(ascii: "]"), starts.count >= 8192,
            depth + 1 <= JSONParser.maxDepth
        else { return nil }
        Trace.log("parse: players scanned (\(starts.count) elements)")
        let base = self
        let elementStarts = starts
        let chunks = Parallel.mapChunks(count: starts.count, minimumChunk: 4096) {
            range -> Result<[JSONValue], SyntaxError> in
            var p = base
            p.depth += 1
            p.i = elementStarts[range.lowerBound]
            var items: [JSONValue] = []
            items.reserveCapacity(range.count)
            do throws(SyntaxError) {
                for n in range {
                    let (item, separator) = try p.element(n)
                    items.append(item)
                    let last = n == elementStarts.count - 1
                    if separator == UInt8(ascii: ",") && !last {
                        p.i += 1
                        continue
                    }
                    if separator == UInt8(ascii: "]") && last {
                        p.i += 1
                        continue
                    }
                    throw p.error("expected ',' or ']' in an array, found \(p.describeByte())")
                }
            } catch {
                return .failure(error)
            }
            return .success(items)
        }
        var items: [JSONValue] = []
        items.reserveCapacity(starts.count)
        for chunk in chunks { items += try chunk.get() }
        i = end + 1
        Trace.log("parse: players parsed")
        return .array(items)
    }

    private mutating func string() throws(SyntaxError) -> String {
        let start = i
        i += 1
        var plainStart = i
        var out: [UInt8] = []
        var escaped = false
        var ascii = true
        while true {
            guard i < bytes.count else { throw error("unterminated string", at: start) }
            let b = bytes[i]
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { throw error("control character in a string (escape it)") }
            if b >= 0x80 { ascii = false }
            if b != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            if !escaped { escaped = true }
            out.append(contentsOf: bytes[plainStart..<i])
            i += 1
            guard i < bytes.count else { throw error("unterminated string", at: start) }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired UTF-16 surrogate in a \\u escape")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("invalid UTF-16 surrogate pair") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("unpaired UTF-16 surrogate in a \\u escape")
                }
                guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default: throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string")
            }
            plainStart = i
        }
        let slice: ArraySlice<UInt8>
        if escaped {
            out.append(contentsOf: bytes[plainStart..<i])
            slice = out[...]
        } else {
            slice = bytes[(start + 1)..<i]
        }
        i += 1
        // ASCII needs no validation (and the validating initialiser is the slow, generic one).
        if ascii { return String(decoding: slice, as: UTF8.self) }
        guard let s = String(validating: slice, as: UTF8.self) else {
            throw error("string is not valid UTF-8", at: start)
        }
        return s
    }

    /// Exact powers of ten (every one up to 1e22 is a double).
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
        1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Clinger's fast path for the already validated number in `bytes[start..<end]`: with at
    /// most 15 significant digits the digits form an exact double m, and for a decimal exponent
    /// |e| ≤ 22 so is 10^|e|, so one IEEE multiplication or division gives the correctly rounded
    /// value — the same double `Double(String)` returns. Nil when the number is outside the
    /// fast path (then the general conversion runs).
    private func exactFastPath(start: Int, end: Int) -> Double? {
        var k = start
        let negative = bytes[k] == UInt8(ascii: "-")
        if negative { k += 1 }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var seenNonZero = false
        var inFraction = false
        while k < end {
            let b = bytes[k]
            if b == UInt8(ascii: ".") {
                inFraction = true
                k += 1
                continue
            }
            if b == UInt8(ascii: "e") || b == UInt8(ascii: "E") { break }
            let d = UInt64(b &- UInt8(ascii: "0"))
            if inFraction { exponent -= 1 }
            if d != 0 || seenNonZero {
                seenNonZero = true
                significant += 1
                if significant > 15 { return nil }
                mantissa = mantissa * 10 + d
            }
            k += 1
        }
        if k < end {
            // Exponent part: e[+-]digits.
            k += 1
            var expNegative = false
            if bytes[k] == UInt8(ascii: "+") || bytes[k] == UInt8(ascii: "-") {
                expNegative = bytes[k] == UInt8(ascii: "-")
                k += 1
            }
            var e = 0
            while k < end {
                e = e * 10 + Int(bytes[k] &- UInt8(ascii: "0"))
                if e > 400 { return nil }
                k += 1
            }
            exponent += expNegative ? -e : e
        }
        var v = Double(mantissa)
        if mantissa != 0 {
            guard abs(exponent) <= 22 else { return nil }
            v = exponent >= 0 ? v * JSONParser.powersOfTen[exponent] : v / JSONParser.powersOfTen[-exponent]
        }
        return negative ? -v : v
    }

    private mutating func hex4() throws(SyntaxError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    private mutating func number() throws(SyntaxError) -> Double {
        let start = i
        func digits() -> Int {
            let s = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - s
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count else { throw error("truncated number", at: start) }
        if bytes[i] == UInt8(ascii: "I") || bytes[i] == UInt8(ascii: "N")
            || ((bytes[i] == UInt8(ascii: "i") || bytes[i] == UInt8(ascii: "n")) && spellsNonFinite())
        {
            throw error("NaN and Infinity are not JSON numbers; every number must be finite", at: start)
        }
        let intStart = i
        let nInt = digits()
        if nInt == 0 { throw error("invalid number", at: start) }
        if nInt > 1 && bytes[intStart] == UInt8(ascii: "0") {
            throw error("leading zeros are not allowed in JSON numbers", at: start)
        }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            if digits() == 0 { throw error("invalid number: digits expected after '.'", at: start) }
        }
        let mantissaEnd = i
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            if digits() == 0 { throw error("invalid number: digits expected in the exponent", at: start) }
        }
        if let v = exactFastPath(start: start, end: i) { return v }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        guard let v = Double(text) else { throw error("invalid number \(text)", at: start) }
        guard v.isFinite else { throw error("number \(text) is out of range for a double", at: start) }
        // A non-zero literal that underflows to 0 (1e-400) would be read as exactly 0, silently.
        if v == 0, bytes[start..<mantissaEnd].contains(where: { $0 >= UInt8(ascii: "1") && $0 <= UInt8(ascii: "9") }) {
            throw error("number \(text) is too small for a double: it is not 0 but would be read as 0", at: start)
        }
        return v
    }
}
