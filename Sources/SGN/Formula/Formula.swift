import Foundation

/// A parsed loss formula of a smooth game (docs/smooth-games.md, "Formula language").
///
/// The expression is stored as a flat list of nodes in evaluation order (every node after its
/// operands), so evaluating it is one loop with no recursion, whatever the nesting; the parser
/// itself recurses only up to `FormulaLimits.maxDepth` levels, checked before each descent.
public struct Formula: Sendable {
    public enum Function: String, Sendable, CaseIterable {
        case exp, log, log1p, sqrt, sin, cos, tanh, sigmoid, softplus
    }

    public enum Op: Sendable, Equatable {
        case constant(Double)
        /// Index into the flat variable vector (player-major, then coordinate).
        case variable(Int)
        case negate(Int)
        case add(Int, Int)
        case subtract(Int, Int)
        case multiply(Int, Int)
        case divide(Int, Int)
        /// `base ^ n`, n a whole constant.
        case integerPower(Int, Int)
        /// `base ^ p`, p a constant that is not whole (the base must be positive).
        case realPower(Int, Double)
        /// `base ^ exponent`, exponent depending on variables: `exp(exponent·log base)`.
        case generalPower(Int, Int)
        case call(Function, Int)
    }

    public struct Node: Sendable {
        public var op: Op
        /// 1-based column of the token that produced the node (for messages).
        public var column: Int
    }

    public let source: String
    public let nodes: [Node]
    /// Sorted indices of the variables the formula reads.
    public let variables: [Int]

    public var root: Int { nodes.count - 1 }
}

/// Limits on a formula, checked with clear messages before any work proportional to them.
public enum FormulaLimits {
    /// Characters (UTF-8 bytes) in one formula.
    public static let maxLength = 65_536
    /// Nesting depth of parentheses, unary minus, powers and function calls.
    public static let maxDepth = 200
    /// Nodes of the parsed expression.
    public static let maxNodes = 50_000
    /// Largest |n| of an integer power.
    public static let maxIntegerPower = 1_000
}

/// A problem inside a formula: the 1-based column and what is wrong.
public struct FormulaError: Error, Sendable, Equatable, CustomStringConvertible {
    public var column: Int
    public var message: String
    public var description: String { "column \(column): \(message)" }
}

/// What names mean inside the formulas of one game.
public struct FormulaScope: Sendable {
    public struct Player: Sendable {
        public var name: String
        public var dim: Int
        public var offset: Int
        public init(name: String, dim: Int, offset: Int) {
            self.name = name
            self.dim = dim
            self.offset = offset
        }
    }

    public var players: [Player]
    public var parameters: [String: Double]
    var playerIndex: [String: Int]

    public init(players: [Player], parameters: [String: Double]) {
        self.players = players
        self.parameters = parameters
        var index: [String: Int] = [:]
        for (k, p) in players.enumerated() { index[p.name] = k }
        self.playerIndex = index
    }

    /// `(players: q1, q2, q3; parameters: a, b, c)` for messages.
    var listing: String {
        let names = players.map { $0.dim == 1 ? $0.name : "\($0.name)[0..\($0.dim - 1)]" }
        let shown =
            names.count > 10
            ? names.prefix(10).joined(separator: ", ") + ", … (\(names.count) players)" : names.joined(separator: ", ")
        let params = parameters.keys.sorted()
        return "(players: \(shown); parameters: \(params.isEmpty ? "none" : params.joined(separator: ", ")))"
    }

    /// Words that cannot name a player or parameter: the functions, the rejected non-smooth
    /// functions and the non-number words.
    public static let reservedNames: Set<String> = Set(Formula.Function.allCases.map(\.rawValue))
        .union(Parser.nonSmooth.keys).union(["nan", "NaN", "inf", "Inf", "infinity", "Infinity", "pi", "e"])
}

