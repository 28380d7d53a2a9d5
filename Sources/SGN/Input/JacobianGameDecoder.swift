import Foundation

/// Decodes and validates `kind: "jacobians"` games (format in docs/jacobian-games.md).
enum JacobianGameDecoder {
    static let topKeys = [
        "$schema", "kind", "name", "description", "players", "jacobians", "enclosure", "constants", "equilibrium",
        "region",
    ]
    static let playerKeys = ["name", "dim"]
    /// Keys of one point's block constants (`constants[k]`).
    static let constantKeys = ["curvature", "own_size", "coupling"]
    /// Relative slack in the consistency check |μ_i| ≤ ℓ_i of given constants (estimates of the
    /// same block from two Lanczos runs may disagree in the last digits).
    static let constantsConsistency = Tolerance.givenConstantsRelative
    /// Largest Σ d_i of a sampled game (dense n×n samples).
    static let maxOrder = Limits.denseOrder
    /// Largest number of stored Jacobian entries, S·n², over all samples (16 Mi doubles, 128 MiB).
    static let maxEntries = Limits.sampledJacobianEntries

    /// - Parameter directory: where sidecar paths are resolved (the JSON file's directory).
    static func decode(_ node: JSONNode, defaultName: String, directory: String) throws(InputError)
        -> JacobianSampleGame
    {
        let root = try node.object(allowed: topKeys)
        let name = try root["name"]?.string() ?? defaultName
        _ = try root["description"]?.string()
        let playersNode = try root.required("players")
        let items = try playersNode.array()
        guard !items.isEmpty else { throw playersNode.fail("a game needs at least one player, got an empty array") }
        var names: [String] = []
        var dims: [Int] = []
        var index: [String: Int] = [:]
        var n = 0
        for item in items {
            let p = try item.object(allowed: playerKeys)
            let pname = try p.playerName(seen: &index, position: names.count)
            let dim = try p.required("dim").integer(in: 1...InputLimits.maxPlayerDimension)
            n += dim
            // Block constants carry no n×n matrices: the dense limit does not apply to them.
            guard n <= maxOrder || root["constants"] != nil else {
                throw item.fail(
                    "the players' dimensions add up to more than \(maxOrder), the limit for a game "
                        + "given by dense Jacobians"
                )
            }
            names.append(pname)
            dims.append(dim)
        }

        var samples: [Matrix] = []
        var source = "inline"
        if let jn = root["jacobians"] {
            (samples, source) = try matrices(jn, n: n, directory: directory, allowSingle: false)
            guard !samples.isEmpty else { throw jn.fail("expected at least one Jacobian, got none") }
        }
        var enclosure: JacobianEnclosure?
        if let en = root["enclosure"] {
            guard n <= JacobianEnclosure.maxOrder else {
                throw en.fail(
                    "an enclosure is limited to \(JacobianEnclosure.maxOrder) coordinates in all "
                        + "(the proofs factor dense matrices); this game has \(n)"
                )
            }
            let e = try en.object(allowed: ["lower", "upper"])
            let lowerNode = try e.required("lower")
            let upperNode = try e.required("upper")
            let (lo, loSource) = try matrices(lowerNode, n: n, directory: directory, allowSingle: true)
            let (hi, hiSource) = try matrices(upperNode, n: n, directory: directory, allowSingle: true)
            guard lo.count == 1 else { throw lowerNode.fail("expected one \(n)x\(n) matrix, got \(lo.count)") }
            guard hi.count == 1 else { throw upperNode.fail("expected one \(n)x\(n) matrix, got \(hi.count)") }
            for c in 0..<n {
                for r in 0..<n where lo[0][r, c] > hi[0][r, c] {
                    throw en.fail("lower[\(r)][\(c)] = \(lo[0][r, c]) exceeds upper[\(r)][\(c)] = \(hi[0][r, c])")
                }
            }
            for (k, s) in samples.enumerated() {
                if let (r, c) = JacobianEnclosure.contains(lower: lo[0], upper: hi[0], s) {
                    throw (root["jacobians"] ?? en).fail(
                        "Jacobian \(k) entry [\(r)][\(c)] = \(s[r, c]) lies outside the enclosure "
                            + "[\(lo[0][r, c]), \(hi[0][r, c])]"
                    )
                }
            }
            enclosure = JacobianEnclosure(lower: lo[0], upper: hi[0], dims: dims)
            if source == "inline" && (loSource != "inline" || hiSource != "inline") {
                source = [loSource, hiSource].joined(separator: ", ")
            }
        }
        var constants: [BlockConstants] = []
        if let cn = root["constants"] {
            guard root["jacobians"] == nil && root["enclosure"] == nil else {
                throw cn.fail(
                    "\"constants\" cannot be combined with \"jacobians\" or \"enclosure\": give the "
                        + "Jacobians or their block constants, not both"
                )
            }
            let points = try cn.array()
            guard !points.isEmpty else { throw cn.fail("expected at least one point's block constants, got none") }
            constants = try points.map { p throws(InputError) in try pointConstants(p, names: names, index: index) }
        }
        guard !samples.isEmpty || enclosure != nil || !constants.isEmpty else {
            throw node.fail(
                "missing required key \"jacobians\" (sample Jacobians), \"enclosure\" "
                    + "(lower/upper bounds) or \"constants\" (block constants per sample point)"
            )
        }

        var equilibrium: [[Double]]?
        if let eq = root["equilibrium"] {
            let members = try eq.members()
            var points = [[Double]?](repeating: nil, count: names.count)
            for (key, value) in members {
                guard let i = index[key] else {
                    throw value.fail(
                        "unknown player \"\(key)\" (players: \(names.map { "\"\($0)\"" }.joined(separator: ", ")))")
                }
                points[i] = try value.vector(count: dims[i])
            }
            if let missing = points.firstIndex(where: { $0 == nil }) {
                throw eq.fail("missing the point of player \"\(names[missing])\"")
            }
            equilibrium = points.map { $0! }
        }
        var region: JSONValue?
        if let r = root["region"] {
            guard case .object = r.value else {
                throw r.fail("expected an object describing the region, got \(r.value.kindName)")
            }
            region = r.value
        }
        return JacobianSampleGame(
            name: name, playerNames: names, dims: dims,
            samples: samples.map { JacobianSampleGame.blocks($0, dims: dims) }, enclosure: enclosure,
            constants: constants, source: source, statedEquilibrium: equilibrium, regionDetails: region)
    }

    /// One sample point's block constants: `curvature` and `own_size` for every player,
    /// `coupling` (optional, absent pairs are 0) as `{player: {other: L}}`.
    static func pointConstants(_ node: JSONNode, names: [String], index: [String: Int]) throws(InputError)
        -> BlockConstants
    {
        let o = try node.object(allowed: constantKeys)
        let known = names.map { "\"\($0)\"" }.joined(separator: ", ")
        func perPlayer(_ key: String, nonNegative: Bool) throws(InputError) -> [Double] {
            let field = try o.required(key)
            var values = [Double?](repeating: nil, count: names.count)
            for (player, value) in try field.members() {
                guard let i = index[player] else {
                    throw value.fail("unknown player \"\(player)\" (players: \(known))")
                }
                let x = try value.number()
                if nonNegative && x < 0 { throw value.fail("expected a norm (>= 0), got \(x)") }
                values[i] = x
            }
            if let missing = values.firstIndex(where: { $0 == nil }) {
                throw field.fail("missing the value of player \"\(names[missing])\"")
            }
            return values.map { $0! }
        }
        let mu = try perPlayer("curvature", nonNegative: false)
        let ell = try perPlayer("own_size", nonNegative: true)
        for i in names.indices where abs(mu[i]) > ell[i] * (1 + constantsConsistency) {
            throw node.fail(
                "player \"\(names[i])\": |curvature| = \(abs(mu[i])) exceeds own_size "
                    + "= \(ell[i]), impossible since |lambda_min(sym J_ii)| <= ||J_ii||"
            )
        }
        var coupling = [[(col: Int, value: Double)]](repeating: [], count: names.count)
        if let cn = o["coupling"] {
            for (player, row) in try cn.members() {
                guard let i = index[player] else { throw row.fail("unknown player \"\(player)\" (players: \(known))") }
                for (other, value) in try row.members() {
                    guard let j = index[other] else {
                        throw value.fail("unknown player \"\(other)\" (players: \(known))")
                    }
                    guard j != i else { throw value.fail("a player's own block is own_size, not a coupling") }
                    let x = try value.number()
                    guard x >= 0 else { throw value.fail("expected a norm (>= 0), got \(x)") }
                    if x > 0 { coupling[i].append((j, x)) }
                }
                coupling[i].sort { $0.col < $1.col }
            }
        }
        return BlockConstants(curvature: mu, ownSize: ell, coupling: coupling)
    }

    /// n×n matrices given inline (an array of matrices, or one matrix when `allowSingle`) or as
    /// a sidecar reference `{"file": …, "tensor": …}` of shape (S, n, n) or (n, n).
    static func matrices(_ node: JSONNode, n: Int, directory: String, allowSingle: Bool) throws(InputError) -> (
        [Matrix], String
    ) {
        switch node.value {
        case .object:
            let ref = try node.object(allowed: ["file", "tensor"])
            let fileNode = try ref.required("file")
            let file = try fileNode.string()
            guard !file.isEmpty else { throw fileNode.fail("expected a file name, got an empty string") }
            let tensor = try ref["tensor"]?.string()
            let path = file.hasPrefix("/") ? file : URL(fileURLWithPath: directory).appendingPathComponent(file).path
            let t: TensorFile.Tensor
            do { t = try TensorFile.read(path: path, tensor: tensor, display: file) } catch {
                throw fileNode.fail(error.message)
            }
            let label = tensor.map { "\(file), tensor \"\($0)\"" } ?? file
            let count: Int
            switch t.shape.count {
            case 3 where t.shape[1] == n && t.shape[2] == n: count = t.shape[0]
            case 2 where t.shape[0] == n && t.shape[1] == n: count = 1
            default:
                throw fileNode.fail(
                    "\(label): shape \(t.shape) does not fit \(n)x\(n) Jacobians: expected (S, \(n),"
                        + " \(n)) or (\(n), \(n))"
                )
            }
            guard count >= 1 else { throw fileNode.fail("\(label): holds no Jacobians (shape \(t.shape))") }
            guard count * n * n <= maxEntries else {
                throw fileNode.fail(
                    "\(label): \(count) Jacobians of \(n)x\(n) exceed the limit of \(maxEntries) entries")
            }
            for (k, x) in t.values.enumerated() where !JSONNode.acceptable(x) {
                throw fileNode.fail(
                    "\(label): value \(x) at flat index \(k) is outside the accepted magnitudes (0, "
                        + "or \(InputLimits.minMagnitude) to \(InputLimits.maxMagnitude))"
                )
            }
            // Row-major (C order) n×n slices into column-major matrices.
            var out: [Matrix] = []
            out.reserveCapacity(count)
            for s in 0..<count {
                var m = Matrix(rows: n, cols: n)
                let base = s * n * n
                for r in 0..<n { for c in 0..<n { m[r, c] = t.values[base + r * n + c] } }
                out.append(m)
            }
            return (out, label)
        case let .array(items):
            // One matrix (array of rows of numbers) or an array of matrices.
            let isSingle =
                items.first.map {
                    if case let .array(row) = $0, let first = row.first, case .number = first { true } else { false }
                } ?? false
            if isSingle {
                guard allowSingle else {
                    throw node.fail("expected an array of \(n)x\(n) matrices, got one matrix (wrap it in [ ])")
                }
                return ([try node.matrix(rows: n, cols: n)], "inline")
            }
            guard items.count * n * n <= maxEntries else {
                throw node.fail("\(items.count) Jacobians of \(n)x\(n) exceed the limit of \(maxEntries) entries")
            }
            var out: [Matrix] = []
            for (k, item) in items.enumerated() { out.append(try node.element(k, item).matrix(rows: n, cols: n)) }
            return (out, "inline")
        default:
            throw node.fail(
                "expected \(allowSingle ? "an \(n)x\(n) matrix" : "an array of \(n)x\(n) matrices") "
                    + "or a sidecar reference {\"file\": ...}, got \(node.value.kindName)"
            )
        }
    }
}
