import Foundation

/// Gambit's strategic-form (`.nfg`) files, both versions (docs/normal-form-games.md):
///
/// - payoff version: `NFG 1 R "title" { "P1" "P2" } { 3 2 } "comment"` then, for every strategy
///   profile with player 1's strategy changing fastest, every player's payoff;
/// - outcome version: strategy-name lists `{ { "a" "b" } { "c" "d" } }`, an optional comment,
///   the outcome list `{ { "name" p1, p2 } … }`, then one outcome number per profile in the same
///   order (1-based; 0 is the null outcome, all payoffs 0).
///
/// Either strategy form (counts or name lists) may precede either body; the body is an outcome
/// list exactly when it starts with `{`. Numbers are decimals (with optional exponent) or
/// rationals `p/q`; `D` and `R` files are read alike. Every error names line and column. Sizes
/// are checked against `MarkovLimits` before anything proportional to them is allocated.
public struct NormalFormGame: Sendable, Equatable {
    public var title: String
    public var comment: String?
    public var players: [String]
    public var strategies: [[String]]
    /// Per player, the payoff of every profile at sgn's joint index (first player slowest).
    public var payoffs: [[Double]]
}

enum NFGReader {
    struct Token: Equatable {
        enum Kind: Equatable { case number, text, symbol, lbrace, rbrace, comma, end }
        var kind: Kind
        var text: String
        var line: Int
        var column: Int
    }

    /// Splits the file into tokens (Gambit's lexical rules: braces, commas, quoted strings with
    /// backslash escapes, numbers, bare symbols such as `NFG` and `R`).
    struct Lexer {
        let bytes: [UInt8]
        var index = 0
        var line = 1
        var column = 1

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        mutating func advance() {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }

        func fail(_ message: String, line: Int, column: Int) -> InputError {
            InputError(path: "line \(line), column \(column)", message: message)
        }

        mutating func next() throws(InputError) -> Token {
            while index < bytes.count, [9, 10, 11, 12, 13, 32].contains(bytes[index]) { advance() }
            let l = line
            let c = column
            guard index < bytes.count else { return Token(kind: .end, text: "", line: l, column: c) }
            let ch = bytes[index]
            switch ch {
            case UInt8(ascii: "{"):
                advance()
                return Token(kind: .lbrace, text: "{", line: l, column: c)
            case UInt8(ascii: "}"):
                advance()
                return Token(kind: .rbrace, text: "}", line: l, column: c)
            case UInt8(ascii: ","):
                advance()
                return Token(kind: .comma, text: ",", line: l, column: c)
            case UInt8(ascii: "\""):
                advance()
                var text: [UInt8] = []
                var escaped = false
                while true {
                    guard index < bytes.count else {
                        throw fail(
                            "the quoted text that starts here is not closed before the end of the file", line: l,
                            column: c)
                    }
                    let b = bytes[index]
                    advance()
                    if escaped {
                        text.append(b)
                        escaped = false
                    } else if b == UInt8(ascii: "\\") {
                        escaped = true
                    } else if b == UInt8(ascii: "\"") {
                        break
                    } else {
                        text.append(b)
                    }
                    guard text.count <= 4096 else {
                        throw fail("a quoted text longer than 4096 bytes", line: l, column: c)
                    }
                }
                return Token(kind: .text, text: String(decoding: text, as: UTF8.self), line: l, column: c)
            default:
                var text: [UInt8] = []
                while index < bytes.count,
                    ![
                        9, 10, 11, 12, 13, 32, UInt8(ascii: "{"), UInt8(ascii: "}"),
                        UInt8(ascii: ","), UInt8(ascii: "\""),
                    ].contains(bytes[index])
                {
                    text.append(bytes[index])
                    advance()
                    guard text.count <= 400 else {
                        throw fail("a token longer than 400 characters", line: l, column: c)
                    }
                }
                let s = String(decoding: text, as: UTF8.self)
                let first = text[0]
                let numeric =
                    (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: "-")
                    || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
                return Token(kind: numeric ? .number : .symbol, text: s, line: l, column: c)
            }
        }
    }

    struct Parser {
        var lexer: Lexer
        var current: Token

        init(_ bytes: [UInt8]) throws(InputError) {
            lexer = Lexer(bytes)
            current = Token(kind: .end, text: "", line: 1, column: 1)
            current = try lexer.next()
        }

        mutating func advance() throws(InputError) { current = try lexer.next() }

