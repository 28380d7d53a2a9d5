/// The block constants of docs/method.md §1 on the region: per player the curvature
/// `μ_i ≤ λmin(sym J_ii)` and own size `ℓ_i ≥ ‖J_ii‖`, per ordered pair the coupling
/// `L_ij ≥ ‖J_ij‖`. Exact for one Jacobian; min/max over the set for sampled ones.
public struct BlockConstants: Sendable {
    public var curvature: [Double]
    public var ownSize: [Double]
    /// `coupling[i]` lists `(j, L_ij)` for the present, non-zero couplings, sorted by j.
    public var coupling: [[(col: Int, value: Double)]]

    public var playerCount: Int { curvature.count }

    public init(curvature: [Double], ownSize: [Double], coupling: [[(col: Int, value: Double)]]) {
        self.curvature = curvature
        self.ownSize = ownSize
        self.coupling = coupling
    }

    /// Constants of one Jacobian (players processed in parallel chunks).
    public init(_ j: BlockMatrix) throws {
        typealias Row = (mu: Double, ell: Double, coupling: [(col: Int, value: Double)])
        let chunks = Parallel.mapChunks(count: j.playerCount, minimumChunk: 4096) { range -> Result<[Row], Error> in
            Result {
                try range.map { i -> Row in
                    let h = j.diagonal[i]
                    let mu = try SmallBlock.lambdaMinSymmetric(h)
                    let ell = try SmallBlock.norm(h)
                    var row: [(col: Int, value: Double)] = []
                    for (c, b) in j.offDiagonal[i] {
                        let v = try SmallBlock.norm(b)
                        if v > 0 { row.append((c, v)) }
                    }
                    return (mu, ell, row)
                }
            }
        }
        let rows = try chunks.flatMap { try $0.get() }
        self.init(curvature: rows.map(\.mu), ownSize: rows.map(\.ell), coupling: rows.map(\.coupling))
    }

    /// Constants valid for every Jacobian of the set: smallest curvature, largest sizes (proven
    /// bounds from the set's enclosure when it has one).
    public init(_ set: JacobianSet) throws {
        if let enclosure = set.enclosure {
            self = try enclosure.constants()
            return
        }
        if let given = set.givenConstants {
            self = given
            return
        }
        var result = try BlockConstants(set.jacobians[0])
        for j in set.jacobians.dropFirst() { result.merge(try BlockConstants(j)) }
        self = result
    }

    /// Worst case of two sets of constants.
    public mutating func merge(_ other: BlockConstants) {
        for i in curvature.indices {
            curvature[i] = min(curvature[i], other.curvature[i])
            ownSize[i] = max(ownSize[i], other.ownSize[i])
            var merged: [Int: Double] = [:]
            for (c, v) in coupling[i] { merged[c] = v }
            for (c, v) in other.coupling[i] { merged[c] = max(merged[c] ?? 0, v) }
            coupling[i] = merged.keys.sorted().map { ($0, merged[$0]!) }
        }
    }

    /// The constants of a subset of players (couplings to players outside it dropped).
    public func restricted(to members: [Int]) -> BlockConstants {
        var position: [Int: Int] = [:]
        for (k, i) in members.enumerated() { position[i] = k }
        return BlockConstants(
            curvature: members.map { curvature[$0] }, ownSize: members.map { ownSize[$0] },
            coupling: members.map { i in coupling[i].compactMap { c in position[c.col].map { ($0, c.value) } } })
    }

    /// Upper bound on the Lipschitz constant `β(w) = ‖M^½ J M^-½‖₂` (`M = diag(w_i I)`) of every
    /// Jacobian these constants describe, from the constants alone: `‖N_w‖₂` with the N×N
    /// nonnegative matrix `(N_w)_ii = ℓ_i`, `(N_w)_ij = sqrt(w_i/w_j)·L_ij` (a block matrix's norm
    /// is at most the norm of its matrix of block norms; proof in docs/jacobian-games.md). Dense
    /// up to `MetricSpectra.denseLimit` players, beyond that the weaker `sqrt(‖N_w‖₁‖N_w‖∞)`.
    public func lipschitzUpperBound(weights w: [Double]) throws -> Double {
        let n = playerCount
        precondition(w.count == n)
        func entry(_ i: Int, _ c: Int, _ v: Double) -> Double { (w[i] / w[c]).squareRoot() * v }
        if n <= MetricSpectra.denseLimit {
            var m = Matrix(rows: n, cols: n)
            for i in 0..<n {
                m[i, i] = ownSize[i]
                for (c, v) in coupling[i] { m[i, c] = entry(i, c, v) }
            }
            return try LAPACK.spectralNorm(m)
        }
        var rows = ownSize
        var cols = ownSize
        for i in 0..<n {
            for (c, v) in coupling[i] {
                let e = entry(i, c, v)
                rows[i] += e
                cols[c] += e
            }
        }
        return ((rows.max() ?? 0) * (cols.max() ?? 0)).squareRoot()
    }

    /// `L_ij` (0 when absent).
    public func coupling(_ i: Int, _ j: Int) -> Double {
        coupling[i].first { $0.col == j }?.value ?? 0
    }
}
