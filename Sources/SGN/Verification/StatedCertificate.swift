import Foundation

/// A certificate as read back from its JSON (docs/certificate-format.md): what it claims, not
/// yet checked. Reading only checks the shape; every malformed field is an `InputError` with
/// its JSON path, so `sgn verify` can exit 2 and say which field is wrong.
public struct StatedCertificate: Sendable {
    public struct Steps: Sendable {
        public var eulerMax: Double
        public var eulerRecommended: Double
        public var eulerFactor: Double
        public var eulerGuarantee: String
        public var rk4Max: Double?
        public var rk4Guideline: Double?
        public var rk4Guarantee: String
    }

    public struct Band: Sendable {
        public var target: Double
        public var lower: Double
        public var upper: Double?
        public var optimum: Double
    }

    public var gameName: String
    public var kind: String
    public var geometry: String?
    public var players: [String]
    public var dims: [Int]
    public var status: Certificate.Status
    public var certifiedBy: Certificate.Rung?
    public var objective: Objective?
    public var estimation: Estimation
    public var curvature: [Double]
    public var ownSize: [Double]
    /// `coupling[i][j]`, 0 when absent.
    public var coupling: [[Int: Double]]
    public var gainSpectralRadius: Double?
    public var comparisonBound: Double?
    public var margins: [Certificate.Rung: Double]
    public var weights: [Double]
    public var contractionRate: Double?
    public var lipschitz: Double?
    public var steps: Steps?
    public var timescaleBand: Band?
    /// Per player `(lower, upper)`; nil ends are unbounded.
    public var weightBands: [(lower: Double?, upper: Double?)]?
    /// The equilibrium as a flat list (points, or logits, in player order), when stated.
    public var equilibrium: [Double]?
    public var equilibriumResidual: Double?
    /// Markov games: `equilibrium.branch` (`other` for the further QREs of `--equilibria all`).
    public var equilibriumBranch: String? = nil
    public var regionKind: String
    public var regionRadius: Double?
    public var basinRadius: Double?
    public var marginTolerance: Double?
    /// `margins.weighted_upper_bound` and `margins.spectral_limit` (absent in older certificates).
    public var weightedUpperBound: Double? = nil
    public var spectralLimit: Double? = nil
    /// `metric.lyapunov.cholesky`: the lower factor L of the full metric P = L Lᵀ, when stated.
    public var lyapunovCholesky: Matrix? = nil