        func fail(_ message: String, at token: Token? = nil) -> InputError {
            let t = token ?? current
            let found = t.kind == .end ? "the end of the file" : "\"\(t.text)\""
            return InputError(path: "line \(t.line), column \(t.column)", message: "\(message), found \(found)")
        }

        mutating func expect(_ kind: Token.Kind, _ what: String) throws(InputError) -> Token {
            guard current.kind == kind else { throw fail("expected \(what)") }
            let t = current
            try advance()
            return t
        }

        /// A finite number within the shared magnitude limits: a decimal or a rational `p/q`.
        mutating func number(_ what: String) throws(InputError) -> Double {
            let t = current
            guard t.kind == .number else { throw fail("expected \(what) (a number)") }
            let parts = t.text.split(separator: "/", omittingEmptySubsequences: false)
            var value: Double?
            if parts.count == 1 {
                value = Double(t.text)
            } else if parts.count == 2, let p = Double(parts[0]), let q = Double(parts[1]), q != 0,
                !parts[1].hasPrefix("-"), !parts[1].hasPrefix("+")
            {
                value = p / q
            }
            guard let v = value, v.isFinite else { throw fail("expected \(what) (a decimal number or a fraction p/q)") }
            guard abs(v) <= InputLimits.maxMagnitude, v == 0 || abs(v) >= InputLimits.minMagnitude else {
                throw fail(
                    "\(what) is outside the accepted magnitudes [\(InputLimits.minMagnitude),"
                        + " \(InputLimits.maxMagnitude)]"
                )
            }
            try advance()
            return v
        }
    }

    /// Parses a whole `.nfg` file.
    static func parse(_ bytes: [UInt8]) throws(InputError) -> NormalFormGame {
        var p = try Parser(bytes)
        let (title, players) = try p.header(
            magic: "NFG", version: "1", form: "strategic", playerLimit: MarkovLimits.maxPlayers)

        // Strategies: counts or nested name lists.
        _ = try p.expect(.lbrace, "\"{\" opening the strategies (counts, or one list of names per player)")
        var strategies: [[String]] = []
        var joint = 1
        func check(_ count: Int, _ at: Token) throws(InputError) {
            guard count >= 1 else { throw p.fail("player \(strategies.count + 1) has no strategies", at: at) }
            guard count <= MarkovLimits.maxActions else {
                throw p.fail(
                    "player \(strategies.count + 1) declares \(count) strategies, more than the "
                        + "limit of \(MarkovLimits.maxActions)",
                    at: at)
            }
            joint *= count
            guard joint <= MarkovLimits.maxJointActions else {
                throw p.fail(
                    "the strategy counts multiply to more than the limit of \(MarkovLimits.maxJointActions) profiles",
                    at: at)
            }
        }
        if p.current.kind == .lbrace {
            for _ in players {
                let open = try p.expect(.lbrace, "\"{\" opening the next player's strategy names")
                var names: [String] = []
                while p.current.kind == .text {
                    guard names.count < MarkovLimits.maxActions else {
                        throw p.fail(
                            "more than \(MarkovLimits.maxActions) strategies for player \(strategies.count + 1)")
                    }
                    names.append(p.current.text.isEmpty ? "\(names.count + 1)" : p.current.text)
                    try p.advance()
                }
                _ = try p.expect(.rbrace, "a strategy name in quotes or \"}\"")
                try check(names.count, open)
                strategies.append(names)
            }
        } else {
            for _ in players {
                let t = p.current
                guard t.kind == .number, let count = Int(t.text), count >= 0 else {
                    throw p.fail("expected the number of strategies of player \(strategies.count + 1) (a whole number)")
                }
                try check(count, t)
                try p.advance()
                strategies.append((1...count).map { String($0) })
            }
        }
        _ = try p.expect(.rbrace, "\"}\" closing the strategies (one entry per player)")
        var comment: String? = nil
        if p.current.kind == .text {
            comment = p.current.text.isEmpty ? nil : p.current.text
            try p.advance()
        }

        let n = players.count
        let counts = strategies.map(\.count)
        // A player with one strategy has no choice: it is left out (the others' payoffs at its
        // only strategy are the game).
        let kept = (0..<n).filter { counts[$0] >= 2 }
        guard !kept.isEmpty else { throw p.fail("every player has a single strategy: there is nothing to learn") }
        var strides = [Int](repeating: 0, count: n)
        var stride = 1
        for i in kept.reversed() {
            strides[i] = stride
            stride *= counts[i]
        }
        /// Joint index over the kept players (first slowest) of the k-th profile in Gambit's
        /// order (first player fastest).
        func jointIndex(_ k: Int) -> Int {
            var rest = k
            var a = 0
            for i in 0..<n {
                a += (rest % counts[i]) * strides[i]
                rest /= counts[i]
            }
            return a
        }
        var payoffs = [[Double]](repeating: [Double](repeating: 0, count: joint), count: n)
        if p.current.kind == .lbrace {
            // Outcome version.
            try p.advance()
            var outcomes: [[Double]] = []
            while p.current.kind == .lbrace {
                guard outcomes.count < joint + 1_000_000 else { throw p.fail("too many outcomes") }
                try p.advance()
                _ = try p.expect(.text, "the outcome's name in quotes")
                var values: [Double] = []
                for i in 0..<n {
                    values.append(try p.number("the payoff of player \(i + 1) in outcome \(outcomes.count + 1)"))
                    if p.current.kind == .comma { try p.advance() }
                }
                _ = try p.expect(.rbrace, "\"}\" closing outcome \(outcomes.count + 1) (one payoff per player: \(n))")
                outcomes.append(values)
            }
            _ = try p.expect(.rbrace, "\"{\" opening the next outcome or \"}\" closing the outcome list")
            for k in 0..<joint {
                let t = p.current
                guard t.kind == .number, let id = Int(t.text), id >= 0, id <= outcomes.count else {
                    throw p.fail("expected the outcome number of profile \(k + 1) of \(joint) (0 to \(outcomes.count))")
                }
                try p.advance()
                if id > 0 { for i in 0..<n { payoffs[i][jointIndex(k)] = outcomes[id - 1][i] } }
            }
        } else {
            for k in 0..<joint {
                for i in 0..<n {
                    payoffs[i][jointIndex(k)] = try p.number(
                        "the payoff of player \(i + 1) in profile \(k + 1) of \(joint)")
                }
            }
        }
        guard p.current.kind == .end else {
            throw p.fail("expected the end of the file after \(counted(joint, "profile"))")
        }
        return NormalFormGame(
            title: title, comment: comment, players: kept.map { players[$0] },
            strategies: kept.map { strategies[$0] }, payoffs: kept.map { payoffs[$0] })
    }

