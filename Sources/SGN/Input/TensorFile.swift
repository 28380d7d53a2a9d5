import Foundation

/// Readers for the two sidecar tensor formats a `kind: "jacobians"` game may name
/// (docs/jacobian-games.md): NumPy `.npy` (format versions 1, 2 and 3; little-endian `f8`/`f4`;
/// C order) and `.safetensors` (8-byte little-endian header length, JSON header, `F64`/`F32`
/// tensors). No dependency: both formats are a short header followed by raw numbers. Every size
/// is checked against the file's length and `InputLimits.maxFileBytes` before any allocation.
/// Errors are `InputError`s whose message names the file (and the tensor, for safetensors).
public enum TensorFile {
    public struct Tensor: Sendable {
        public var shape: [Int]
        public var values: [Double]
    }

    /// Reads the tensor in `path` (`tensor` names it inside a `.safetensors` file; a `.npy` file
    /// holds exactly one). `display` is how errors name the file.
    public static func read(path: String, tensor: String?, display: String) throws(InputError) -> Tensor {
        let bytes: [UInt8]
        do {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
                throw InputError(message: "sidecar file \(display): no such file")
            }
            guard !isDir.boolValue else {
                throw InputError(
                    message: "sidecar file \(display) is a directory; expected a .npy or .safetensors file")
            }
            let attrs = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attrs[.size] as? Int, size > InputLimits.maxFileBytes {
                throw InputError(
                    message: "sidecar file \(display) is \(size) bytes; the limit is \(InputLimits.maxFileBytes) bytes")
            }
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let e as InputError {
            throw e
        } catch {
            throw InputError(message: "sidecar file \(display): cannot read it (\(error.localizedDescription))")
        }
        guard bytes.count <= InputLimits.maxFileBytes else {
            throw InputError(message: "sidecar file \(display) exceeds the limit of \(InputLimits.maxFileBytes) bytes")
        }
        if path.lowercased().hasSuffix(".npy") {
            if tensor != nil {
                throw InputError(
                    message:
                        "sidecar file \(display): a .npy file holds one array; \"tensor\" applies to .safetensors only")
            }
            return try npy(bytes, display: display)
        }
        if path.lowercased().hasSuffix(".safetensors") {
            guard let tensor else {
                throw InputError(
                    message:
                        "sidecar file \(display): a .safetensors file needs \"tensor\", the name of the tensor to read")
            }
            return try safetensors(bytes, tensor: tensor, display: display)
        }
        throw InputError(message: "sidecar file \(display): expected a .npy or .safetensors file")
    }

    // MARK: .npy

