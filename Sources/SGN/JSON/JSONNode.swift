/// Where a value sits in a document, kept as a chain of steps and rendered to text only when
/// an error message needs it (`players[1].coupling.y`): decoding a large game visits millions
/// of values, and building every path string eagerly cost more than parsing the file.
public indirect enum JSONPath: Sendable {
    case root
    case text(String)
    case key(JSONPath, String)
    case index(JSONPath, Int)

    public var rendered: String {
        var steps: [JSONPath] = []
        var p = self
        var head = ""
        loop: while true {
            switch p {
            case .root: break loop
            case let .text(t):
                head = t
                break loop
            case let .key(parent, _), let .index(parent, _):
                steps.append(p)
                p = parent
            }
        }
        var out = head
        for step in steps.reversed() {
            switch step {
            case let .key(_, key):
                let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
                out += plain ? (out.isEmpty ? key : ".\(key)") : "[\"\(key)\"]"
            case let .index(_, n): out += "[\(n)]"
            default: break
            }
        }
        return out
    }
}

/// A JSON value together with where it sits in the document, so every decoding failure can
/// say `players[1].coupling.y: expected 2x3 matrix, got 2x2`.
public struct JSONNode: Sendable {
    public let value: JSONValue
    public let location: JSONPath

    public init(_ value: JSONValue, path: String = "") {
        self.value = value
        self.location = path.isEmpty ? .root : .text(path)
    }

    public init(_ value: JSONValue, location: JSONPath) {
        self.value = value
        self.location = location
    }

    /// The rendered JSON path (empty at the top level).
    public var path: String { location.rendered }

    public func fail(_ message: String) -> InputError {
        let p = path
        return InputError(path: p.isEmpty ? "(top level)" : p, message: message)
    }

    public func child(_ key: String, _ v: JSONValue) -> JSONNode { JSONNode(v, location: .key(location, key)) }

    public func element(_ index: Int, _ v: JSONValue) -> JSONNode { JSONNode(v, location: .index(location, index)) }

    // MARK: objects

    /// The object's members, after checking that every key is one of `allowed`.
    public func object(allowed: [String]) throws(InputError) -> JSONObject {
        guard case let .object(pairs) = value else { throw fail("expected an object, got \(value.kindName)") }
        for (k, _) in pairs where !allowed.contains(k) {
            throw child(k, .null).fail("unknown key \"\(k)\" (allowed here: \(allowed.joined(separator: ", ")))")
        }
        return JSONObject(node: self, pairs: pairs)
    }

    /// Members of an object whose keys are free-form (e.g. player names).
    public func members() throws(InputError) -> [(key: String, node: JSONNode)] {
        guard case let .object(pairs) = value else { throw fail("expected an object, got \(value.kindName)") }
        return pairs.map { ($0.key, child($0.key, $0.value)) }
    }

    // MARK: scalars

    public func string() throws(InputError) -> String {
        guard case let .string(s) = value else { throw fail("expected a string, got \(value.kindName)") }
        return s
    }

    /// A finite number within `InputLimits`.
    public func number() throws(InputError) -> Double {
        guard case let .number(x) = value else { throw fail("expected a number, got \(value.kindName)") }
        try JSONNode.checkMagnitude(x, self)
        return x
    }

    /// Whether `x` passes `checkMagnitude` (the fast test; the check itself builds the message).
    @inline(__always) static func acceptable(_ x: Double) -> Bool {
        let a = abs(x)
        return a == 0 || (a >= InputLimits.minMagnitude && a <= InputLimits.maxMagnitude)
    }

    static func checkMagnitude(_ x: Double, _ node: JSONNode) throws(InputError) {
        if acceptable(x) { return }
        let a = abs(x)
        if !x.isFinite || a > InputLimits.maxMagnitude {
            throw node.fail("number \(x) is too large (magnitudes up to \(InputLimits.maxMagnitude) are accepted)")
        }
        if a != 0 && a < InputLimits.minMagnitude {
            throw node.fail(
                "number \(x) is too small to compute with (non-zero magnitudes must be at "
                    + "least \(InputLimits.minMagnitude))"
            )
        }
    }