extension Formula {
    /// Parses `text` in `scope`; errors carry the 1-based column.
    public static func parse(_ text: String, scope: FormulaScope) throws(FormulaError) -> Formula {
        let bytes = Array(text.utf8)
        guard bytes.count <= FormulaLimits.maxLength else {
            throw FormulaError(
                column: FormulaLimits.maxLength + 1,
                message: "formula is \(bytes.count) characters; the limit is \(FormulaLimits.maxLength)")
        }
        var parser = Parser(bytes: bytes, scope: scope)
        try parser.parseAll()
        let vars = Set(
            parser.nodes.compactMap { node -> Int? in if case let .variable(v) = node.op { v } else { nil } })
        return Formula(source: text, nodes: parser.nodes, variables: vars.sorted())
    }

    /// Evaluates the formula at `x` (the flat variable vector) in any smooth scalar type. One
    /// loop over the nodes; no recursion.
    public func evaluate<T: SmoothScalar>(_ x: [T]) -> T {
        var v = [T]()
        v.reserveCapacity(nodes.count)
        for node in nodes {
            let r: T
            switch node.op {
            case let .constant(c): r = T(c)
            case let .variable(k): r = x[k]
            case let .negate(a): r = -v[a]
            case let .add(a, b): r = v[a] + v[b]
            case let .subtract(a, b): r = v[a] - v[b]
            case let .multiply(a, b): r = v[a] * v[b]
            case let .divide(a, b): r = v[a] / v[b]
            case let .integerPower(a, n): r = T.integerPower(v[a], n)
            case let .realPower(a, p): r = T.realPower(v[a], p)
            case let .generalPower(a, b): r = T.exponential(v[b] * T.logarithm(v[a]))
            case let .call(f, a): r = T.apply(f, v[a])
            }
            v.append(r)
        }
        return v[root]
    }

    /// Checks, in interval arithmetic over `box` (one interval per variable), that every
    /// operation is defined and finite on the whole box: no divisor that can be 0, no `log`,
    /// `sqrt` or real power of a quantity that can be ≤ 0, no `log1p` of a quantity that can be
    /// ≤ −1, no overflow. Returns the first problem (in evaluation order) with its column.
    public func checkDomain(on box: [Interval]) -> FormulaError? {
        var v = [Interval]()
        v.reserveCapacity(nodes.count)
        for node in nodes {
            let r: Interval
            var problem: String?
            switch node.op {
            case let .constant(c): r = Interval(c)
            case let .variable(k): r = box[k]
            case let .negate(a): r = -v[a]
            case let .add(a, b): r = v[a] + v[b]
            case let .subtract(a, b): r = v[a] - v[b]
            case let .multiply(a, b): r = v[a] * v[b]
            case let .divide(a, b):
                if v[b].contains(0) {
                    problem = "division by a quantity that can be 0 on the region (its range there is \(v[b]))"
                }
                r = v[a] / v[b]
            case let .integerPower(a, n):
                if n < 0, v[a].contains(0) {
                    problem = "negative power of a quantity that can be 0 on the region (its range there is \(v[a]))"
                }
                r = Interval.integerPower(v[a], n)
            case let .realPower(a, p):
                if !(v[a].lower > 0) {
                    problem =
                        "real power ^\(p) of a quantity that can be <= 0 on the region (its range there "
                        + "is \(v[a])); only whole powers are allowed there"
                }
                r = Interval.realPower(v[a], p)
            case let .generalPower(a, b):
                if !(v[a].lower > 0) {
                    problem =
                        "power with a variable exponent of a base that can be <= 0 on the region (its "
                        + "range there is \(v[a]))"
                }
                r = Interval.exp(v[b] * Interval.log(v[a]))
            case let .call(f, a):
                switch f {
                case .log where !(v[a].lower > 0):
                    problem = "log of a quantity that can be <= 0 on the region (its range there is \(v[a]))"
                case .sqrt where !(v[a].lower > 0):
                    problem =
                        "sqrt of a quantity that can be <= 0 on the region (its range there "
                        + "is \(v[a])); sqrt is not differentiable at 0"
                case .log1p where !(v[a].lower > -1):
                    problem = "log1p of a quantity that can be <= -1 on the region (its range there is \(v[a]))"
                default: break
                }
                r = Interval.apply(f, v[a])
            }
            if problem == nil, !r.isFinite {
                problem = "overflow: the value is not finite on the region (its range there is \(r))"
            }
            if let problem { return FormulaError(column: node.column, message: problem) }
            v.append(r)
        }
        return nil
    }
}

