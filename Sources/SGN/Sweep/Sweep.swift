import Foundation

/// A certified sweep over one parameter of a game file (docs/sweep.md): for each value the game
/// is re-read with the parameter applied to its JSON document and certified by the shared
/// pipeline, so every line of a sweep is exactly the certificate `sgn certify` would print for
/// that modified file.
public struct Sweep: Sendable {
    public enum Parameter: Sendable, Equatable {
        /// Scale every coupling block of a quadratic game (or only `players[block.row].coupling[block.col]`).
        case couplingScale(block: (row: String, col: String)?)
        /// A Markov game's temperature τ.
        case temperature
        /// A Markov game's region radius (logit box).
        case radius
        /// An Euler step size h: the certificate is computed once; the verdict at h is whether
        /// projected Euler at h is proven (or, for sampled constants, estimated) to contract.
        case step

        public static func == (a: Parameter, b: Parameter) -> Bool {
            switch (a, b) {
            case let (.couplingScale(x), .couplingScale(y)): return x?.row == y?.row && x?.col == y?.col
            case (.temperature, .temperature), (.radius, .radius), (.step, .step): return true
            default: return false
            }
        }

        public var name: String {
            switch self {
            case .couplingScale: return "coupling-scale"
            case .temperature: return "temperature"
            case .radius: return "radius"
            case .step: return "step"
            }
        }

        /// Whether values must be positive (everything but a coupling scale).
        public var mustBePositive: Bool { !isCouplingScale }
        var isCouplingScale: Bool { if case .couplingScale = self { return true } else { return false } }
    }

    /// One value of the sweep and its certificate.
    public struct Point: Sendable {
        public var index: Int
        public var value: Double
        public var certificate: Certificate
        /// The sweep's verdict at this value (for `step`: the step is covered by the certificate).
        public var certified: Bool
        /// `step` only: the certified per-step Euler factor at h (nil when not covered).
        public var stepFactor: Double?
    }

    public let parameter: Parameter
    public let certifier: Certifier
    let document: JSONValue
    let defaultName: String
    let directory: String