    /// The Markov game JSON object of an entropy-regularised normal-form game: one state,
    /// discount 0, players maximising their payoffs, strategy names as `action_names`; `extra`
    /// (sidecar keys and command-line overrides) is merged in.
    static func markovObject(_ g: NormalFormGame, name: String, extra: [(key: String, value: JSONValue)]) -> JSONValue {
        let counts = g.strategies.map(\.count)
        func tensor(_ values: [Double], level: Int, offset: Int, stride: Int) -> JSONValue {
            if level == counts.count { return .number(values[offset]) }
            let inner = stride / counts[level]
            return .array(
                (0..<counts[level]).map { tensor(values, level: level + 1, offset: offset + $0 * inner, stride: inner) }
            )
        }
        let total = counts.reduce(1, *)
        let description = [g.title, g.comment].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " — ")
        var object: [(key: String, value: JSONValue)] = [
            ("name", .string(name)), ("kind", .string("markov")), ("discount", .number(0)), ("states", .number(1)),
            (
                "players",
                .array(
                    zip(g.players, g.strategies).map {
                        .object([
                            ("name", .string($0)), ("actions", .number(Double($1.count))),
                            ("action_names", .array($1.map { .string($0) })),
                        ])
                    })
            ),
            (
                "rewards",
                .object(
                    zip(g.players, g.payoffs).map { ($0, .array([tensor($1, level: 0, offset: 0, stride: total)])) })
            ),
        ]
        if !description.isEmpty { object.insert(("description", .string(description)), at: 1) }
        for (key, value) in extra {
            if let k = object.firstIndex(where: { $0.key == key }) {
                object[k].value = value
            } else {
                object.append((key, value))
            }
        }
        return .object(object)
    }
}

/// Command-line values that replace a Markov game's `temperature` and `region` keys (the keys
/// stay the defaults; docs/cli.md).
public struct GameOverrides: Sendable, Equatable {
    public var temperature: Double?
    public var radius: Double?
    public var samples: Int?
    public var seed: UInt64?

    public init(temperature: Double? = nil, radius: Double? = nil, samples: Int? = nil, seed: UInt64? = nil) {
        self.temperature = temperature
        self.radius = radius
        self.samples = samples
        self.seed = seed
    }

