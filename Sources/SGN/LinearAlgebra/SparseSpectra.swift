/// Iterative spectral bounds and estimates for block-sparse matrices too large to factor densely.
///
/// What is proven and what is estimated (docs/performance.md):
/// - `smallestSymmetricEigenvalue` returns a **proven lower bound** on `λmin(sym J)`: the block
///   comparison matrix `C` of `sym J` (diagonal `λmin(sym J_ii)`, off-diagonal
///   `−‖(J_ij + J_jiᵀ)/2‖`) satisfies `λmin(sym J) ≥ λmin(C)`, and `λmin(C)` is bounded below
///   by Collatz–Wielandt from a Lanczos approximation of C's Perron vector. Rounding of every
///   step is covered by explicit allowances.
/// - `spectralNormUpperBound` returns a **proven upper bound** on `‖J‖₂`: `‖J‖ ≤ ‖B‖` for the
///   nonnegative matrix of block norms `B_ij = ‖J_ij‖`, and `‖B‖² = ρ(BᵀB)` is bounded above by
///   Collatz–Wielandt from a Lanczos approximation of its Perron vector.
/// - `smallestSymmetricEigenvalueEstimate` / `spectralNormEstimate` run Lanczos on the full
///   coordinate-level operator; they are estimates (a Ritz value and its residual), reported
///   for information and never used to certify.
public enum SparseSpectra {
    /// Proven lower bound on `λmin(sym J_w)` for `J_w = W^{1/2} J W^{-1/2}` (weights `w`, nil
    /// for the identity; see the type's documentation). `start` is a guess of the block-level
    /// Perron vector (e.g. from the comparison matrix at the same weights); it only saves
    /// iterations.
    public static func smallestSymmetricEigenvalue(
        _ j: BlockMatrix, weights w: [Double]? = nil,
        start: [Double]? = nil
    ) throws -> Double {
        Trace.log("comparison of sym J: building")
        let c = try comparisonOfSymmetricPart(j, weights: w)
        Trace.log("comparison of sym J: built")
        if c.count == 1 { return c.diagonal[0] }
        let pair = try Krylov.lanczos(n: c.count, start: start ?? [Double](repeating: 1, count: c.count)) {
            c.times($0)
        }
        return CollatzWielandt.lowerBound(c, pair)
    }

    /// Proven upper bound on `‖J_w‖₂` (see the type's documentation).
    public static func spectralNormUpperBound(_ j: BlockMatrix, weights w: [Double]? = nil) throws -> Double {
        let b = try blockNorms(j, weights: w)
        if b.count == 1 { return b.diagonal[0] }
        let bt = b.transposed()
        let pair = try Krylov.lanczos(n: b.count, largest: true, start: [Double](repeating: 1, count: b.count)) {
            bt.times(b.times($0))
        }
        var best = normBound(b, bt, pair.vector)
        // Verified shift: v = (uI − BᵀB)⁻¹ 1 > 0 for u just above the Ritz value gives a vector
        // with no tiny entries, so the Collatz–Wielandt bound lands just below u.
        var delta = Tolerance.verifiedShiftRelative
        for _ in 0..<6 {
            let u = pair.value * (1 + delta) + pair.residual
            // Warm start along the Ritz vector, as in `CollatzWielandt.lowerBound`.
            let v = Krylov.conjugateGradient(
                b: [Double](repeating: 1, count: b.count),
                start: Krylov.shiftedSolveStart(pair.vector, gap: u - pair.value)
            ) { x in
                let c = bt.times(b.times(x))
                return zip(x, c).map { u * $0 - $1 }
            }
            if v.allSatisfy({ $0 > 0 }) {
                let bound = normBound(b, bt, v)
                best = min(best, bound)
                if bound <= u { break }
            }
            delta *= 10
        }
        return best.squareRoot()
    }

