/// A square matrix partitioned into player blocks, storing only the blocks that are present.
///
/// Block (i, i) is always stored; an off-diagonal block (i, j) is stored only when player i's
/// gradient depends on player j, so a sparse coupling graph costs memory proportional to its
/// edges, never to the square of the number of players.
public struct BlockMatrix: Sendable {
    public let dims: [Int]
    /// Start of each player's coordinates in the stacked vector.
    public let offsets: [Int]
    public var diagonal: [Matrix]
    /// `offDiagonal[i]` lists the present blocks of block-row i, sorted by column player.
    public var offDiagonal: [[(col: Int, block: Matrix)]]

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
        precondition(x.count == size)
        var y = [Double](repeating: 0, count: size)
        for i in dims.indices {
            accumulate(diagonal[i], x, from: offsets[i], into: &y, at: offsets[i])
            for (j, b) in offDiagonal[i] { accumulate(b, x, from: offsets[j], into: &y, at: offsets[i]) }
        }
        return y
    }

    /// `Jᵀ x`, touching only the stored blocks.
    public func transposeTimes(_ x: [Double]) -> [Double] {
        precondition(x.count == size)
        var y = [Double](repeating: 0, count: size)
        for i in dims.indices {
            accumulateTransposed(diagonal[i], x, from: offsets[i], into: &y, at: offsets[i])
            for (j, b) in offDiagonal[i] { accumulateTransposed(b, x, from: offsets[i], into: &y, at: offsets[j]) }
        }
        return y
    }

    /// The same operator in the metric `diag(w_i I)`: block (i, j) times `√(w_i / w_j)`,
    /// i.e. `M^{1/2} J M^{-1/2}`.
    public func weighted(by w: [Double]) -> BlockMatrix {
        precondition(w.count == dims.count)
        var copy = self
        for i in dims.indices {
            copy.offDiagonal[i] = offDiagonal[i].map { ($0.col, (w[i] / w[$0.col]).squareRoot() * $0.block) }
        }
        return copy
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

    private func accumulate(_ b: Matrix, _ x: [Double], from xo: Int, into y: inout [Double], at yo: Int) {
        for c in 0..<b.cols {
            let xc = x[xo + c]
            if xc == 0 { continue }
            let base = c * b.rows
            for r in 0..<b.rows { y[yo + r] += b.values[base + r] * xc }
        }
    }

    private func accumulateTransposed(_ b: Matrix, _ x: [Double], from xo: Int, into y: inout [Double], at yo: Int) {
        for c in 0..<b.cols {
            var s = 0.0
            let base = c * b.rows
            for r in 0..<b.rows { s += b.values[base + r] * x[xo + r] }
            y[yo + c] += s
        }
    }
}