    public var isEmpty: Bool { temperature == nil && radius == nil && samples == nil && seed == nil }

    /// Why the values are unusable (named by `names`: temperature, radius, samples, seed
    /// options), or nil. The ranges are those of the JSON keys (docs/markov-games.md).
    public func problem(names: [String]) -> String? {
        if let temperature, !(temperature.isFinite && temperature > 0) {
            return "\(names[0]) must be a positive number"
        }
        if let radius, !(radius.isFinite && radius > 0 && radius <= MarkovLimits.maxRadius) {
            return "\(names[1]) must be in (0, \(JSONWriter.format(MarkovLimits.maxRadius))]"
        }
        // The magnitudes a game file accepts (InputLimits), checked here so that the message
        // names the option instead of the file's key the option replaces.
        for (value, name) in [(temperature, names[0]), (radius, names[1])] {
            if let value, !(InputLimits.minMagnitude...InputLimits.maxMagnitude).contains(value) {
                return """
                    \(name) must be between \(JSONWriter.format(InputLimits.minMagnitude)) and \
                    \(JSONWriter.format(InputLimits.maxMagnitude)) (the magnitudes a game file accepts)
                    """
            }
        }
        if let samples, !(1...MarkovLimits.maxSamples).contains(samples) {
            return "\(names[2]) must be in [1, \(MarkovLimits.maxSamples)]"
        }
        if let seed, seed > 1 << 53 { return "\(names[3]) must be at most 2^53" }
        return nil
    }

    /// The options given, for messages (`--radius, --seed`).
    /// How many values are given.
    var count: Int { [temperature != nil, radius != nil, samples != nil, seed != nil].filter { $0 }.count }

    var optionNames: String {
        [
            temperature.map { _ in "--temperature" }, radius.map { _ in "--radius" }, samples.map { _ in "--samples" },
            seed.map { _ in "--seed" },
        ].compactMap { $0 }.joined(separator: ", ")
    }

    /// A Markov game object with these values in place of its own.
    func applied(to value: JSONValue) -> JSONValue {
        guard case var .object(pairs) = value else { return value }
        func set(_ key: String, _ v: JSONValue, in pairs: inout [(key: String, value: JSONValue)]) {
            if let k = pairs.firstIndex(where: { $0.key == key }) { pairs[k].value = v } else { pairs.append((key, v)) }
        }
        if let temperature { set("temperature", .number(temperature), in: &pairs) }
        if radius != nil || samples != nil || seed != nil {
            var region: [(key: String, value: JSONValue)] = []
            if let k = pairs.firstIndex(where: { $0.key == "region" }), case let .object(r) = pairs[k].value {
                region = r
            }
            if let radius { set("radius", .number(radius), in: &region) }
            if let samples { set("samples", .number(Double(samples)), in: &region) }
            if let seed { set("seed", .number(Double(seed)), in: &region) }
            set("region", .object(region), in: &pairs)
        }
        return .object(pairs)
    }
}

/// Reading an `.nfg` file into a Markov game: the file, its optional sidecar `<file>.json`
/// (`temperature`, `geometry`, `region`, `name`, `description`) and the command-line overrides.
enum NormalFormInput {
    static let sidecarKeys = ["name", "description", "temperature", "geometry", "region"]

    /// Whether the bytes start (after white space) with `NFG`.
    static func looksLikeNFG(_ bytes: [UInt8]) -> Bool {
        guard let k = bytes.firstIndex(where: { ![9, 10, 11, 12, 13, 32].contains($0) }) else { return false }
        return bytes[k...].starts(with: Array("NFG".utf8))
    }

    /// Whether the file at `path` is read as `.nfg`: its content starts with `NFG`, or its name
    /// ends in `.nfg` and its content does not start with `{` (a JSON game named `.nfg` is still
    /// read as JSON). So an empty or broken `x.nfg` gets the `.nfg` reader's message (`expected
    /// "NFG" …`) instead of a JSON syntax error.
    static func isNFG(_ bytes: [UInt8], path: String) -> Bool {
        if looksLikeNFG(bytes) { return true }
        guard path.lowercased().hasSuffix(".nfg") else { return false }
        return bytes.first(where: { ![9, 10, 11, 12, 13, 32].contains($0) }) != UInt8(ascii: "{")
    }

    /// The sidecar of an `.nfg` path: the same path with `.json` appended.
    public static func sidecarPath(_ path: String) -> String { path + ".json" }

