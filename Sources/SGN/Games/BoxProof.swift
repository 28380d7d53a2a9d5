/// A game that can enclose its Jacobian (in its certified geometry) over any sub-box of its
/// region: the one capability the box proof needs (docs/smooth-games.md, "Proof on the region").
public protocol BoxEnclosable: Sendable {
    /// Block sizes of the Jacobian (per player).
    var dims: [Int] { get }
    /// The region the constants are proven on, one interval per coordinate.
    var regionBox: [Interval] { get }
    /// An enclosure of `J(x)` for every x in `box`: row-major N×N, N = Σ dims. Entries that are
    /// exactly 0 for every x (structural zeros) must be the point interval 0.
    func jacobianEnclosure(on box: [Interval]) -> [Interval]
    /// `J(x)` at a point (for the sampled fallback and the refinement's estimates).
    func jacobianAt(_ x: [Double]) -> [Double]
    /// A point of the region whose Jacobian enters the refinement's estimate (the equilibrium).
    var regionAnchor: [Double] { get }
}

/// Proves block constants, margins and Lipschitz bounds on a whole box by interval enclosures of
/// the Jacobian on sub-boxes, bisecting the loosest sub-box until the enclosures are tight or the
/// budget is spent. Generic over any `BoxEnclosable` game.
///
/// How a proof enters the shared pipeline unchanged: every quantity the pipeline computes from a
/// Jacobian set is the minimum of a concave function of J (λmin of a symmetrised, weighted block
/// or matrix) or the maximum of a convex one (norms). Over the convex hull of finitely many
/// matrices such a minimum/maximum is attained at one of them. The enclosure `[M − R, M + R]` of
/// a sub-box lies in the cross-polytope with vertices `M ± s·E_pq` over the entries with
/// R_pq > 0, s = Σ R_pq (write `E = Σ (R_pq/s)·(s·t_pq·E_pq)` with |t_pq| ≤ 1: a convex
/// combination of points of the segments `[−s·E_pq, s·E_pq]`), so the set of those vertices,
/// over all sub-boxes, is a `JacobianSet` whose min/max constants hold for every Jacobian on
/// the region. Each vertex is within s (spectral norm) of its sub-box's midpoint matrix;
/// `gap` (see `jacobianSet`) says how far the refinement's proven curvature bound lies below
/// the estimate at the sub-box midpoints, relative to it.
public enum BoxProof {
    public struct Settings: Sendable, Equatable {
        /// Largest number of sub-boxes.
        public var maxBoxes: Int
        /// Relative gap at which the bisection stops.
        public var targetGap: Double
        /// Points of the sampled estimate when the budget runs out.
        public var samples: Int
        public var seed: UInt64

        public static let standard = Settings(maxBoxes: 512, targetGap: 0.5, samples: 1024, seed: 1)

        public init(maxBoxes: Int, targetGap: Double, samples: Int, seed: UInt64) {
            self.maxBoxes = maxBoxes
            self.targetGap = targetGap
            self.samples = samples
            self.seed = seed
        }
    }

    struct Piece {
        var box: [Interval]
        var enclosure: [Interval]
        /// `s = Σ R_pq`: every vertex's distance from the midpoint matrix (∞ when an entry is
        /// not finite).
        var spread: Double
        /// The curvature the refinement watches, proven on the sub-box: the smallest over the
        /// sub-box's vertex matrices of λmin(sym V) (index 0) and of min_i λmin(sym V_ii) (index 1).
        var provenCurvature: [Double]
        /// The same at the sub-box's centre point (an estimate, not a bound).
        var centreCurvature: [Double]
        func bound(_ whole: Bool) -> Double { whole ? provenCurvature[0] : provenCurvature[1] }
    }

    static func piece(_ game: some BoxEnclosable, _ box: [Interval]) -> Piece {
        let e = game.jacobianEnclosure(on: box)
        let centre = curvatures(game.jacobianAt(box.map(\.value)), dims: game.dims)
        guard e.allSatisfy(\.isFinite) else {
            return Piece(
                box: box, enclosure: e, spread: .infinity, provenCurvature: [-.infinity, -.infinity],
                centreCurvature: centre)
        }
        let s = spread(e)
        var proven = [Double.infinity, Double.infinity]
        for v in vertexArrays(e, spread: s) {
            let c = curvatures(v, dims: game.dims)
            proven = [min(proven[0], c[0]), min(proven[1], c[1])]
        }
        return Piece(box: box, enclosure: e, spread: s, provenCurvature: proven, centreCurvature: centre)
    }

