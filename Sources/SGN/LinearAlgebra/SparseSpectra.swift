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
    public static func smallestSymmetricEigenvalue(_ j: BlockMatrix, weights w: [Double]? = nil,
                                                   start: [Double]? = nil) throws -> Double {
        let c = try comparisonOfSymmetricPart(j, weights: w)
        if c.count == 1 { return c.diagonal[0] }
        let pair = try Krylov.lanczos(n: c.count, start: start ?? [Double](repeating: 1, count: c.count)) { c.times($0) }
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
            let v = Krylov.conjugateGradient(b: [Double](repeating: 1, count: b.count)) { x in
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
    public static func smallestSymmetricEigenvalueEstimate(_ j: BlockMatrix, maxProducts: Int = 400) throws -> Krylov.Eigenpair {
        try Krylov.lanczos(n: j.size, maxProducts: maxProducts) { x in
            var y = j.times(x)
            let t = j.transposeTimes(x)
            for k in y.indices { y[k] = 0.5 * (y[k] + t[k]) }
            return y
        }
    }

    /// Lanczos estimate of `‖J‖₂` (square root of the largest Ritz value of JᵀJ).
    public static func spectralNormEstimate(_ j: BlockMatrix, maxProducts: Int = 400) throws -> Double {
        let pair = try Krylov.lanczos(n: j.size, largest: true, maxProducts: maxProducts) { j.transposeTimes(j.times($0)) }
        return max(0, pair.value).squareRoot()
    }

    // MARK: block comparison matrices

    /// The symmetric Z-matrix `C` of `sym J` at block level, rounded so that
    /// `λmin(sym J) ≥ λmin(C)` holds for the computed entries.
    static func comparisonOfSymmetricPart(_ j: BlockMatrix, weights w: [Double]? = nil) throws -> CollatzWielandt.Rows {
        let n = j.playerCount
        // Transposed lookup: for each (i, col) the block J_{col,i}, to pair J_ij with J_jiᵀ.
        var incomingLists = [[(row: Int, block: Matrix)]](repeating: [], count: n)
        for i in 0..<n { for (c, b) in j.offDiagonal[i] { incomingLists[c].append((i, b)) } }
        let incoming = incomingLists
        typealias Row = (mu: Double, off: [(col: Int, value: Double)])
        let chunks = Parallel.mapChunks(count: n, minimumChunk: 8192) { range -> Result<[Row], Error> in
            Result {
                try range.map { i -> Row in
                    let d = Double(j.dims[i])
                    let h = j.diagonal[i]
                    let mu = try SmallBlock.lambdaMinSymmetric(h) - Tolerance.blockRoundoff * d * (try SmallBlock.norm(h))
                    var off: [(col: Int, value: Double)] = []
                    let outgoing = j.offDiagonal[i]
                    // Pairs {i, c}: each stored once per endpoint, value −‖(J_ic + J_ciᵀ)/2‖.
                    var a = 0, b = 0
                    let inc = incoming[i]   // sorted by row because rows are visited in order
                    while a < outgoing.count || b < inc.count {
                        let ca = a < outgoing.count ? outgoing[a].col : Int.max
                        let cb = b < inc.count ? inc[b].row : Int.max
                        let col: Int
                        var first: Matrix? = nil, second: Matrix? = nil
                        if ca == cb {
                            first = outgoing[a].block; second = inc[b].block; col = ca; a += 1; b += 1
                        } else if ca < cb {
                            first = outgoing[a].block; col = ca; a += 1
                        } else {
                            second = inc[b].block; col = cb; b += 1
                        }
                        let dd = Double(max(j.dims[i], j.dims[col]))
                        // J_w's blocks: (i, c) scaled by √(w_i/w_c), (c, i) by √(w_c/w_i).
                        let r = w.map { ($0[i] / $0[col]).squareRoot() } ?? 1
                        let v = try SmallBlock.normOfSum(first, 0.5 * r, second, 0.5 / r) * (1 + Tolerance.blockRoundoff * dd)
                        if v > 0 { off.append((col, -v)) }
                    }
                    return (mu, off)
                }
            }
        }
        let rows = try chunks.flatMap { try $0.get() }
        return CollatzWielandt.Rows(diagonal: rows.map(\.mu), off: rows.map(\.off))
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
                    return (try up(j.diagonal[i]), try j.offDiagonal[i].map { e in
                        (e.col, try up(e.block) * (w.map { ($0[i] / $0[e.col]).squareRoot() } ?? 1) * (1 + 8 * CollatzWielandt.unitRoundoff))
                    })
                }
            }
        }
        let rows = try chunks.flatMap { try $0.get() }
        return CollatzWielandt.Rows(diagonal: rows.map(\.diag), off: rows.map(\.off))
    }

    /// Collatz–Wielandt upper bound on `ρ(BᵀB)` from a vector v (B ≥ 0), rounding included.
    static func normBound(_ b: CollatzWielandt.Rows, _ bt: CollatzWielandt.Rows, _ v: [Double]) -> Double {
        let vmax = v.map(abs).max() ?? 1
        let floor = max(vmax * 1e-300, Double.leastNormalMagnitude)
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
