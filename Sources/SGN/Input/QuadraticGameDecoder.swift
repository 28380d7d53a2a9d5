/// Decodes and validates `kind: "quadratic"` games (format in docs/input-format.md).
enum QuadraticGameDecoder {
    typealias Decoded = (player: QuadraticGame.Player, own: Matrix, row: [(col: Int, block: Matrix)])
    static let topKeys = ["$schema", "name", "description", "kind", "players"]
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
            let pname = try p.playerName(seen: &index, position: names.count)
            let dim = try dimension(of: p)
            total += dim
            guard total <= InputLimits.maxTotalDimension else {
                throw item.fail(
                    "the players' dimensions add up to more than the limit of \(InputLimits.maxTotalDimension)")
            }
            objects.append(p)
            names.append(pname)
            dims.append(dim)
        }

        Trace.log("decode: first pass done")
        let count = objects.count
        // Second pass: blocks and vectors, player by player. Large games decode in chunks on all
        // cores; the entry limit is checked first by a count that allocates nothing, and a game
        // over it takes the serial path, which names the block where the limit is crossed.
        var decoded: [Decoded] = []
        decoded.reserveCapacity(count)
        let context = Context(objects: objects, names: names, index: index, dims: dims)
        if count >= 8192, try context.fitsEntryLimit() {
            let chunks = Parallel.mapChunks(count: count, minimumChunk: 4096) {
                range -> Result<[Decoded], InputError> in
                var entries = 0
                var out: [Decoded] = []
                out.reserveCapacity(range.count)
                for i in range {
                    do throws(InputError) { out.append(try context.player(i, entries: &entries)) } catch {
                        return .failure(error)
                    }
                }
                return .success(out)
            }
            for chunk in chunks { decoded += try chunk.get() }
        } else {
            var entries = 0
            for i in 0..<count { decoded.append(try context.player(i, entries: &entries)) }
        }
        Trace.log("decode: second pass done")
        return QuadraticGame(
            name: name, description: description, players: decoded.map(\.player),
            jacobian: BlockMatrix(diagonal: decoded.map(\.own), offDiagonal: decoded.map(\.row)))
    }

    /// What the second pass needs from the first: the checked player objects and their names,
    /// indices and dimensions.
    private struct Context: Sendable {
        let objects: [JSONObject]
        let names: [String]
        let index: [String: Int]
        let dims: [Int]

        /// Whether the game's blocks fit `InputLimits.maxMatrixEntries`, counted from the
        /// declared shapes (unknown coupling names are left to the decoder's errors).
        func fitsEntryLimit() throws(InputError) -> Bool {
            let counts = Parallel.mapChunks(count: objects.count, minimumChunk: 4096) { range -> Int in
                var total = 0
                for i in range {
                    total += dims[i] * dims[i]
                    if let coupling = objects[i]["coupling"], case let .object(pairs) = coupling.value {
                        for (other, _) in pairs { if let j = index[other] { total += dims[i] * dims[j] } }
                    }
                    if total > InputLimits.maxMatrixEntries { break }
                }
                return total
            }
            return counts.reduce(0, +) <= InputLimits.maxMatrixEntries
        }

        /// Player i's blocks and vectors; `entries` accumulates the matrix entries allowed so far.
        func player(_ i: Int, entries: inout Int) throws(InputError) -> Decoded {
            let p = objects[i]
            let d = dims[i]
            func reserve(_ rows: Int, _ cols: Int, _ node: JSONNode) throws(InputError) {
                entries += rows * cols
                guard entries <= InputLimits.maxMatrixEntries else {
                    throw node.fail(
                        "the game's blocks need more than \(InputLimits.maxMatrixEntries) matrix "
                            + "entries (this \(rows)x\(cols) block is where the limit is crossed; a number "
                            + "stands for a full d x d block)"
                    )
                }
            }
            let hessianNode = try p.required("hessian")
            try reserve(d, d, hessianNode)
            let own = try hessianNode.matrix(rows: d, cols: d)
            var row: [(col: Int, block: Matrix)] = []
            if let couplingNode = p["coupling"] {
                for (other, node) in try couplingNode.members() {
                    guard let j = index[other] else {
                        throw node.fail(
                            "unknown player \"\(other)\" (players "
                                + "are: \(names.prefix(8).joined(separator: ", "))\(names.count > 8 ? ", …" : ""))"
                        )
                    }
                    guard j != i else {
                        throw node.fail("a player cannot be coupled to itself; put its own block in \"hessian\"")
                    }
                    try reserve(d, dims[j], node)
                    let block = try node.matrix(rows: d, cols: dims[j])
                    if !block.isZero { row.append((j, block)) }
                }
            }
            let linear = try p["linear"]?.vector(count: d, broadcast: true) ?? Array(repeating: 0, count: d)
            let lower = try p["lower"]?.vector(count: d, broadcast: true)
            let upper = try p["upper"]?.vector(count: d, broadcast: true)
            if let lo = lower, let hi = upper {
                for k in 0..<d where lo[k] > hi[k] {
                    throw try p.required("lower").fail(
                        "lower bound \(lo[k]) exceeds upper bound \(hi[k]) in coordinate \(k)")
                }
            }
            return (.init(name: names[i], dim: d, linear: linear, lower: lower, upper: upper), own, row)
        }
    }

    /// `dim` when given; otherwise the size of a matrix-valued `hessian`.
    private static func dimension(of p: JSONObject) throws(InputError) -> Int {
        if let dimNode = p["dim"] {
            return try dimNode.integer(in: 1...InputLimits.maxPlayerDimension)
        }
        let h = try p.required("hessian")
        if case let .array(rows) = h.value {
            guard !rows.isEmpty else {
                throw h.fail("expected a square matrix with at least one row, got an empty array")
            }
            guard rows.count <= InputLimits.maxPlayerDimension else {
                throw h.fail("\(rows.count) rows exceed the dimension limit of \(InputLimits.maxPlayerDimension)")
            }
            return rows.count
        }
        guard case .number = h.value else {
            throw h.fail(
                "expected a square matrix (an array of rows) or a number (c stands for c*I, with \"dim\" given), got "
                    + h.value.kindName)
        }
        throw p.node.fail(
            "missing \"dim\": \"hessian\" is a number (c stands for c*I), so the player's dimension must be given")
    }
}