    /// Reads a certificate file (`-` for standard input). The certificate may be one line of
    /// `sgn certify`'s NDJSON batch output (its extra `file` key is ignored).
    public static func read(path: String) throws(InputError) -> StatedCertificate {
        let display = path == "-" ? "<stdin>" : path
        let data: Data
        do {
            if path == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard FileManager.default.fileExists(atPath: path) else {
                    throw InputError(file: display, message: "no such file")
                }
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            }
        } catch let e as InputError {
            throw e
        } catch {
            throw InputError(file: display, message: "cannot read the file (\(error.localizedDescription))")
        }
        guard data.count <= InputLimits.maxFileBytes else {
            throw InputError(
                file: display, message: "file is \(data.count) bytes; the limit is \(InputLimits.maxFileBytes) bytes")
        }
        do {
            return try decode(bytes: [UInt8](data))
        } catch {
            throw error.inFile(display)
        }
    }

    /// Parses a certificate from bytes; errors carry the JSON path but no file name.
    public static func decode(bytes: [UInt8]) throws(InputError) -> StatedCertificate {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw InputError(message: "invalid JSON at \(error)")
        }
        return try decode(JSONNode(value))
    }

    /// Decodes a parsed certificate.
    public static func decode(_ root: JSONNode) throws(InputError) -> StatedCertificate {
        guard case .object = root.value else {
            throw root.fail("expected a certificate object, got \(root.value.kindName)")
        }
        let format = try root.field("certificate").string()
        guard format == "sgn/1" else {
            throw try root.field("certificate").fail(
                "unsupported certificate format \"\(format)\" (this sgn reads \"sgn/1\")")
        }
        let game = try root.field("game")
        let players = try game.field("players").array().map { n throws(InputError) in try n.string() }
        guard !players.isEmpty else { throw try game.field("players").fail("a certificate names at least one player") }
        guard Set(players).count == players.count else {
            throw try game.field("players").fail("duplicate player names")
        }
        let dimsNode = try game.field("dims")
        let dims = try dimsNode.array().map { n throws(InputError) in
            try n.integer(in: 1...InputLimits.maxPlayerDimension)
        }
        guard dims.count == players.count else {
            throw dimsNode.fail("expected \(players.count) dimensions (one per player), got \(dims.count)")
        }
        let index = Dictionary(uniqueKeysWithValues: players.enumerated().map { ($1, $0) })

        let statusNode = try root.field("status")
        guard let status = Certificate.Status(rawValue: try statusNode.string()) else {
            throw statusNode.fail("expected \"certified\" or \"not_certified\"")
        }
        let rungNode = try root.field("certified_by")
        let certifiedBy: Certificate.Rung?
        if rungNode.value == .null {
            certifiedBy = nil
        } else {
            guard let r = Certificate.Rung(rawValue: try rungNode.string()) else {
                throw rungNode.fail(
                    "expected one of \(Certificate.Rung.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")) or null"
                )
            }
            certifiedBy = r
        }
        var objective: Objective? = nil
        if let o = root.optionalField("objective"), o.value != .null {
            guard let v = Objective(rawValue: try o.string()) else { throw o.fail("unknown objective") }
            objective = v
        }

        let constants = try root.field("constants")
        let estimationNode = try constants.field("estimation")
        let estimation: Estimation
        switch try estimationNode.string() {
        case "exact": estimation = .exact
        case "sampled":
            let count = try constants.field("samples").integer(in: 1...Int(Int32.max))
            let seedNode = try constants.field("seed")
            let seedValue = try seedNode.real()
            guard seedValue >= 0, seedValue == seedValue.rounded(), let seed = UInt64(exactly: seedValue) else {
                throw seedNode.fail("expected a non-negative whole number")
            }
            estimation = .sampled(count: count, seed: seed, method: try constants.field("sampling").string())
        case "proven":
            let proof = try constants.field("proof")
            let method = try proof.field("method").string()
            var boxes: Int? = nil
            var gap: Double? = nil
            if let node = proof.optionalField("boxes"), node.value != .null {
                boxes = try node.integer(in: 1...Int(Int32.max))
            }
            if let gapNode = proof.optionalField("gap"), gapNode.value != .null {
                let g = try gapNode.real()
                guard g >= 0, g.isFinite else { throw gapNode.fail("expected a non-negative number") }
                gap = g
            }
            estimation = .proven(method: method, subBoxes: boxes, gap: gap)
        default:
            throw estimationNode.fail("expected \"exact\", \"sampled\" or \"proven\"")
        }
        let curvature = try constants.field("curvature").perPlayer(players)
        let ownSize = try constants.field("own_size").perPlayer(players)
        var coupling = [[Int: Double]](repeating: [:], count: players.count)
        for (name, row) in try constants.field("coupling").members() {
            guard let i = index[name] else { throw row.fail("unknown player \"\(name)\"") }
            for (other, v) in try row.members() {
                guard let j = index[other], j != i else { throw v.fail("unknown or self coupling \"\(other)\"") }
                coupling[i][j] = try v.real()
            }
        }
        let gain = try constants.field("gain_spectral_radius").optionalReal()
        let comparison = try constants.optionalField("comparison_min_eigenvalue")?.optionalReal()

        let marginsNode = try root.field("margins")
        var margins: [Certificate.Rung: Double] = [:]
        for rung in Certificate.Rung.allCases {
            // The full-metric rung's margin is absent from certificates that predate it.
            let node =
                rung == .lyapunov ? marginsNode.optionalField(rung.rawValue) : try marginsNode.field(rung.rawValue)
            if let v = try node?.optionalReal() { margins[rung] = v }
        }
        let weightsNode = try root.field("metric").field("weights")
        let weights = try weightsNode.perPlayer(players)

        var steps: Steps? = nil
        let stepsNode = try root.field("steps")
        if stepsNode.value != .null {
            let e = try stepsNode.field("euler")
            let r = try stepsNode.field("rk4")
            steps = Steps(
                eulerMax: try e.field("max").real(), eulerRecommended: try e.field("recommended").real(),
                eulerFactor: try e.field("factor").real(), eulerGuarantee: try e.field("guarantee").string(),
                rk4Max: try r.field("max").optionalReal(), rk4Guideline: try r.field("guideline").optionalReal(),
                rk4Guarantee: try r.field("guarantee").string())
        }

        var band: Band? = nil
        if let b = root.optionalField("timescale_band"), b.value != .null {
            guard players.count == 2 else { throw b.fail("a timescale band is stated only for two players") }
            let ratio = try b.field("ratio").string()
            guard ratio == "\(players[1])/\(players[0])" else {
                throw try b.field("ratio").fail("expected \"\(players[1])/\(players[0])\"")
            }
            band = Band(
                target: try b.optionalField("target_margin")?.real() ?? 0, lower: try b.field("lower").real(),
                upper: try b.field("upper").optionalReal(), optimum: try b.field("optimum").real())
        }
        var weightBands: [(lower: Double?, upper: Double?)]? = nil
        if let b = root.optionalField("weight_bands"), b.value != .null {
            let members = try b.members()
            var bands = [(lower: Double?, upper: Double?)](repeating: (nil, nil), count: players.count)
            guard members.map(\.key) == players else { throw b.fail("expected one entry per player, in player order") }
            for (k, (_, node)) in members.enumerated() {
                bands[k] = (try node.field("lower").optionalReal(), try node.field("upper").optionalReal())
            }
            weightBands = bands
        }

        var equilibrium: [Double]? = nil
        var residual: Double? = nil
        var branch: String? = nil
        let eq = try root.field("equilibrium")
        if eq.value != .null {
            residual = try eq.field("residual").real()
            branch = try eq.optionalField("branch")?.string()
            if let p = eq.optionalField("point") {
                let members = try p.members()
                guard members.map(\.key) == players else {
                    throw p.fail("expected one entry per player, in player order")
                }
                var flat: [Double] = []
                for (k, (_, node)) in members.enumerated() { flat += try node.reals(count: dims[k]) }
                equilibrium = flat
            } else if let l = eq.optionalField("logits") {
                let members = try l.members()
                guard members.map(\.key) == players else {
                    throw l.fail("expected one entry per player, in player order")
                }
                var flat: [Double] = []
                for (_, node) in members {
                    for state in try node.array() { flat += try state.reals(count: nil) }
                }
                equilibrium = flat
            }
        }
        let regionNode = try root.field("region")
        let regionKind = try regionNode.field("kind").string()
        let regionRadius = try regionNode.optionalField("radius")?.real()
        var basin: Double? = nil
        if let b = root.optionalField("basin"), b.value != .null { basin = try b.field("radius").real() }
        let tolerance = try root.optionalField("numerics")?.field("margin_tolerance").optionalReal()

        var stated = StatedCertificate(
            gameName: try game.field("name").string(), kind: try game.field("kind").string(),
            geometry: try game.optionalField("geometry")?.string(), players: players, dims: dims,
            status: status, certifiedBy: certifiedBy, objective: objective, estimation: estimation,
            curvature: curvature, ownSize: ownSize, coupling: coupling, gainSpectralRadius: gain,
            comparisonBound: comparison,
            margins: margins, weights: weights, contractionRate: try root.field("contraction_rate").optionalReal(),
            lipschitz: try root.field("lipschitz").optionalReal(), steps: steps, timescaleBand: band,
            weightBands: weightBands, equilibrium: equilibrium, equilibriumResidual: residual,
            regionKind: regionKind, regionRadius: regionRadius, basinRadius: basin, marginTolerance: tolerance)
        stated.equilibriumBranch = branch
        stated.weightedUpperBound = try marginsNode.optionalField("weighted_upper_bound")?.optionalReal()
        stated.spectralLimit = try marginsNode.optionalField("spectral_limit")?.optionalReal()
        if let node = try root.field("metric").optionalField("lyapunov"), node.value != .null {
            let rows = try node.field("cholesky")
            let count = try rows.array().count
            guard count == dims.reduce(0, +) else {
                throw rows.fail("expected \(dims.reduce(0, +)) rows (the state dimension)")
            }
            var l = Matrix(rows: count, cols: count)
            for (r, item) in try rows.array().enumerated() {
                let values = try item.reals(count: r + 1)
                for (c, v) in values.enumerated() { l[r, c] = v }
            }
            stated.lyapunovCholesky = l
        }
        return stated
    }
}