    /// Lanczos estimate of `λmin(sym J)` on the full operator, with its residual.
    public static func smallestSymmetricEigenvalueEstimate(_ j: BlockMatrix, maxProducts: Int = Limits.roughProducts)
        throws
        -> Krylov.Eigenpair
    {
        try Krylov.lanczos(n: j.size, maxProducts: maxProducts) { x in
            var y = j.times(x)
            let t = j.transposeTimes(x)
            for k in y.indices { y[k] = 0.5 * (y[k] + t[k]) }
            return y
        }
    }

    /// Lanczos estimate of `‖J‖₂` (square root of the largest Ritz value of JᵀJ).
    public static func spectralNormEstimate(_ j: BlockMatrix, maxProducts: Int = Limits.roughProducts) throws -> Double
    {
        let pair = try Krylov.lanczos(n: j.size, largest: true, maxProducts: maxProducts) {
            j.transposeTimes(j.times($0))
        }
        return max(0, pair.value).squareRoot()
    }

    // MARK: block comparison matrices

    /// The symmetric Z-matrix `C` of `sym J` at block level, rounded so that
    /// `λmin(sym J) ≥ λmin(C)` holds for the computed entries.
    static func comparisonOfSymmetricPart(_ j: BlockMatrix, weights w: [Double]? = nil) throws -> CollatzWielandt.Rows {
        let n = j.playerCount
        let f = j.flatBlocks
        // Each row's entries come from merging its outgoing blocks (i, c) (sorted by c) with its
        // incoming blocks (c, i) (sorted by c): pairs {i, c} get −‖(J_ic + J_ciᵀ)/2‖ in J_w.
        typealias Part = (mu: [Double], count: [Int], cols: [Int32], vals: [Double])
        let parts = Parallel.mapChunks(count: n, minimumChunk: 8192) { range -> Result<Part, Error> in
            Result {
                var part: Part = ([], [], [], [])
                part.mu.reserveCapacity(range.count)
                part.count.reserveCapacity(range.count)
                for i in range {
                    let di = j.dims[i]
                    let h = j.diagonal[i]
                    part.mu.append(
                        try SmallBlock.lambdaMinSymmetric(h) - Tolerance.blockRoundoff * Double(di)
                            * (try SmallBlock.norm(h)))
                    var a = f.rowStart[i] + 1
                    let aEnd = f.rowStart[i + 1]
                    var b = f.incomingStart[i]
                    let bEnd = f.incomingStart[i + 1]
                    var count = 0
                    while a < aEnd || b < bEnd {
                        let ca = a < aEnd ? Int(f.colPlayer[a]) : Int.max
                        let rowOfB = b < bEnd ? rowPlayer(f, Int(f.incoming[b])) : Int.max
                        let col: Int
                        var first: Int? = nil
                        var second: Int? = nil
                        if ca == rowOfB {
                            first = a
                            second = Int(f.incoming[b])
                            col = ca
                            a += 1
                            b += 1
                        } else if ca < rowOfB {
                            first = a
                            col = ca
                            a += 1
                        } else {
                            second = Int(f.incoming[b])
                            col = rowOfB
                            b += 1
                        }
                        let dc = j.dims[col]
                        // J_w's blocks: (i, c) scaled by √(w_i/w_c), (c, i) by √(w_c/w_i).
                        let r = w.map { ($0[i] / $0[col]).squareRoot() } ?? 1
                        let norm = try normOfHalfSum(f, first, 0.5 * r, second, 0.5 / r, rows: di, cols: dc)
                        let v = norm * (1 + Tolerance.blockRoundoff * Double(max(di, dc)))
                        if v > 0 {
                            part.cols.append(Int32(col))
                            part.vals.append(-v)
                            count += 1
                        }
                    }
                    part.count.append(count)
                }
                return part
            }
        }
        var diagonal: [Double] = []
        var rowStart = [0]
        var cols: [Int32] = []
        var vals: [Double] = []
        diagonal.reserveCapacity(n)
        rowStart.reserveCapacity(n + 1)
        for part in parts {
            let p = try part.get()
            diagonal += p.mu
            for c in p.count { rowStart.append(rowStart.last! + c) }
            cols += p.cols
            vals += p.vals
        }
        return CollatzWielandt.Rows(diagonal: diagonal, rowStart: rowStart, cols: cols, vals: vals)
    }