    static func read(
        bytes: [UInt8], path: String, display: String, name: String,
        overrides: GameOverrides
    ) throws(InputError) -> MarkovGame {
        let game: NormalFormGame
        do {
            game = try isEFG(bytes, path: path) ? EFGReader.parse(bytes) : NFGReader.parse(bytes)
        } catch {
            throw error.inFile(display)
        }
        var extra: [(key: String, value: JSONValue)] = []
        let sidecar = sidecarPath(path)
        let sidecarDisplay = sidecar
        var hasSidecar = false
        if path != "-", FileManager.default.isDirectoryPath(sidecar) {
            throw InputError(
                file: sidecarDisplay,
                message: "the sidecar of \(display) is a directory; expected a JSON file such as {\"temperature\": 1}")
        }
        if path != "-", let data = FileManager.default.contents(atPath: sidecar) {
            hasSidecar = true
            guard data.count <= 1 << 20 else {
                throw InputError(file: sidecarDisplay, message: "a sidecar file is at most 1 MiB")
            }
            let value: JSONValue
            do {
                value = try JSONParser.parse([UInt8](data))
            } catch {
                throw InputError(
                    file: sidecarDisplay, path: error.path.isEmpty ? "(top level)" : error.path,
                    message: error.summary)
            }
            do {
                let object = try JSONNode(value).object(allowed: sidecarKeys)
                for key in sidecarKeys { if let node = object[key] { extra.append((key, node.value)) } }
            } catch {
                throw error.inFile(sidecarDisplay)
            }
        }
        let format = isEFG(bytes, path: path) ? ".efg" : ".nfg"
        guard overrides.temperature != nil || extra.contains(where: { $0.key == "temperature" }) else {
            throw InputError(
                file: display,
                message: path == "-"
                    ? "an \(format) game needs a temperature: pass --temperature (standard input has no sidecar)"
                    : "an \(format) game needs a temperature: pass --temperature or give {\"temperature\": "
                        + "...} in the sidecar \(sidecarDisplay)"
            )
        }
        let object = overrides.applied(to: NFGReader.markovObject(game, name: name, extra: extra))
        do {
            return try MarkovGameDecoder.decode(JSONNode(object), defaultName: name)
        } catch {
            // Keys the sidecar or the command line supplied: name the sidecar when it has them.
            let fromSidecar =
                hasSidecar
                && sidecarKeys.contains {
                    error.path == $0 || error.path.hasPrefix($0 + ".") || error.path.hasPrefix($0 + "[")
                }
            throw error.inFile(fromSidecar ? sidecarDisplay : display)
        }
    }
}

extension FileManager {
    /// Whether `path` names an existing directory.
    func isDirectoryPath(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}

extension NFGReader.Parser {
    /// The header both Gambit formats share: `<magic> <version> R|D "title" { "P1" "P2" … }`.
    /// Empty player names become `Player k`; duplicates are bad input, and so are more than
    /// `playerLimit` players when given (an `.nfg` player is a Markov player; an `.efg` player
    /// is not, its information sets are).
    mutating func header(magic: String, version: String, form: String, playerLimit: Int?) throws(InputError) -> (
        title: String, players: [String]
    ) {
        guard current.kind == .symbol, current.text == magic else {
            throw fail("expected \"\(magic)\" (a Gambit \(form)-form file starts with \(magic) \(version) R)")
        }
        try advance()
        guard current.kind == .number, current.text == version else {
            throw fail("expected the version number \(version)")
        }
        try advance()
        guard current.kind == .symbol, current.text == "R" || current.text == "D" else {
            throw fail("expected R or D")
        }
        try advance()
        let title = try expect(.text, "the game's title in quotes").text
        let playersOpen = try expect(.lbrace, "\"{\" opening the list of player names")
        var players: [String] = []
        while current.kind == .text {
            let name = current.text
            if let playerLimit, players.count >= playerLimit {
                throw fail("more than \(playerLimit) players (the limit for Markov games)")
            }
            if let other = players.firstIndex(of: name), !name.isEmpty {
                throw fail("duplicate player name (also player \(other + 1))")
            }
            players.append(name.isEmpty ? "Player \(players.count + 1)" : name)
            try advance()
        }
        _ = try expect(.rbrace, "a player name in quotes or \"}\" closing the list of players")
        guard !players.isEmpty else { throw fail("the list of players is empty", at: playersOpen) }
        return (title, players)
    }
}