    /// `[λmin(sym A), min_i λmin(sym A_ii)]` of a dense row-major matrix.
    static func curvatures(_ a: [Double], dims: [Int]) -> [Double] {
        let n = dims.reduce(0, +)
        var m = Matrix(rows: n, cols: n)
        for r in 0..<n { for c in 0..<n { m[r, c] = a[r * n + c] } }
        let whole = (try? LAPACK.symmetricEigenvalues(m.symmetricPart).first) ?? -.infinity
        var own = Double.infinity
        var offset = 0
        for d in dims {
            var b = Matrix(rows: d, cols: d)
            for r in 0..<d { for c in 0..<d { b[r, c] = m[offset + r, offset + c] } }
            own = min(own, (try? LAPACK.symmetricEigenvalues(b.symmetricPart).first) ?? -.infinity)
            offset += d
        }
        return [whole, own]
    }

    /// `Σ R_pq` over the entries that are not points, rounded up.
    static func spread(_ e: [Interval]) -> Double {
        e.reduce(Interval(0)) { $1.lower == $1.upper ? $0 : $0 + Interval($1.radius) }.upper
    }

    /// The proven Jacobian set, or the sampled estimate when the budget ran out first.
    ///
    /// Refinement: the curvature watched is the Euclidean margin λmin(sym J) when it is positive
    /// at the sub-box centres and the anchor, else the players' own curvature min_i λmin(sym J_ii).
    /// Its estimate E is the minimum over J at those points, its proven bound B the minimum over
    /// the sub-boxes' vertex matrices; the sub-box attaining B is bisected along its widest
    /// coordinate until `gap = (E − B)/|E| ≤ targetGap` or `maxBoxes` sub-boxes exist. When the
    /// own curvature estimate is ≤ 0 no rung can certify and the first finite enclosure is kept
    /// (gap relative to the largest |entry| then).
    public static func jacobianSet(_ game: some BoxEnclosable, settings: Settings = .standard) -> JacobianSet {
        var pieces = [piece(game, game.regionBox)]
        let anchor = curvatures(game.jacobianAt(game.regionAnchor), dims: game.dims)
        while true {
            let whole = min(anchor[0], pieces.map { $0.centreCurvature[0] }.min()!) > 0
            let estimate = min(
                whole ? anchor[0] : anchor[1],
                pieces.map { whole ? $0.centreCurvature[0] : $0.centreCurvature[1] }.min()!)
            let w = pieces.indices.min { pieces[$0].bound(whole) < pieces[$1].bound(whole) }!
            // Without positive own curvature at the midpoints no rung can certify (every
            // weighted margin is at most min_i λmin(sym J_ii)): nothing to tighten.
            let hopeless = !whole && estimate <= 0
            let scale = pieces.reduce(Double.leastNormalMagnitude) { s, p in
                p.enclosure.reduce(s) { max($0, $1.isFinite ? abs($1.value) : 0) }
            }
            let relative =
                (estimate - pieces[w].bound(whole)) / max(abs(estimate), hopeless ? scale : Double.leastNormalMagnitude)
            if pieces.count % 32 == 1 {
                Trace.log(
                    "box proof: \(pieces.count) sub-boxes, estimate \(estimate), "
                        + "bound \(pieces[w].bound(whole)), spread \(pieces[w].spread), "
                        + "widest \(pieces[w].box.map { $0.upper - $0.lower }.max() ?? 0)"
                )
            }
            if relative.isFinite, relative <= settings.targetGap || hopeless {
                return JacobianSet(
                    jacobians: pieces.flatMap { vertices($0, dims: game.dims) },
                    estimation: .proven(method: .subBoxEnclosures, subBoxes: pieces.count, gap: relative))
            }
            guard pieces.count < settings.maxBoxes else { break }
            // Bisect the sub-box with the lowest bound along its widest coordinate.
            let box = pieces[w].box
            let k = box.indices.max { box[$0].upper - box[$0].lower < box[$1].upper - box[$1].lower }!
            let mid = box[k].value
            guard mid > box[k].lower, mid < box[k].upper else { break }
            var left = box
            var right = box
            left[k] = Interval(lower: box[k].lower, upper: mid)
            right[k] = Interval(lower: mid, upper: box[k].upper)
            pieces[w] = piece(game, left)
            pieces.append(piece(game, right))
        }
        return sampled(game, settings: settings)
    }