/// Recursive-descent (precedence-climbing) parser. Grammar, loosest first:
/// `sum := product (("+"|"-") product)*`, `product := unary (("*"|"/") unary)*`,
/// `unary := "-" unary | "+" unary | power`, `power := atom ("^" unary)?` (right-associative:
/// `-x^2 = -(x^2)`, `2^-1` allowed), `atom := number | name | name "[" int "]" | fn "(" sum ")" | "(" sum ")"`.
struct Parser {
    let bytes: [UInt8]
    let scope: FormulaScope
    var pos = 0
    var depth = 0
    var nodes: [Formula.Node] = []

    static let nonSmooth: [String: String] = [
        "abs": "abs is not differentiable at 0",
        "max": "max is not differentiable where its arguments are equal",
        "min": "min is not differentiable where its arguments are equal",
        "sign": "sign is not continuous at 0",
        "floor": "floor is not continuous", "ceil": "ceil is not continuous", "round": "round is not continuous",
        "relu": "relu is not differentiable at 0", "heaviside": "heaviside is not continuous",
    ]

    init(bytes: [UInt8], scope: FormulaScope) {
        self.bytes = bytes
        self.scope = scope
    }

    var column: Int { pos + 1 }

    mutating func parseAll() throws(FormulaError) {
        skipSpace()
        guard pos < bytes.count else { throw FormulaError(column: 1, message: "empty formula") }
        _ = try sum()
        skipSpace()
        if pos < bytes.count {
            if bytes[pos] == UInt8(ascii: ")") {
                throw FormulaError(column: column, message: "unbalanced ')': no matching '('")
            }
            throw FormulaError(
                column: column, message: "unexpected \(describe(pos)) after a complete expression (missing operator?)")
        }
    }

    mutating func skipSpace() {
        while pos < bytes.count, bytes[pos] == 0x20 || bytes[pos] == 0x09 || bytes[pos] == 0x0A || bytes[pos] == 0x0D {
            pos += 1
        }
    }