    /// A whole number in `range`.
    public func integer(in range: ClosedRange<Int>) throws(InputError) -> Int {
        guard case let .number(x) = value else { throw fail("expected a whole number, got \(value.kindName)") }
        guard x.isFinite, x == x.rounded(), abs(x) < 9e15 else { throw fail("expected a whole number, got \(x)") }
        let n = Int(x)
        guard range.contains(n) else {
            throw fail("expected a whole number from \(range.lowerBound) to \(range.upperBound), got \(n)")
        }
        return n
    }

    public func array() throws(InputError) -> [JSONNode] {
        guard case let .array(items) = value else { throw fail("expected an array, got \(value.kindName)") }
        return items.enumerated().map { element($0.offset, $0.element) }
    }

    /// An array of exactly `count` numbers, or (when `broadcast`) one number meaning that value
    /// in every entry.
    public func vector(count: Int, broadcast: Bool = false) throws(InputError) -> [Double] {
        if broadcast, case .number = value { return Array(repeating: try number(), count: count) }
        guard case let .array(items) = value else {
            throw fail("expected an array of \(count) numbers\(broadcast ? " or a number" : ""), got \(value.kindName)")
        }
        guard items.count == count else { throw fail("expected an array of \(count) numbers, got \(items.count)") }
        var out = [Double](repeating: 0, count: count)
        for (k, item) in items.enumerated() {
            guard case let .number(x) = item, JSONNode.acceptable(x) else {
                out[k] = try element(k, item).number()
                continue
            }
            out[k] = x
        }
        return out
    }

    /// A `rows × cols` matrix given as an array of rows. A number stands for that multiple of
    /// the identity when the block is square.
    public func matrix(rows: Int, cols: Int) throws(InputError) -> Matrix {
        let shape = "\(rows)x\(cols) matrix"
        switch value {
        case .number:
            guard rows == cols else {
                throw fail(
                    "expected \(shape), got a number (a number stands for a multiple of the "
                        + "identity, which needs a square block)"
                )
            }
            return Matrix.scalar(try number(), size: rows)
        case let .array(rowItems):
            guard rowItems.count == rows else {
                throw fail("expected \(shape), got \(describeShape(rowItems))")
            }
            var m = Matrix(rows: rows, cols: cols)
            for (r, rowValue) in rowItems.enumerated() {
                guard case let .array(entries) = rowValue, entries.count == cols else {
                    throw fail("expected \(shape), got \(describeShape(rowItems))")
                }
                for (c, e) in entries.enumerated() {
                    guard case let .number(x) = e else {
                        throw element(r, rowValue).element(c, e).fail("expected a number, got \(e.kindName)")
                    }
                    if !JSONNode.acceptable(x) { try JSONNode.checkMagnitude(x, element(r, rowValue).element(c, e)) }
                    m[r, c] = x
                }
            }
            return m
        default:
            throw fail("expected \(shape), got \(value.kindName)")
        }
    }

    private func describeShape(_ rowItems: [JSONValue]) -> String {
        if rowItems.isEmpty { return "an empty array" }
        var widths = Set<Int>()
        for r in rowItems {
            guard case let .array(e) = r else { return "an array whose rows are not all arrays" }
            widths.insert(e.count)
        }
        if widths.count == 1 { return "\(rowItems.count)x\(widths.first!)" }
        return "\(rowItems.count) rows of unequal lengths \(widths.sorted().map(String.init).joined(separator: "/"))"
    }
}

/// The members of a JSON object whose keys have been checked.
public struct JSONObject: Sendable {
    let node: JSONNode
    let pairs: [(key: String, value: JSONValue)]

    public subscript(key: String) -> JSONNode? {
        pairs.first { $0.key == key }.map { node.child(key, $0.value) }
    }

    public func required(_ key: String) throws(InputError) -> JSONNode {
        guard let n = self[key] else { throw node.fail("missing required key \"\(key)\"") }
        return n
    }

    public var path: String { node.path }

    /// The required `name` of a player object: a non-empty string not yet in `seen` (name →
    /// position in `players`), which it joins at `position`. Errors name the key's JSON path and,
    /// for a duplicate, the earlier player's position.
    public func playerName(seen: inout [String: Int], position: Int) throws(InputError) -> String {
        let nameNode = try required("name")
        let name = try nameNode.string()
        guard !name.isEmpty else { throw nameNode.fail("player names must be non-empty") }
        if let other = seen[name] {
            throw nameNode.fail("duplicate player name \"\(name)\" (also players[\(other)])")
        }
        seen[name] = position
        return name
    }
}