    /// The vertex matrices of one sub-box's cross-polytope (the midpoint matrix when exact).
    static func vertices(_ p: Piece, dims: [Int]) -> [BlockMatrix] {
        let n = dims.reduce(0, +)
        return vertexArrays(p.enclosure, spread: p.spread).map { blocks($0, n: n, dims: dims) }
    }

    /// The cross-polytope's vertices `M ± s·E_pq` (row-major), rounded outward; the midpoint
    /// matrix alone when every entry is a point.
    static func vertexArrays(_ e: [Interval], spread r: Double) -> [[Double]] {
        let mid = e.map(\.value)
        let wide = e.indices.filter { e[$0].lower != e[$0].upper }
        guard !wide.isEmpty else { return [mid] }
        var out: [[Double]] = []
        out.reserveCapacity(2 * wide.count)
        for q in wide {
            for sign in [1.0, -1.0] {
                var a = mid
                a[q] = sign > 0 ? (a[q] + r).nextUp : (a[q] - r).nextDown
                out.append(a)
            }
        }
        return out
    }

    /// Cuts a dense row-major matrix into player blocks (off-diagonal blocks that are exactly 0
    /// are left out, so the coupling graph shows the formulas' structure).
    static func blocks(_ a: [Double], n: Int, dims: [Int]) -> BlockMatrix {
        var offsets = [0]
        for d in dims { offsets.append(offsets.last! + d) }
        func block(_ i: Int, _ j: Int) -> Matrix {
            var b = Matrix(rows: dims[i], cols: dims[j])
            for r in 0..<dims[i] { for c in 0..<dims[j] { b[r, c] = a[(offsets[i] + r) * n + offsets[j] + c] } }
            return b
        }
        var diagonal: [Matrix] = []
        var off: [[(col: Int, block: Matrix)]] = []
        for i in dims.indices {
            diagonal.append(block(i, i))
            var row: [(col: Int, block: Matrix)] = []
            for j in dims.indices where j != i {
                let b = block(i, j)
                if b.maxAbs > 0 { row.append((j, b)) }
            }
            off.append(row)
        }
        return BlockMatrix(diagonal: diagonal, offDiagonal: off)
    }

    /// The fallback estimate: Jacobians at the centre, every vertex (while there are at most
    /// 1024) and seeded uniform points of the region, `settings.samples` points in all.
    static func sampled(
        _ game: some BoxEnclosable, settings: Settings,
        purpose: BoxSamplePurpose = .proofBudgetSpent
    ) -> JacobianSet {
        let box = game.regionBox
        let n = box.count
        var points = [box.map(\.value)]
        if n < 11 {
            for mask in 0..<(1 << n) {
                points.append((0..<n).map { (mask >> $0) & 1 == 1 ? box[$0].upper : box[$0].lower })
            }
        }
        var generator = SeededGenerator(seed: settings.seed)
        while points.count < settings.samples {
            points.append(box.map { generator.uniform($0.lower, $0.upper) })
        }
        let dims = game.dims
        let size = dims.reduce(0, +)
        let all = points
        let jacobians = Parallel.map(count: all.count) { blocks(game.jacobianAt(all[$0]), n: size, dims: dims) }
        return JacobianSet(
            jacobians: jacobians,
            estimation: .sampled(
                count: points.count, seed: settings.seed,
                method: .boxSamples(
                    purpose: purpose, maxBoxes: settings.maxBoxes, vertices: n < 11 ? 1 << n : nil, seed: settings.seed)
            ))
    }
}