    /// Reads the game file once; each value re-decodes a modified copy of its document.
    public init(path: String, parameter: Parameter, certifier: Certifier = Certifier()) throws(InputError) {
        let display = path == "-" ? "<stdin>" : path
        let bytes: [UInt8]
        do { bytes = try GameReader.readBytes(path) } catch let e as InputError { throw e.inFile(display) } catch {
            throw InputError(file: display, message: "cannot read the file (\(error.localizedDescription))")
        }
        let stem = path == "-" ? "stdin" : URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        let directory =
            path == "-"
            ? FileManager.default.currentDirectoryPath : URL(fileURLWithPath: path).deletingLastPathComponent().path
        // Validate the file as it is first: a bad game is bad input before any value is tried.
        let game: any Game
        do { game = try GameReader.decode(bytes: bytes, defaultName: stem, directory: directory) } catch {
            throw error.inFile(display)
        }
        let document: JSONValue
        do { document = try JSONParser.parse(bytes) } catch { throw InputError(file: display, message: "invalid JSON") }
        switch parameter {
        case let .couplingScale(block):
            // The blocks scaled are those of a constant Jacobian: games that have one (quadratic).
            guard (try? game.exactJacobian()) != nil else {
                throw InputError(
                    file: display, path: "kind",
                    message: "coupling-scale sweeps quadratic games; this game is \"\(game.kind)\"")
            }
            if let block {
                let names = game.playerNames
                for name in [block.row, block.col] where !names.contains(name) {
                    throw InputError(
                        file: display,
                        message:
                            "--block: unknown player \"\(name)\" "
                            + "(players: \(names.map { "\"\($0)\"" }.joined(separator: ", ")))"
                    )
                }
                guard block.row != block.col else {
                    throw InputError(
                        file: display,
                        message: "--block \(block.row),\(block.col): a coupling block joins two different players")
                }
            }
        case .temperature, .radius:
            // A temperature and a logit box: entropy-regularised games (Markov).
            guard game.regularisation != nil else {
                throw InputError(
                    file: display, path: "kind",
                    message: "\(parameter.name) sweeps Markov games; this game is \"\(game.kind)\"")
            }
        case .step:
            break
        }
        self.parameter = parameter
        self.certifier = certifier
        self.document = document
        self.defaultName = stem
        self.directory = directory
        self.display = display
    }

    let display: String

    /// The grid of values from `--values a,b,c` or `--range lo:hi:count` (`log`: geometric).
    public static func grid(values: String?, range: String?, log: Bool, parameter: Parameter) throws(InputError)
        -> [Double]
    {
        var out: [Double]
        switch (values, range) {
        case let (v?, nil):
            out = []
            for part in v.split(separator: ",", omittingEmptySubsequences: false) {
                guard let x = Double(part.trimmingCharacters(in: .whitespaces)), x.isFinite else {
                    throw InputError(
                        path: "--values", message: "expected comma-separated finite numbers, got \"\(part)\"")
                }
                out.append(x)
            }
            if log { throw InputError(path: "--log", message: "--log applies to --range only") }
        case let (nil, r?):
            let parts = r.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3, let lo = Double(parts[0]), let hi = Double(parts[1]), let count = Int(parts[2]),
                lo.isFinite, hi.isFinite
            else {
                throw InputError(path: "--range", message: "expected lo:hi:count (e.g. 0.5:2:31), got \"\(r)\"")
            }
            guard count >= 1, count <= maxValues else {
                throw InputError(path: "--range", message: "count must be 1 to \(maxValues), got \(count)")
            }
            guard lo <= hi else { throw InputError(path: "--range", message: "lo \(lo) exceeds hi \(hi)") }
            if count > 1 && lo == hi { throw InputError(path: "--range", message: "\(count) values need lo < hi") }
            if log {
                guard lo > 0 else { throw InputError(path: "--range", message: "--log needs lo > 0, got \(lo)") }
                // The ends exactly as given; exp(log(lo)) need not be lo.
                out = (0..<count).map { k in
                    k == 0
                        ? lo
                        : k == count - 1
                            ? hi
                            : exp(
                                Foundation.log(lo) + (Foundation.log(hi) - Foundation.log(lo)) * Double(k)
                                    / Double(count - 1))
                }
            } else {
                out = (0..<count).map { k in
                    k == 0 ? lo : k == count - 1 ? hi : lo + (hi - lo) * Double(k) / Double(count - 1)
                }
            }
        case (nil, nil):
            throw InputError(path: "--values", message: "give the values: --values a,b,c or --range lo:hi:count")
        case (_?, _?):
            throw InputError(path: "--values", message: "give --values or --range, not both")
        }
        guard out.count <= maxValues else {
            throw InputError(path: "--values", message: "\(out.count) values exceed the limit of \(maxValues)")
        }
        // The magnitudes every number of a game may have: a denormal step (1e-320) or a scale
        // of 1e300 would be computed with as if it were an ordinary number.
        if let bad = out.first(where: { !JSONNode.acceptable($0) }) {
            throw InputError(
                path: values != nil ? "--values" : "--range",
                message: """
                    \(JSONWriter.format(bad)) is outside the accepted magnitudes (0, or \(InputLimits.minMagnitude) to \
                    \(InputLimits.maxMagnitude), as for every number of a game)
                    """)
        }
        if parameter.mustBePositive, let bad = out.first(where: { $0 <= 0 }) {
            throw InputError(
                path: values != nil ? "--values" : "--range",
                message:
                    "\(parameter.name) must be positive, but the values "
                    + "reach \(JSONWriter.format(bad)) (a range may not cross or touch zero)"
            )
        }
        return out
    }

    /// Most values one sweep takes.
    public static let maxValues = Limits.sweepValues

    /// The game at `value`: the document with the parameter applied, decoded as a file would be.
    public func game(at value: Double) throws(InputError) -> any Game {
        let modified = try apply(value)
        do {
            return try GameReader.decode(
                bytes: Array(JSONWriter.write(modified).utf8), defaultName: defaultName, directory: directory)
        } catch {
            throw InputError(
                file: display, path: error.path,
                message: "at \(parameter.name) = \(JSONWriter.format(value)): \(error.message)")
        }
    }

    func apply(_ value: Double) throws(InputError) -> JSONValue {
        guard case var .object(root) = document else { return document }
        func set(_ key: String, _ v: JSONValue, in pairs: inout [(key: String, value: JSONValue)]) {
            if let k = pairs.firstIndex(where: { $0.key == key }) { pairs[k].value = v } else { pairs.append((key, v)) }
        }
        switch parameter {
        case .step:
            return document
        case .temperature:
            set("temperature", .number(value), in: &root)
        case .radius:
            var region: [(key: String, value: JSONValue)] = []
            if case let .object(r)? = document["region"] { region = r }
            set("radius", .number(value), in: &region)
            set("region", .object(region), in: &root)
        case let .couplingScale(block):
            guard let k = root.firstIndex(where: { $0.key == "players" }), case var .array(players) = root[k].value
            else { return document }
            for p in players.indices {
                guard case var .object(player) = players[p], case let .string(name)? = players[p]["name"] else {
                    continue
                }
                if let block, block.row != name { continue }
                guard let c = player.firstIndex(where: { $0.key == "coupling" }),
                    case var .object(coupling) = player[c].value
                else { continue }
                for e in coupling.indices where block == nil || coupling[e].key == block!.col {
                    coupling[e].value = Self.scaled(coupling[e].value, by: value)
                }
                player[c].value = .object(coupling)
                players[p] = .object(player)
            }
            root[k].value = .array(players)
        }
        return .object(root)
    }

    /// Every number in a (nested) array scaled; values below the smallest accepted magnitude
    /// become 0 (a coupling that small is zero for every tolerance).
    static func scaled(_ v: JSONValue, by s: Double) -> JSONValue {
        switch v {
        case let .number(x):
            let y = x * s
            return .number(abs(y) < InputLimits.minMagnitude ? 0 : y)
        case let .array(items): return .array(items.map { scaled($0, by: s) })
        default: return v
        }
    }

    /// Certifies the game at `value` (index `k` in the grid). `step` sweeps certify the game
    /// once: pass that certificate as `base` to reuse it.
    public func point(_ k: Int, _ value: Double, base: Certificate? = nil) throws -> Point {
        switch parameter {
        case .step:
            let c = try base ?? certifier.certify(try game(at: 0))
            var covered = false
            var factor: Double?
            if c.status == .certified, let steps = c.steps, let a = c.contractionRate, value < steps.euler.max {
                covered = true
                factor = StepSizes.eulerFactor(step: value, margin: a, lipschitz: c.lipschitz)
            }
            return Point(index: k, value: value, certificate: c, certified: covered, stepFactor: factor)
        default:
            let c = try certifier.certify(try game(at: value))
            return Point(index: k, value: value, certificate: c, certified: c.status == .certified)
        }
    }

    /// Certifies every value (in parallel; results in grid order).
    public func run(_ values: [(index: Int, value: Double)]) -> [Result<Point, Error>] {
        if parameter == .step {
            let base: Certificate
            do { base = try certifier.certify(try game(at: 0)) } catch { return values.map { _ in .failure(error) } }
            return values.map { v in Result { try point(v.index, v.value, base: base) } }
        }
        return Parallel.map(count: values.count) { k in Result { try point(values[k].index, values[k].value) } }
    }

    /// The NDJSON line of a point: a first key `sweep` (parameter, value, index, verdict), then
    /// the certificate's keys.
    public func line(_ p: Point) -> String {
        var sweep: [(key: String, value: JSONValue)] = [("parameter", .string(parameter.name))]
        if case let .couplingScale(block?) = parameter {
            sweep.append(("block", .array([.string(block.row), .string(block.col)])))
        }
        sweep += [
            ("index", .number(Double(p.index))), ("value", .number(p.value)),
            ("verdict", .string(p.certified ? "certified" : "not_certified")),
        ]
        if parameter == .step { sweep.append(("euler_factor", .number(p.stepFactor))) }
        guard case let .object(pairs) = p.certificate.json else { return "" }
        return JSONWriter.write(.object([("sweep", .object(sweep))] + pairs))
    }

    // MARK: boundary

    /// Where the verdict changes, located by bisection between the two grid values around the
    /// single change; nil `located` when the grid shows no change or more than one (the verdict
    /// is then not monotone on the grid and bisection would not be meaningful).
    public struct Boundary: Sendable {
        public var monotoneOnGrid: Bool
        /// Grid indices k where the verdict at k differs from the verdict at k − 1.
        public var changes: [Int]
        /// Values bracketing the boundary after bisection: `lower < boundary ≤ upper`.
        public var lower: Double?
        public var upper: Double?
        /// `"below"` or `"above"`: on which side of the boundary the game certifies.
        public var certifiedSide: String?
        public var evaluations: Int
        public var tolerance: Double

        public var json: JSONValue {
            .object([
                ("parameter", .string(nil)),  // replaced by the caller
                ("monotone_on_grid", .bool(monotoneOnGrid)),
                ("grid_changes", .array(changes.map { .number(Double($0)) })),
                ("lower", .number(lower)), ("upper", .number(upper)),
                ("estimate", .number(lower.flatMap { l in upper.map { (l + $0) / 2 } })),
                ("certified_side", .string(certifiedSide)),
                ("tolerance", .number(tolerance)), ("bisection_evaluations", .number(Double(evaluations))),
            ])
        }
    }

    /// Bisects between the grid neighbours around the verdict change until they are within
    /// `tolerance`. Checks monotonicity on the grid first.
    public func boundary(_ points: [Point], tolerance: Double) throws -> Boundary {
        let sorted = points.sorted { $0.value < $1.value }
        var changes: [Int] = []
        for k in sorted.indices.dropFirst() where sorted[k].certified != sorted[k - 1].certified { changes.append(k) }
        var b = Boundary(
            monotoneOnGrid: changes.count <= 1, changes: changes.map { sorted[$0].index }, lower: nil, upper: nil,
            certifiedSide: nil, evaluations: 0, tolerance: tolerance)
        guard changes.count == 1 else { return b }
        let k = changes[0]
        var lo = sorted[k - 1].value
        var hi = sorted[k].value
        let certifiedBelow = sorted[k - 1].certified
        let base = parameter == .step ? sorted[k].certificate : nil
        while hi - lo > tolerance {
            let mid = lo + (hi - lo) / 2
            guard mid > lo && mid < hi else { break }
            let ok = try point(-1, mid, base: base).certified
            b.evaluations += 1
            if ok == certifiedBelow { lo = mid } else { hi = mid }
        }
        b.lower = lo
        b.upper = hi
        b.certifiedSide = certifiedBelow ? "below" : "above"
        return b
    }

    /// The boundary line: `{"boundary": {...}}` with the parameter named.
    public func boundaryLine(_ b: Boundary) -> String {
        guard case var .object(pairs) = b.json else { return "" }
        pairs[0].value = .string(parameter.name)
        return JSONWriter.write(.object([("boundary", .object(pairs))]))
    }
}