    func describe(_ p: Int) -> String {
        guard p < bytes.count else { return "end of formula" }
        let b = bytes[p]
        if b >= 0x21 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16))"
    }

    mutating func add(_ op: Formula.Op, column: Int) throws(FormulaError) -> Int {
        guard nodes.count < FormulaLimits.maxNodes else {
            throw FormulaError(
                column: column, message: "formula has more than \(FormulaLimits.maxNodes) nodes (the limit)")
        }
        nodes.append(Formula.Node(op: op, column: column))
        return nodes.count - 1
    }

    mutating func descend(_ at: Int) throws(FormulaError) {
        depth += 1
        guard depth <= FormulaLimits.maxDepth else {
            throw FormulaError(
                column: at, message: "formula nests deeper than \(FormulaLimits.maxDepth) levels (the limit)")
        }
    }

    mutating func sum() throws(FormulaError) -> Int {
        var left = try product()
        while true {
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") else {
                return left
            }
            let c = column
            let plus = bytes[pos] == UInt8(ascii: "+")
            pos += 1
            let right = try product()
            left = try add(plus ? .add(left, right) : .subtract(left, right), column: c)
        }
    }

    mutating func product() throws(FormulaError) -> Int {
        var left = try unary()
        while true {
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "*") || bytes[pos] == UInt8(ascii: "/") else {
                return left
            }
            let c = column
            let times = bytes[pos] == UInt8(ascii: "*")
            pos += 1
            if times, pos < bytes.count, bytes[pos] == UInt8(ascii: "*") {
                throw FormulaError(column: c, message: "'**' is not an operator; write powers with '^'")
            }
            let right = try unary()
            left = try add(times ? .multiply(left, right) : .divide(left, right), column: c)
        }
    }

    mutating func unary() throws(FormulaError) -> Int {
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "-") || bytes[pos] == UInt8(ascii: "+") {
            let c = column
            let minus = bytes[pos] == UInt8(ascii: "-")
            pos += 1
            try descend(c)
            let operand = try unary()
            depth -= 1
            return minus ? try add(.negate(operand), column: c) : operand
        }
        return try power()
    }

    mutating func power() throws(FormulaError) -> Int {
        let base = try atom()
        skipSpace()
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "^") else { return base }
        let c = column
        pos += 1
        try descend(c)
        let first = nodes.count
        let exponent = try unary()
        depth -= 1
        // A constant exponent (numbers only) is evaluated now: whole → integer power.
        let constant = nodes[first...].allSatisfy { if case .variable = $0.op { false } else { true } }
        guard constant else { return try add(.generalPower(base, exponent), column: c) }
        // Only the exponent's nodes matter; the base's variables read zeros.
        let total = scope.players.last.map { $0.offset + $0.dim } ?? 0
        let p = Formula(source: "", nodes: Array(nodes[0...exponent]), variables: [])
            .evaluate([Double](repeating: 0, count: total))
        guard p.isFinite else { throw FormulaError(column: c, message: "the exponent is not a finite number") }
        nodes.removeSubrange(first...)
        if p == p.rounded(), abs(p) <= Double(FormulaLimits.maxIntegerPower) {
            return try add(.integerPower(base, Int(p)), column: c)
        }
        if p == p.rounded() {
            throw FormulaError(
                column: c,
                message: "integer power \(p) exceeds the limit of \(FormulaLimits.maxIntegerPower) in magnitude")
        }
        return try add(.realPower(base, p), column: c)
    }

    static func isNameStart(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F }
    static func isNameByte(_ b: UInt8) -> Bool { isNameStart(b) || (b >= 0x30 && b <= 0x39) }
    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    mutating func atom() throws(FormulaError) -> Int {
        skipSpace()
        guard pos < bytes.count else {
            throw FormulaError(column: column, message: "expected a number, a name or '(' but the formula ends")
        }
        let b = bytes[pos]
        let c = column
        if b == UInt8(ascii: "(") {
            pos += 1
            try descend(c)
            let inner = try sum()
            depth -= 1
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ")") else {
                throw FormulaError(
                    column: column, message: "expected ')' to close the '(' at column \(c), found \(describe(pos))")
            }
            pos += 1
            return inner
        }
        if Parser.isDigit(b) || b == UInt8(ascii: ".") { return try number() }
        guard Parser.isNameStart(b) else {
            if b == UInt8(ascii: ")") {
                throw FormulaError(column: c, message: "unexpected ')': expected a number, a name or '('")
            }
            throw FormulaError(column: c, message: "unexpected \(describe(pos)): expected a number, a name or '('")
        }
        let start = pos
        while pos < bytes.count, Parser.isNameByte(bytes[pos]) { pos += 1 }
        let name = String(decoding: bytes[start..<pos], as: UTF8.self)
        var look = pos
        while look < bytes.count, bytes[look] == 0x20 || bytes[look] == 0x09 { look += 1 }
        let calls = look < bytes.count && bytes[look] == UInt8(ascii: "(")
        if let function = Formula.Function(rawValue: name) {
            guard calls else {
                throw FormulaError(column: c, message: "'\(name)' is a function: expected '(' after it")
            }
            pos = look + 1
            try descend(c)
            let argument = try sum()
            depth -= 1
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ")") else {
                if pos < bytes.count, bytes[pos] == UInt8(ascii: ",") {
                    throw FormulaError(column: column, message: "\(name) takes one argument")
                }
                throw FormulaError(
                    column: column, message: "expected ')' to close \(name)( at column \(c), found \(describe(pos))")
            }
            pos += 1
            return try add(.call(function, argument), column: c)
        }
        if let why = Parser.nonSmooth[name] {
            throw FormulaError(
                column: c,
                message:
                    "non-smooth function '\(name)' is not allowed (\(why)); the certificate needs second derivatives")
        }
        if calls, scope.parameters[name] == nil, scope.playerIndex[name] == nil {
            let known = Formula.Function.allCases.map(\.rawValue).joined(separator: ", ")
            throw FormulaError(column: c, message: "unknown function '\(name)' (known: \(known))")
        }
        if let value = scope.parameters[name] { return try add(.constant(value), column: c) }
        guard let k = scope.playerIndex[name] else {
            if ["nan", "NaN", "inf", "Inf", "infinity", "Infinity"].contains(name) {
                throw FormulaError(column: c, message: "'\(name)' is not a number: formulas take finite numbers only")
            }
            throw FormulaError(column: c, message: "unknown variable '\(name)' \(scope.listing)")
        }
        let player = scope.players[k]
        skipSpace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "[") {
            let open = column
            pos += 1
            skipSpace()
            let digits = pos
            while pos < bytes.count, Parser.isDigit(bytes[pos]) { pos += 1 }
            guard pos > digits, pos - digits <= 9, let index = Int(String(decoding: bytes[digits..<pos], as: UTF8.self))
            else {
                throw FormulaError(column: open, message: "expected a whole index after '\(name)['")
            }
            skipSpace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "]") else {
                throw FormulaError(column: column, message: "expected ']' after the index of '\(name)'")
            }
            pos += 1
            guard index < player.dim else {
                throw FormulaError(
                    column: open,
                    message:
                        "index \(index) is out of range for player '\(name)' of dim \(player.dim) "
                        + "(indices 0..\(player.dim - 1))"
                )
            }
            return try add(.variable(player.offset + index), column: c)
        }
        guard player.dim == 1 else {
            throw FormulaError(
                column: c,
                message:
                    "player '\(name)' has dim \(player.dim): refer to its coordinates as \(name)[0] "
                    + "… \(name)[\(player.dim - 1)]"
            )
        }
        return try add(.variable(player.offset), column: c)
    }

    mutating func number() throws(FormulaError) -> Int {
        let start = pos
        let c = column
        while pos < bytes.count, Parser.isDigit(bytes[pos]) { pos += 1 }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            while pos < bytes.count, Parser.isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "e") || bytes[pos] == UInt8(ascii: "E") {
            var p = pos + 1
            if p < bytes.count, bytes[p] == UInt8(ascii: "+") || bytes[p] == UInt8(ascii: "-") { p += 1 }
            if p < bytes.count, Parser.isDigit(bytes[p]) {
                pos = p
                while pos < bytes.count, Parser.isDigit(bytes[pos]) { pos += 1 }
            }
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        guard pos - start <= 400, let value = Double(text), text != "." else {
            throw FormulaError(column: c, message: "malformed number '\(text.prefix(40))'")
        }
        guard value.isFinite, value == 0 || abs(value) >= InputLimits.minMagnitude,
            abs(value) <= InputLimits.maxMagnitude
        else {
            throw FormulaError(
                column: c,
                message:
                    "number \(text.prefix(40)) is outside the accepted magnitudes "
                    + "[\(InputLimits.minMagnitude), \(InputLimits.maxMagnitude)]"
            )
        }
        if pos < bytes.count, Parser.isNameStart(bytes[pos]) {
            throw FormulaError(
                column: column, message: "unexpected \(describe(pos)) right after a number (write '2*x', not '2x')")
        }
        return try add(.constant(value), column: c)
    }
}