extension JSONNode {
    /// A required member of an object.
    func field(_ key: String) throws(InputError) -> JSONNode {
        guard case let .object(pairs) = value else { throw fail("expected an object, got \(value.kindName)") }
        guard let v = pairs.first(where: { $0.key == key })?.value else {
            throw fail("missing required key \"\(key)\"")
        }
        return child(key, v)
    }

    /// An optional member (nil when absent or when this is not an object).
    func optionalField(_ key: String) -> JSONNode? {
        guard case let .object(pairs) = value, let v = pairs.first(where: { $0.key == key })?.value else { return nil }
        return child(key, v)
    }

    /// Any finite number (certificates may hold figures outside the input limits).
    func real() throws(InputError) -> Double {
        guard case let .number(x) = value, x.isFinite else { throw fail("expected a number, got \(value.kindName)") }
        return x
    }

    /// A number or null.
    func optionalReal() throws(InputError) -> Double? {
        value == .null ? nil : try real()
    }

    /// An array of numbers (of `count` entries when given).
    func reals(count: Int?) throws(InputError) -> [Double] {
        let items = try array()
        if let count, items.count != count { throw fail("expected \(count) numbers, got \(items.count)") }
        return try items.map { n throws(InputError) in try n.real() }
    }

    /// An object with one number (or null, read as NaN) per player, keyed by name in player order.
    func perPlayer(_ players: [String]) throws(InputError) -> [Double] {
        let members = try members()
        guard members.map(\.key) == players else {
            throw fail(
                "expected one number per player (\(players.prefix(8).joined(separator: ", "))\(players.count > 8 ? ", …" : "")), in player order"
            )
        }
        // Null stands for a figure that was not computed (e.g. a game that could not be examined).
        return try members.map { m throws(InputError) in try m.node.optionalReal() ?? .nan }
    }
}
