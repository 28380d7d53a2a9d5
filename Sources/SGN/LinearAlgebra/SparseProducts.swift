// The two sparse matrix–vector products every iterative method runs: they read their index
// arrays through unchecked buffers to run at memory speed, so they are, besides
// `LAPACK.swift`, the only code that touches unsafe pointers (docs/architecture.md).

extension CollatzWielandt.Rows {
    /// `y = D x + A x` for the diagonal `D` plus the compressed sparse rows `A`: the inner loop
    /// of every iterative method on comparison matrices.
    public func times(_ x: [Double]) -> [Double] {
        let d = diagonal
        precondition(
            x.count == d.count && rowStart.count == d.count + 1 && cols.count == vals.count
                && (rowStart.last ?? 0) <= cols.count)
        var y = [Double](repeating: 0, count: d.count)
        d.withUnsafeBufferPointer { d in
            rowStart.withUnsafeBufferPointer { rs in
                cols.withUnsafeBufferPointer { c in
                    vals.withUnsafeBufferPointer { a in
                        x.withUnsafeBufferPointer { x in
                            y.withUnsafeMutableBufferPointer { out in
                                for i in 0..<d.count {
                                    var s = d[i] * x[i]
                                    for k in rs[i]..<rs[i + 1] { s += a[k] * x[Int(c[k])] }
                                    out[i] = s
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }
}

extension FlatBlocks {
    /// `y = A x` (or `Aᵀ x`) for a block-sparse matrix in the flat layout of `FlatBlocks`:
    /// block-row i covers `rowOffset[i] ..< rowOffset[i] + rowDim[i]` and owns blocks
    /// `rowStart[i] ..< rowStart[i + 1]`; block b multiplies coordinates
    /// `colOffset[b] ..< colOffset[b] + colDim[b]` and stores its values column-major from
    /// `valueStart[b]`.
    func times(rowOffset: [Int], rowDim: [Int], size: Int, transpose: Bool, _ x: [Double]) -> [Double] {
        let f = self
        precondition(x.count == size && rowOffset.count >= rowDim.count && f.rowStart.count == rowDim.count + 1)
        for i in 0..<rowDim.count { precondition(rowOffset[i] + rowDim[i] <= size) }
        for b in f.colOffset.indices {
            precondition(f.colOffset[b] + f.colDim[b] <= size && f.valueStart[b] >= 0)
        }
        var y = [Double](repeating: 0, count: size)
        f.rowStart.withUnsafeBufferPointer { rs in
            f.colOffset.withUnsafeBufferPointer { co in
                f.colDim.withUnsafeBufferPointer { cd in
                    f.valueStart.withUnsafeBufferPointer { vs in
                        f.values.withUnsafeBufferPointer { v in
                            x.withUnsafeBufferPointer { x in
                                y.withUnsafeMutableBufferPointer { y in
                                    for i in 0..<rowDim.count {
                                        let ro = rowOffset[i]
                                        let di = rowDim[i]
                                        for b in rs[i]..<rs[i + 1] {
                                            let o = co[b]
                                            let dc = cd[b]
                                            let base = vs[b]
                                            precondition(base + di * dc <= v.count)
                                            if transpose {
                                                Self.blockTransposeTimes(v, base, di, dc, x, ro, y, o)
                                            } else {
                                                Self.blockTimes(v, base, di, dc, x, o, y, ro)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return y
    }

    /// `y[yo ..< yo+rows] += B x[xo ..< xo+cols]` for the column-major block B at `v[base...]`
    /// (2×2, the blocks of most network games, unrolled).
    @inline(__always) private static func blockTimes(
        _ v: UnsafeBufferPointer<Double>, _ base: Int, _ rows: Int, _ cols: Int,
        _ x: UnsafeBufferPointer<Double>, _ xo: Int,
        _ y: UnsafeMutableBufferPointer<Double>, _ yo: Int
    ) {
        if rows == 2 && cols == 2 {
            let x0: Double = x[xo]
            let x1: Double = x[xo + 1]
            let s0: Double = v[base] * x0 + v[base + 2] * x1
            let s1: Double = v[base + 1] * x0 + v[base + 3] * x1
            y[yo] += s0
            y[yo + 1] += s1
            return
        }
        var start = base
        for c in 0..<cols {
            let xc = x[xo + c]
            for r in 0..<rows { y[yo + r] += v[start + r] * xc }
            start += rows
        }
    }

    /// `y[yo ..< yo+cols] += Bᵀ x[xo ..< xo+rows]` for the same block layout.
    @inline(__always) private static func blockTransposeTimes(
        _ v: UnsafeBufferPointer<Double>, _ base: Int, _ rows: Int,
        _ cols: Int, _ x: UnsafeBufferPointer<Double>, _ xo: Int,
        _ y: UnsafeMutableBufferPointer<Double>, _ yo: Int
    ) {
        if rows == 2 && cols == 2 {
            let x0: Double = x[xo]
            let x1: Double = x[xo + 1]
            let s0: Double = v[base] * x0 + v[base + 1] * x1
            let s1: Double = v[base + 2] * x0 + v[base + 3] * x1
            y[yo] += s0
            y[yo + 1] += s1
            return
        }
        var start = base
        for c in 0..<cols {
            var s = 0.0
            for r in 0..<rows { s += v[start + r] * x[xo + r] }
            y[yo + c] += s
            start += rows
        }
    }
}
