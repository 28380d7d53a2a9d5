import Foundation

/// A square matrix partitioned into player blocks, storing only the blocks that are present.
///
/// Block (i, i) is always stored; an off-diagonal block (i, j) is stored only when player i's
/// gradient depends on player j, so a sparse coupling graph costs memory proportional to its
/// edges, never to the square of the number of players.
public struct BlockMatrix: Sendable {
    public let dims: [Int]
    /// Start of each player's coordinates in the stacked vector.
    public let offsets: [Int]
    public let diagonal: [Matrix]
    /// `offDiagonal[i]` lists the present blocks of block-row i, sorted by column player.
    public let offDiagonal: [[(col: Int, block: Matrix)]]
    /// The same blocks in flat arrays, built on the first product (iterative solvers multiply
    /// by J hundreds of times; walking arrays of matrices costs a reference count per block).
    private let flat = FlatStorage()

    /// The flat layout of the stored blocks (built once).
    var flatBlocks: FlatBlocks { flat.get(self) }

    public init(diagonal: [Matrix], offDiagonal: [[(col: Int, block: Matrix)]]) {
        precondition(diagonal.count == offDiagonal.count)
        self.dims = diagonal.map(\.rows)
        var o = [Int](repeating: 0, count: diagonal.count + 1)
        for i in diagonal.indices { o[i + 1] = o[i] + diagonal[i].rows }
        self.offsets = o
        self.diagonal = diagonal
        self.offDiagonal = offDiagonal.map { $0.sorted { $0.col < $1.col } }
    }

    public var playerCount: Int { dims.count }
    public var size: Int { offsets.last ?? 0 }
    public var storedBlockCount: Int { dims.count + offDiagonal.reduce(0) { $0 + $1.count } }

    /// `J x`, touching only the stored blocks.
    public func times(_ x: [Double]) -> [Double] {
        flatBlocks.times(rowOffset: offsets, rowDim: dims, size: size, transpose: false, x)
    }

    /// `Jᵀ x`, touching only the stored blocks.
    public func transposeTimes(_ x: [Double]) -> [Double] {
        flatBlocks.times(rowOffset: offsets, rowDim: dims, size: size, transpose: true, x)
    }

    /// The same operator in the metric `diag(w_i I)`: block (i, j) times `√(w_i / w_j)`,
    /// i.e. `M^{1/2} J M^{-1/2}`.
    public func weighted(by w: [Double]) -> BlockMatrix {
        precondition(w.count == dims.count)
        let off = dims.indices.map { i in
            offDiagonal[i].map { (col: $0.col, block: (w[i] / w[$0.col]).squareRoot() * $0.block) }
        }
        return BlockMatrix(diagonal: diagonal, offDiagonal: off)
    }

    /// The principal block submatrix of the players `members` (in that order, renumbered 0…).
    public func restricted(to members: [Int]) -> BlockMatrix {
        var position = [Int: Int]()
        for (k, i) in members.enumerated() { position[i] = k }
        let off = members.map { i in
            offDiagonal[i].compactMap { b in position[b.col].map { (col: $0, block: b.block) } }
        }
        return BlockMatrix(diagonal: members.map { diagonal[$0] }, offDiagonal: off)
    }

    /// `weighted(by: w).dense()` without building the weighted block matrix (the weight search
    /// of small games calls this hundreds of times per game).
    public func dense(weightedBy w: [Double]) -> Matrix {
        precondition(w.count == dims.count)
        var m = Matrix(rows: size, cols: size)
        for i in dims.indices {
            m.setBlock(diagonal[i], row: offsets[i], col: offsets[i])
            for (j, b) in offDiagonal[i] {
                m.setBlock(b, row: offsets[i], col: offsets[j], scale: (w[i] / w[j]).squareRoot())
            }
        }
        return m
    }

    /// The dense matrix. Only for small games: O(n²) memory.
    public func dense() -> Matrix {
        var m = Matrix(rows: size, cols: size)
        for i in dims.indices {
            m.setBlock(diagonal[i], row: offsets[i], col: offsets[i])
            for (j, b) in offDiagonal[i] { m.setBlock(b, row: offsets[i], col: offsets[j]) }
        }
        return m
    }
}

/// Flat copy of a block matrix's stored blocks: per block-row the range of its blocks (the own
/// block first), per block its column offset, width and where its column-major values start.
struct FlatBlocks: Sendable {
    var rowStart: [Int] = []
    var colOffset: [Int] = []
    var colDim: [Int] = []
    var valueStart: [Int] = []
    var values: [Double] = []
    /// Column player of each block.
    var colPlayer: [Int32] = []
    /// Off-diagonal blocks by column player: `incoming[incomingStart[c] ..< incomingStart[c + 1]]`
    /// are the blocks (r, c), r ≠ c, in increasing r.
    var incomingStart: [Int] = []
    var incoming: [Int32] = []

    init(_ m: BlockMatrix) {
        let n = m.playerCount
        rowStart.reserveCapacity(n + 1)
        rowStart.append(0)
        func add(_ b: Matrix, col: Int) {
            colPlayer.append(Int32(col))
            colOffset.append(m.offsets[col])
            colDim.append(m.dims[col])
            valueStart.append(values.count)
            values.append(contentsOf: b.values)
        }
        for i in 0..<n {
            add(m.diagonal[i], col: i)
            for (j, b) in m.offDiagonal[i] { add(b, col: j) }
            rowStart.append(colOffset.count)
        }
        // Counting sort of the off-diagonal blocks by column (rows come out increasing).
        incomingStart = [Int](repeating: 0, count: n + 1)
        for i in 0..<n { for b in (rowStart[i] + 1)..<rowStart[i + 1] { incomingStart[Int(colPlayer[b]) + 1] += 1 } }
        for c in 0..<n { incomingStart[c + 1] += incomingStart[c] }
        var fill = incomingStart
        incoming = [Int32](repeating: 0, count: incomingStart[n])
        for i in 0..<n {
            for b in (rowStart[i] + 1)..<rowStart[i + 1] {
                let c = Int(colPlayer[b])
                incoming[fill[c]] = Int32(b)
                fill[c] += 1
            }
        }
    }

    /// Block b as a matrix of `rows` rows.
    func block(_ b: Int, rows: Int) -> Matrix {
        let start = valueStart[b]
        return Matrix(rows: rows, cols: colDim[b], values: Array(values[start..<(start + rows * colDim[b])]))
    }
}

/// Builds `FlatBlocks` once, on first use, shared by copies of the (immutable) block matrix.
struct FlatStorage: Sendable {
    private let built = Locked<FlatBlocks?>(nil)

    func get(_ m: BlockMatrix) -> FlatBlocks {
        built.withLock { built in
            if let built { return built }
            let f = FlatBlocks(m)
            built = f
            return f
        }
    }
}
