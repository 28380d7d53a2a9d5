/// Decodes and validates `kind: "quadratic"` games (format in docs/input-format.md).
enum QuadraticGameDecoder {
    static let topKeys = ["name", "description", "kind", "players"]
    static let playerKeys = ["name", "dim", "hessian", "coupling", "linear", "lower", "upper"]

    static func decode(_ root: JSONObject, defaultName: String) throws(InputError) -> QuadraticGame {
        let name = try root["name"]?.string() ?? defaultName
        let description = try root["description"]?.string()
        let playersNode = try root.required("players")
        let items = try playersNode.array()
        guard !items.isEmpty else { throw playersNode.fail("a game needs at least one player, got an empty array") }
        guard items.count <= InputLimits.maxPlayers else {
            throw playersNode.fail("\(items.count) players exceed the limit of \(InputLimits.maxPlayers)")
        }

        // First pass: names and dimensions, so couplings can be checked against them.
        var objects: [JSONObject] = []
        var names: [String] = []
        var index: [String: Int] = [:]
        var dims: [Int] = []
        var total = 0
        objects.reserveCapacity(items.count)
        for item in items {
            let p = try item.object(allowed: playerKeys)
            let nameNode = try p.required("name")
            let pname = try nameNode.string()
            guard !pname.isEmpty else { throw nameNode.fail("player names must be non-empty") }
            if let other = index[pname] {
                throw nameNode.fail("duplicate player name \"\(pname)\" (also players[\(other)])")
            }
            index[pname] = names.count
            let dim = try dimension(of: p)
            total += dim
            guard total <= InputLimits.maxTotalDimension else {
                throw item.fail("the players' dimensions add up to more than the limit of \(InputLimits.maxTotalDimension)")
            }
            objects.append(p)
            names.append(pname)
            dims.append(dim)
        }

        Trace.log("decode: first pass done")
        var players: [QuadraticGame.Player] = []
        var diagonal: [Matrix] = []
        var offDiagonal: [[(col: Int, block: Matrix)]] = []
        players.reserveCapacity(items.count)
        var entries = 0
        func reserve(_ rows: Int, _ cols: Int, _ node: JSONNode) throws(InputError) {
            entries += rows * cols
            guard entries <= InputLimits.maxMatrixEntries else {
                throw node.fail("the game's blocks need more than \(InputLimits.maxMatrixEntries) matrix entries (this \(rows)x\(cols) block is where the limit is crossed; a number stands for a full d x d block)")
            }
        }
        for (i, p) in objects.enumerated() {
            let d = dims[i]
            let hessianNode = try p.required("hessian")
            try reserve(d, d, hessianNode)
            diagonal.append(try hessianNode.matrix(rows: d, cols: d))
            var row: [(col: Int, block: Matrix)] = []
            if let couplingNode = p["coupling"] {
                for (other, node) in try couplingNode.members() {
                    guard let j = index[other] else {
                        throw node.fail("unknown player \"\(other)\" (players are: \(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : ""))")
                    }
                    guard j != i else { throw node.fail("a player cannot be coupled to itself; put its own block in \"hessian\"") }
                    try reserve(d, dims[j], node)
                    let block = try node.matrix(rows: d, cols: dims[j])
                    if !block.isZero { row.append((j, block)) }
                }
            }
            offDiagonal.append(row)
            let linear = try p["linear"]?.vector(count: d, broadcast: true) ?? Array(repeating: 0, count: d)
            let lower = try p["lower"]?.vector(count: d, broadcast: true)
            let upper = try p["upper"]?.vector(count: d, broadcast: true)
            if let lo = lower, let hi = upper {
                for k in 0..<d where lo[k] > hi[k] {
                    throw try p.required("lower").fail("lower bound \(lo[k]) exceeds upper bound \(hi[k]) in coordinate \(k)")
                }
            }
            players.append(.init(name: names[i], dim: d, linear: linear, lower: lower, upper: upper))
        }
        Trace.log("decode: second pass done")
        return QuadraticGame(name: name, description: description, players: players,
                             jacobian: BlockMatrix(diagonal: diagonal, offDiagonal: offDiagonal))
    }

    /// `dim` when given; otherwise the size of a matrix-valued `hessian`.
    private static func dimension(of p: JSONObject) throws(InputError) -> Int {
        if let dimNode = p["dim"] {
            return try dimNode.integer(in: 1...InputLimits.maxPlayerDimension)
        }
        let h = try p.required("hessian")
        if case let .array(rows) = h.value {
            guard !rows.isEmpty else { throw h.fail("expected a square matrix with at least one row, got an empty array") }
            guard rows.count <= InputLimits.maxPlayerDimension else {
                throw h.fail("\(rows.count) rows exceed the dimension limit of \(InputLimits.maxPlayerDimension)")
            }
            return rows.count
        }
        throw p.node.fail("missing \"dim\" (needed when \"hessian\" is a number)")
    }
}