    /// The block-row (player) of flat block `b`.
    private static func rowPlayer(_ f: FlatBlocks, _ b: Int) -> Int {
        // rowStart is increasing: binary search for the last row starting at or before b.
        var lo = 0
        var hi = f.rowStart.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if f.rowStart[mid] <= b { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// `‖s·A + t·Bᵀ‖₂` for the flat blocks A = (i, c) (rows × cols) and B = (c, i), either
    /// possibly absent; 1×1 and 2×2 in closed form.
    private static func normOfHalfSum(
        _ f: FlatBlocks, _ a: Int?, _ s: Double, _ b: Int?, _ t: Double,
        rows: Int, cols: Int
    ) throws -> Double {
        if rows == 1 && cols == 1 {
            return abs(
                s * (a.map { f.values[f.valueStart[$0]] } ?? 0) + t * (b.map { f.values[f.valueStart[$0]] } ?? 0))
        }
        if rows == 2 && cols == 2 {
            var x0 = 0.0
            var x1 = 0.0
            var x2 = 0.0
            var x3 = 0.0
            if let a {
                let o = f.valueStart[a]
                x0 = s * f.values[o]
                x1 = s * f.values[o + 1]
                x2 = s * f.values[o + 2]
                x3 = s * f.values[o + 3]
            }
            if let b {
                // Bᵀ column-major = B's rows: entries 0, 2, 1, 3.
                let o = f.valueStart[b]
                x0 += t * f.values[o]
                x1 += t * f.values[o + 2]
                x2 += t * f.values[o + 1]
                x3 += t * f.values[o + 3]
            }
            return SmallBlock.norm2x2(x0, x1, x2, x3)
        }
        return try SmallBlock.normOfSum(a.map { f.block($0, rows: rows) }, s, b.map { f.block($0, rows: cols) }, t)
    }

    /// The nonnegative matrix of block norms `B_ij = ‖J_ij‖` (rounded up).
    static func blockNorms(_ j: BlockMatrix, weights w: [Double]? = nil) throws -> CollatzWielandt.Rows {
        typealias Row = (diag: Double, off: [(col: Int, value: Double)])
        let chunks = Parallel.mapChunks(count: j.playerCount, minimumChunk: 8192) { range -> Result<[Row], Error> in
            Result {
                try range.map { i -> Row in
                    func up(_ m: Matrix) throws -> Double {
                        try SmallBlock.norm(m) * (1 + Tolerance.blockRoundoff * Double(max(m.rows, m.cols)))
                    }
                    // ‖√(w_i/w_c) J_ic‖ = √(w_i/w_c)‖J_ic‖; the extra rounding of the product is
                    // within the same allowance.
                    return (
                        try up(j.diagonal[i]),
                        try j.offDiagonal[i].map { e in
                            (
                                e.col,
                                try up(e.block) * (w.map { ($0[i] / $0[e.col]).squareRoot() } ?? 1)
                                    * (1 + 8 * CollatzWielandt.unitRoundoff)
                            )
                        }
                    )
                }
            }
        }
        let rows = try chunks.flatMap { try $0.get() }
        return CollatzWielandt.Rows(diagonal: rows.map(\.diag), off: rows.map(\.off))
    }

    /// Collatz–Wielandt upper bound on `ρ(BᵀB)` from a vector v (B ≥ 0), rounding included.
    static func normBound(_ b: CollatzWielandt.Rows, _ bt: CollatzWielandt.Rows, _ v: [Double]) -> Double {
        let vmax = v.map(abs).max() ?? 1
        let floor = max(vmax * Tolerance.scaleFloor, Double.leastNormalMagnitude)
        let p = v.map { max(abs($0), floor) }
        let bp = b.times(p)
        let cp = bt.times(bp)
        let width = b.maxRowLength + bt.maxRowLength + 2
        let slack = 1 + Double(width + 8) * CollatzWielandt.unitRoundoff
        var hi = 0.0
        for i in 0..<p.count { hi = max(hi, cp[i] / p[i]) }
        return hi * slack
    }
}