    static func npy(_ b: [UInt8], display: String) throws(InputError) -> Tensor {
        func fail(_ m: String) -> InputError { InputError(message: "sidecar file \(display): \(m)") }
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard b.count >= 10, Array(b[0..<6]) == magic else {
            throw fail("not a .npy file (missing the \\x93NUMPY magic)")
        }
        let major = b[6]
        let headerLength: Int
        let start: Int
        switch major {
        case 1:
            headerLength = Int(b[8]) | Int(b[9]) << 8
            start = 10
        case 2, 3:
            guard b.count >= 12 else { throw fail("truncated header") }
            headerLength = Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24
            start = 12
        default:
            throw fail("unsupported .npy format version \(major) (1, 2 and 3 are read)")
        }
        guard headerLength <= b.count - start else { throw fail("truncated header (\(headerLength) bytes declared)") }
        guard let header = String(bytes: b[start..<(start + headerLength)], encoding: major == 3 ? .utf8 : .isoLatin1)
        else {
            throw fail("header is not text")
        }
        let fields = try headerFields(header, fail: fail)
        guard let descr = fields["descr"] else { throw fail("header has no 'descr'") }
        guard let order = fields["fortran_order"] else { throw fail("header has no 'fortran_order'") }
        guard let shapeText = fields["shape"] else { throw fail("header has no 'shape'") }
        let dtype = descr.trimmingCharacters(in: CharacterSet(charactersIn: "'\" "))
        let itemSize: Int
        switch dtype {
        case "<f8": itemSize = 8
        case "<f4": itemSize = 4
        case ">f8", ">f4":
            throw fail("big-endian dtype '\(dtype)'; save little-endian float64 or float32 (e.g. arr.astype('<f8'))")
        case "|O", "O", "<O":
            throw fail("object dtype: save a numeric float64 or float32 array (allow_pickle is never used)")
        default: throw fail("dtype '\(dtype)'; expected little-endian float64 ('<f8') or float32 ('<f4')")
        }
        switch order.trimmingCharacters(in: .whitespaces) {
        case "False": break
        case "True": throw fail("Fortran-order array; save a C-order array (np.ascontiguousarray)")
        default: throw fail("unreadable 'fortran_order' value \(order)")
        }
        guard shapeText.hasPrefix("("), shapeText.hasSuffix(")") else { throw fail("unreadable shape \(shapeText)") }
        let inner = shapeText.dropFirst().dropLast()
        var shape: [Int] = []
        for part in inner.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            guard let d = Int(t), d >= 0 else { throw fail("unreadable shape \(shapeText)") }
            shape.append(d)
        }
        let dataStart = start + headerLength
        return Tensor(
            shape: shape,
            values: try decodeFloats(
                b, from: dataStart, to: b.count, shape: shape, itemSize: itemSize,
                exact: false, fail: fail))
    }

    /// The keys of a .npy header, a Python dictionary literal `{'descr': '<f8', 'fortran_order':
    /// False, 'shape': (2, 2), }`, with the text of each value. Like numpy, the header must be one
    /// dictionary with exactly the keys `descr`, `fortran_order` and `shape`: a repeated key is
    /// bad input naming it (Python would keep the last, an earlier reader here the first), and so
    /// is any other key.
    static func headerFields(_ header: String, fail: (String) -> InputError) throws(InputError) -> [String: String] {
        let text = header.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("{"), text.hasSuffix("}") else { throw fail("header is not a dictionary {...}") }
        // Split the inside at top-level commas (outside brackets and quotes).
        var entries: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for ch in text.dropFirst().dropLast() {
            if let q = quote {
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch
            } else if ch == "(" || ch == "[" || ch == "{" {
                depth += 1
            } else if ch == ")" || ch == "]" || ch == "}" {
                depth -= 1
            } else if ch == ",", depth == 0 {
                entries.append(current)
                current = ""
                continue
            }
            current.append(ch)
        }
        guard quote == nil, depth == 0 else { throw fail("header is not a dictionary (unbalanced quotes or brackets)") }
        entries.append(current)
        var fields: [String: String] = [:]
        for entry in entries.map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !entry.isEmpty {
            guard let colon = entry.firstIndex(of: ":") else { throw fail("header entry \(entry) has no ':'") }
            let rawKey = entry[..<colon].trimmingCharacters(in: .whitespaces)
            let key = rawKey.trimmingCharacters(in: CharacterSet(charactersIn: "'\""))
            guard rawKey.count == key.count + 2, rawKey.first == rawKey.last,
                rawKey.first == "'" || rawKey.first == "\""
            else {
                throw fail("header key \(rawKey) is not a quoted string")
            }
            guard ["descr", "fortran_order", "shape"].contains(key) else {
                throw fail(
                    "header has the key '\(key)'; a .npy header has exactly 'descr', 'fortran_order' and 'shape'")
            }
            guard fields[key] == nil else { throw fail("header repeats the key '\(key)'") }
            fields[key] = entry[entry.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return fields
    }

    // MARK: .safetensors

    static func safetensors(_ b: [UInt8], tensor: String, display: String) throws(InputError) -> Tensor {
        func fail(_ m: String) -> InputError {
            InputError(message: "sidecar file \(display): tensor \"\(tensor)\": \(m)")
        }
        guard b.count >= 8 else {
            throw InputError(
                message: "sidecar file \(display): not a .safetensors file (shorter than its 8-byte header length)")
        }
        var n: UInt64 = 0
        for k in 0..<8 { n |= UInt64(b[k]) << (8 * UInt64(k)) }
        guard n <= UInt64(b.count - 8) else {
            throw InputError(message: "sidecar file \(display): header length \(n) exceeds the file")
        }
        let headerEnd = 8 + Int(n)
        let header: JSONValue
        do { header = try JSONParser.parse(Array(b[8..<headerEnd])) } catch {
            throw InputError(message: "sidecar file \(display): header is not valid JSON (\(error))")
        }
        guard case .object = header else {
            throw InputError(message: "sidecar file \(display): header is not a JSON object")
        }
        guard let entry = header[tensor] else {
            let names: [String]
            if case let .object(pairs) = header {
                names = pairs.map(\.key).filter { $0 != "__metadata__" }
            } else {
                names = []
            }
            throw fail("no such tensor (the file has: \(names.map { "\"\($0)\"" }.joined(separator: ", ")))")
        }
        guard case let .string(dtype)? = entry["dtype"] else { throw fail("missing \"dtype\"") }
        let itemSize: Int
        switch dtype {
        case "F64": itemSize = 8
        case "F32": itemSize = 4
        default: throw fail("dtype \(dtype); expected F64 or F32")
        }
        guard case let .array(shapeItems)? = entry["shape"] else { throw fail("missing \"shape\"") }
        var shape: [Int] = []
        for item in shapeItems {
            guard case let .number(x) = item, x >= 0, x == x.rounded(), x < 1e15 else { throw fail("unreadable shape") }
            shape.append(Int(x))
        }
        guard case let .array(offsets)? = entry["data_offsets"], offsets.count == 2,
            case let .number(lo) = offsets[0], case let .number(hi) = offsets[1],
            lo >= 0, hi >= lo, lo == lo.rounded(), hi == hi.rounded(), hi <= Double(b.count - headerEnd)
        else {
            throw fail("\"data_offsets\" missing or outside the file")
        }
        return Tensor(
            shape: shape,
            values: try decodeFloats(
                b, from: headerEnd + Int(lo), to: headerEnd + Int(hi), shape: shape,
                itemSize: itemSize, exact: true, fail: fail))
    }

    // MARK: shared

    /// Little-endian floats of `shape` from `b[from..<to]`, sizes checked before allocating;
    /// `exact` requires the byte range to hold exactly that many (safetensors), otherwise at
    /// least (npy). Non-finite values are errors naming their flat index.
    static func decodeFloats(
        _ b: [UInt8], from: Int, to: Int, shape: [Int], itemSize: Int, exact: Bool,
        fail: (String) -> InputError
    ) throws(InputError) -> [Double] {
        var count = 1
        for d in shape {
            let (p, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, p <= InputLimits.maxFileBytes else { throw fail("shape \(shape) is too large") }
            count = p
        }
        let available = to - from
        guard count * itemSize <= available, !exact || count * itemSize == available else {
            throw fail("shape \(shape) needs \(count * itemSize) bytes of data, the file has \(available)")
        }
        var values = [Double](repeating: 0, count: count)
        for k in 0..<count {
            let o = from + k * itemSize
            let x: Double
            if itemSize == 8 {
                var bits: UInt64 = 0
                for m in 0..<8 { bits |= UInt64(b[o + m]) << (8 * UInt64(m)) }
                x = Double(bitPattern: bits)
            } else {
                var bits: UInt32 = 0
                for m in 0..<4 { bits |= UInt32(b[o + m]) << (8 * UInt32(m)) }
                x = Double(Float(bitPattern: bits))
            }
            guard x.isFinite else { throw fail("value \(x) at flat index \(k) is not finite") }
            values[k] = x
        }
        return values
    }
}
