import Foundation

/// The global optimum of the weighted rung (docs/method.md, "The global weighted optimum").
///
/// `α(w) = min_s λmin(sym(W^{1/2} J_s W^{-1/2}))` is quasi-concave in `w`: `α(w) ≥ t` exactly
/// when `Σ_i w_i (sym(E_i J_s) − t E_i) ⪰ 0` for every sample s, a linear matrix inequality in
/// `w`. Every vector `v` gives the linear-fractional upper bound
/// `α(w) ≤ r_v(w) = Σ_i w_i a_i / Σ_i w_i c_i` with `a_i = v_iᵀ(J v)_i`, `c_i = ‖v_i‖²`, with
/// equality at `w` when `v = W^{-1/2} u` for the bottom eigenvector `u` at `w`. The search keeps
/// these cuts, maximises their minimum `α̂ ≥ α` over the simplex by bisection on a level `t`
/// (each level is a small matrix game, solved as a linear programme), evaluates `α` where `α̂`
/// peaks and adds that point's cuts. Every evaluated point is a lower bound on the optimum;
/// a level at which the cuts leave no weights gives, through the game's mixed strategy `λ`
/// over cuts, the proven upper bound `max_i Σ_k λ_k a_ki / Σ_k λ_k c_ki` (valid for any λ ≥ 0,
/// whatever the programme's rounding). The search stops when the two meet; where the cuts stall,
/// a local search polishes the value and the cuts resume from there, and a last series of
/// level programmes over enriched cuts at the best point tries to prove the bound. A reducible
/// coupling graph, whose supremum lies on a face of the simplex, is solved component by
/// component (`maximizeReducible`).
///
/// Dense Jacobians only; the iterative path keeps the local search (WeightSearch).
public enum GlobalWeights {
    public struct Result: Sendable {
        /// Normalised weights (max 1), among those within the tolerance of the best value
        /// found the best-conditioned (smallest w_max/w_min).
        public var weights: [Double]
        /// α at `weights` (the same dense computation as MetricSpectra.margin).
        public var margin: Double
        /// Proven upper bound on α(w) over all w > 0 (up to the rounding of the eigenvectors'
        /// Rayleigh quotients).
        public var upperBound: Double
        /// Number of points at which α was evaluated.
        public var evaluations: Int
    }

    /// Largest number of players handled (the same limit as the local search).
    public static let maxPlayers = WeightSearch.maxPlayers
    /// The search stops when `upper − lower ≤ relativeGap·max(|lower|, |upper|) + absoluteGap·‖J‖_F`.
    public static let relativeGap = 1e-11
    public static let absoluteGap = 1e-14
    /// Weights are kept at least this fraction of the largest (a supremum at the boundary of
    /// the simplex is approached to within about √floor·‖J‖). As small as the SGN rung's
    /// condensation weights (ratios up to 1e200), so that its start is evaluated as it is.
    public static let floor = 1e-200

    /// Proposals of the cutting-plane phase keep every weight at least this fraction of their
    /// sum (smaller weights are reached by the push towards the boundary, below).
    public static let interiorFraction = 1e-12

    /// The cuts `(a_k, c_k)`, stored row-major in two flat arrays (count × players): the level
    /// programmes read every cut a hundred times per game, and flat storage spares a retain and a
    /// release of two arrays per cut and read.
    struct Cuts {
        let players: Int
        var a: [Double] = []
        var c: [Double] = []
        var count: Int { a.count / players }
        mutating func append(a: [Double], c: [Double]) {
            self.a += a
            self.c += c
        }
    }

    /// The full margin at separated weights must come within `relativeGap·|target| +
    /// absoluteGap·‖J‖_F` of `target = min_S α_S` (docs/method.md, "Reducible coupling"); the
    /// separation per condensation level is 10^e for e = 1, 2, 4, …, while the smallest weight
    /// stays at least `floor`.
    public static let separationExponents: [Double] = [1, 2, 4, 8, 16, 32, 64, 128]

    /// Maximises α over weights for the dense Jacobians `set`, starting from `starts`.
    ///
    /// A reducible coupling graph (some J_ij ≠ 0 with no path back from j to i, in any sample)
    /// is decomposed into its strongly connected components S: by Cauchy interlacing
    /// α(w) ≤ α_S(w_S) for every S, so `min_S` of the components' proven bounds bounds α, and
    /// separating the components' weight scales along the condensation approaches
    /// `min_S max α_S` (docs/method.md, "Reducible coupling: suprema on faces of the simplex").
    public static func maximize(_ set: JacobianSet, starts: [[Double]], maxEvaluations: Int? = nil) throws -> Result {
        let n = set.dims.count
        // Edge i → j when block (i, j) is nonzero in some sample.
        let successors = (0..<n).map { i in
            Array(
                Set(
                    set.jacobians.flatMap { j in
                        j.offDiagonal[i].filter { !$0.block.isZero }.map(\.col)
                    })
            ).sorted()
        }
        let components = ComparisonMatrix.stronglyConnectedComponents(successors: successors)
        if components.count <= 1 { return try maximizeIrreducible(set, starts: starts, maxEvaluations: maxEvaluations) }
        return try maximizeReducible(
            set, starts: starts, maxEvaluations: maxEvaluations,
            components: components, successors: successors)
    }

    /// The reducible case: each component's own optimum (a single player's is exact: the least
    /// eigenvalue of its symmetric own block over the samples), then the components' weights
    /// scaled by `10^(e·level)` along the condensation, e doubled until the full margin reaches
    /// `min_S α_S` to the search's gap or the weights would leave the representable range.
    static func maximizeReducible(
        _ set: JacobianSet, starts: [[Double]], maxEvaluations: Int?,
        components: [[Int]], successors: [[Int]]
    ) throws -> Result {
        let n = set.dims.count
        var inner = [Double](repeating: 1, count: n)
        var target = Double.infinity
        var upper = Double.infinity
        var evaluations = 0
        for members in components {
            if members.count == 1 {
                let i = members[0]
                var value = Double.infinity
                for j in set.jacobians {
                    value = min(value, try LAPACK.symmetricEigenvalues(j.diagonal[i].symmetricPart).first ?? 0)
                }
                target = min(target, value)
                upper = min(upper, value)
                continue
            }
            let sub = JacobianSet(
                jacobians: set.jacobians.map { $0.restricted(to: members) }, estimation: set.estimation)
            let subStarts = starts.map { s in members.map { s[$0] } }
            let r = try maximizeIrreducible(sub, starts: subStarts, maxEvaluations: maxEvaluations)
            for (k, i) in members.enumerated() { inner[i] = r.weights[k] }
            target = min(target, r.margin)
            upper = min(upper, r.upperBound)
            evaluations += r.evaluations
        }
        // Each player's level is its component's (longest path from a source of the condensation).
        let componentLevel = OptimalWeights.condensationLevels(components: components, successors: successors)
        var level = [Int](repeating: 0, count: n)
        for (c, members) in components.enumerated() { for i in members { level[i] = componentLevel[c] } }
        let maxLevel = level.max() ?? 0
        let scale = set.jacobians.map { $0.dense().frobeniusNorm }.max() ?? 0
        let tolerance = relativeGap * abs(target) + absoluteGap * scale
        let spectra = MetricSpectra(set)
        func margin(_ w: [Double]) throws -> Double {
            evaluations += 1
            return try spectra.margin(weights: w, remember: false)
        }
        // Candidates: the starts and uniform weights (any of them may already be within the
        // tolerance and better conditioned), then the separations in increasing order.
        var candidates: [(w: [Double], value: Double)] = []
        for s in starts + [[Double](repeating: 1, count: n)] {
            let w = OptimalWeights.normalise(s)
            guard w.allSatisfy({ $0 >= floor && $0.isFinite }) else { continue }
            candidates.append((w, try margin(w)))
        }
        let innerSpread = -Foundation.log10(inner.min() ?? 1)
        for e in separationExponents {
            // log10 of the smallest weight: −(inner spread + e·maxLevel); keep it above floor.
            guard innerSpread + e * Double(maxLevel) <= -Foundation.log10(floor) else { break }
            let w = OptimalWeights.normalise(
                (0..<n).map { i in inner[i] * Foundation.pow(10, e * Double(level[i] - maxLevel)) })
            let value = try margin(w)
            candidates.append((w, value))
            if value >= target - tolerance { break }
        }
        let best = candidates.map(\.value).max() ?? -Double.infinity
        let accept = min(best, target - tolerance)
        func ratio(_ w: [Double]) -> Double { (w.max() ?? 1) / (w.min() ?? 1) }
        let chosen = candidates.filter { $0.value >= accept }.min { ratio($0.w) < ratio($1.w) }!
        return Result(
            weights: chosen.w, margin: chosen.value, upperBound: max(upper, chosen.value), evaluations: evaluations)
    }

    /// The cutting-plane search of an irreducible game (its optimum is attained inside the simplex).
    static func maximizeIrreducible(_ set: JacobianSet, starts: [[Double]], maxEvaluations: Int? = nil) throws -> Result
    {
        let n = set.dims.count
        let offsets = set.jacobians[0].offsets
        let dense = set.jacobians.map { $0.dense() }
        let scale = dense.map(\.frobeniusNorm).max() ?? 0
        var cuts = Cuts(players: n)

        // Block cuts: α(w) ≤ λmin(sym J_ii) for every sample, whatever w (the diagonal block of
        // the weighted matrix does not depend on w). They make the model finite on the simplex.
        var blockBound = [Double](repeating: .infinity, count: n)
        for i in 0..<n {
            for j in set.jacobians {
                let e = try LAPACK.symmetricEigenvalues(j.diagonal[i].symmetricPart)
                blockBound[i] = min(blockBound[i], e.first ?? 0)
            }
            var a = [Double](repeating: 0, count: n)
            var c = a
            a[i] = blockBound[i]
            c[i] = 1
            cuts.append(a: a, c: c)
        }
        var upper = blockBound.min() ?? 0

        var evaluated: [(w: [Double], value: Double)] = []
        // Buffers of the cut computation, reused by every evaluation.
        let size = offsets[n]
        var cutScratch = CutScratch(size: size, players: n)
        /// α at w (max-normalised, floored), adding the cuts of its bottom eigenvectors; with
        /// `enrich`, also of their pairwise sums and differences (a multiple bottom eigenvalue
        /// needs a mixture of rank-one terms that are not eigenvectors to prove optimality).
        func evaluate(_ wIn: [Double], enrich: Bool = false) throws -> Double {
            let top = wIn.max() ?? 1
            let w = wIn.map { max($0 / top, floor) }
            var worst = Double.infinity
            // The bottom eigenvectors of the worst sample, column-major (`count` columns of `size`).
            var vectors: [Double] = []
            var count = 0
            var worstSample = 0
            for (k, j) in set.jacobians.enumerated() {
                let s = j.dense(weightedBy: w).symmetricPart
                let e = try LAPACK.symmetricEigen(s)
                if e.values[0] < worst {
                    worst = e.values[0]
                    worstSample = k
                    count = min(enrich ? 4 : 3, e.values.count)
                    vectors = e.vectors.values
                }
            }
            if enrich {
                let base = (0..<count).map { m in Array(vectors[(m * size)..<((m + 1) * size)]) }
                vectors = base.flatMap { $0 }
                for k in base.indices {
                    for l in base.indices where l > k {
                        vectors += zip(base[k], base[l]).map { ($0 + $1) / 2.0.squareRoot() }
                        vectors += zip(base[k], base[l]).map { ($0 - $1) / 2.0.squareRoot() }
                    }
                }
                count = vectors.count / max(size, 1)
            }
            // Cuts in the original coordinates, v = W^{-1/2} u (so Σ_i w_i c_i = ‖u‖² = 1).
            for m in 0..<count {
                appendCut(
                    vectors, column: m, weights: w, offsets: offsets, jacobian: dense[worstSample],
                    scratch: &cutScratch, cuts: &cuts)
            }
            evaluated.append((w, worst))
            return worst
        }

        var lower = -Double.infinity
        var best: [Double] = starts.first ?? [Double](repeating: 1, count: n)
        for s in starts + [[Double](repeating: 1, count: n)] {
            let v = try evaluate(s)
            if v > lower {
                lower = v
                best = evaluated.last!.w
            }
        }
        // A supremum on the boundary of the simplex (reducible or nearly one-way coupling) is
        // approached like `sup − c·w_min`, which the linear programme cannot resolve below its
        // rounding: when the best point has small weights, raise all weights (max 1) to powers
        // p = 2, 4, 8, …, which sends the small ones towards 0 keeping their hierarchy, while
        // that improves.
        func pushTowardsBoundary() throws {
            guard let small = best.min(), small < 1e-3 * (best.max() ?? 1) else { return }
            let top = best.max() ?? 1
            let base = best.map { $0 / top }
            var p = 2.0
            while p <= 64 {
                let w = base.map { Foundation.pow($0, p) }
                guard w.allSatisfy({ $0 >= floor }) else { break }
                let v = try evaluate(w)
                guard v > lower else { break }
                lower = v
                best = evaluated.last!.w
                p *= 2
            }
        }
        try pushTowardsBoundary()

        // Phase 1, global: cutting planes, each level programme in coordinates scaled by the
        // best point so far (x_i = w_i / best_i), its proposals at least interiorFraction inside
        // the simplex. `modelUpper` bounds the model there and drives the bisection.
        let budget = maxEvaluations ?? (40 + 20 * n)
        var modelUpper = upper
        func gap() -> Double { relativeGap * max(abs(lower), abs(modelUpper)) + absoluteGap * scale }
        var level = LevelState()
        func cuttingPlanes(until limit: Int) throws {
            var previous: [Double]? = nil
            while modelUpper - lower > gap(), evaluated.count < limit {
                let t = lower + 0.5 * (modelUpper - lower)
                guard let game = levelGame(cuts, level: t, scaling: best, interior: true, state: &level) else {
                    break
                }
                if game.value <= 0 {
                    modelUpper = t
                    upper = min(upper, certificateBound(cuts, mix: level.mix, blockBound: blockBound))
                } else {
                    // The same proposal twice: the model cannot resolve further (rounding).
                    if let previous,
                        zip(previous, game.weights).allSatisfy({ abs($0 - $1) <= 1e-14 * max(abs($0), abs($1)) })
                    {
                        break
                    }
                    previous = game.weights
                    let v = try evaluate(game.weights)
                    if v > lower {
                        lower = v
                        best = evaluated.last!.w
                        try pushTowardsBoundary()
                    }
                }
            }
        }
        try cuttingPlanes(until: budget)
        // Phase 2, local: where the cuts did not close the gap, a local search from the best
        // point polishes the value, and the cutting planes resume from there (in coordinates
        // scaled by the polished point, with every cut kept) with a second budget: a stall of the
        // first round (budget spent, or proposals repeating) then rarely decides the result.
        if modelUpper - lower > gap() {
            let polished = try WeightSearch.maximize(from: best) { w in try evaluate(w) }
            if polished.value > lower {
                lower = polished.value
                best = evaluated.first { $0.value == polished.value }?.w ?? best
            }
            try cuttingPlanes(until: evaluated.count + budget)
        }
        // Phase 3, proof: the cuts of the best point (enriched), then the unrestricted level
        // programme bisected between the best value and the proven bound; every mix it returns
        // is a certificate, and the smallest is reported.
        if upper - lower > gap() { _ = try evaluate(best, enrich: true) }
        var lo = lower
        var hi = upper
        for step in 0..<60 where hi - lo > gap() && upper - lower > gap() {
            // First the level just above the best value (at an attained optimum one programme
            // proves it), then bisection.
            let t = step == 0 ? min(lower + 0.5 * gap(), hi) : lo + 0.5 * (hi - lo)
            guard let game = levelGame(cuts, level: t, scaling: best, interior: false, state: &level) else { break }
            let proven = certificateBound(cuts, mix: level.mix, blockBound: blockBound)
            upper = min(upper, proven)
            if game.value <= 0 { hi = min(t, upper) } else { lo = t }
            if proven <= lo { break }
        }
        // Among the points within the tolerance of the best, the best-conditioned.
        let tolerance = relativeGap * max(abs(lower), abs(upper)) + absoluteGap * scale
        func ratio(_ w: [Double]) -> Double { (w.max() ?? 1) / (w.min() ?? 1) }
        let near = evaluated.filter { $0.value >= lower - tolerance }
        let chosen = near.min { ratio($0.w) < ratio($1.w) }?.w ?? best
        let margin = evaluated.first { $0.w == chosen }?.value ?? lower
        return Result(
            weights: OptimalWeights.normalise(chosen), margin: margin, upperBound: max(upper, lower),
            evaluations: evaluated.count)
    }

    /// Buffers of `appendCut`, reused by every cut of a search.
    struct CutScratch {
        var scaled: [Double]
        var product: [Double]
        var a: [Double]
        var c: [Double]
        init(size: Int, players: Int) {
            scaled = [Double](repeating: 0, count: size)
            product = scaled
            a = [Double](repeating: 0, count: players)
            c = a
        }
    }

    /// The cut of column `m` of `vectors` (column-major, a bottom eigenvector u of the weighted
    /// symmetric part at `w`): `v = W^{-1/2} u`, `a_i = v_iᵀ(J v)_i`, `c_i = ‖v_i‖²`, appended to
    /// `cuts` unless non-finite or zero. `J v` is summed column by column, as `Matrix * [Double]`.
    static func appendCut(
        _ vectors: [Double], column m: Int, weights w: [Double], offsets: [Int], jacobian jd: Matrix,
        scratch: inout CutScratch, cuts: inout Cuts
    ) {
        let n = w.count
        let size = offsets[n]
        for r in 0..<size { scratch.scaled[r] = vectors[m * size + r] }
        for i in 0..<n {
            let f = 1 / w[i].squareRoot()
            for r in offsets[i]..<offsets[i + 1] { scratch.scaled[r] *= f }
        }
        for r in 0..<size { scratch.product[r] = 0 }
        for col in 0..<size {
            let x = scratch.scaled[col]
            if x == 0 { continue }
            let base = col * size
            for r in 0..<size { scratch.product[r] += jd.values[base + r] * x }
        }
        for i in 0..<n {
            scratch.a[i] = 0
            scratch.c[i] = 0
            for r in offsets[i]..<offsets[i + 1] {
                scratch.a[i] += scratch.scaled[r] * scratch.product[r]
                scratch.c[i] += scratch.scaled[r] * scratch.scaled[r]
            }
        }
        guard scratch.a.allSatisfy(\.isFinite), scratch.c.allSatisfy(\.isFinite), scratch.c.contains(where: { $0 > 0 })
        else { return }
        cuts.append(a: scratch.a, c: scratch.c)
    }

    /// `max_i Σ_k λ_k a_ki / Σ_k λ_k c_ki`, a bound on α(w) for every w (a player the mix does not
    /// touch is bounded by its block bound). `mix` is the support of a level programme's optimal
    /// mix over the cuts, in increasing cut order (at most one cut per player).
    static func certificateBound(_ cuts: Cuts, mix: Mix, blockBound: [Double]) -> Double {
        let n = blockBound.count
        var bound = -Double.infinity
        for i in 0..<n {
            var a = 0.0
            var c = 0.0
            for (k, l) in zip(mix.cuts, mix.weights) where l > 0 {
                a += l * cuts.a[k * n + i]
                c += l * cuts.c[k * n + i]
            }
            bound = max(bound, c > 0 ? a / c : blockBound[i])
        }
        return bound
    }

    /// The support of a mix over cuts: cut indices in increasing order and their weights.
    struct Mix {
        var cuts: [Int] = []
        var weights: [Double] = []
    }

    /// What the level programmes of one search share: the previous programme's optimal basis
    /// (the warm start), the last programme's optimal mix, and the buffers of the programme and
    /// of its simplex tableau, which every programme refills instead of allocating its own (a
    /// search solves about seventy; allocation was most of a small programme's cost).
    struct LevelState {
        var factors: [Double] = []
        var mix = Mix()
        var game = MatrixGame.Scratch()
    }

    /// The matrix game `max_{w∈Δ} min_k (a_k − t c_k)·w` in the coordinates `x_i = w_i / b_i`
    /// (b = `scaling`), each row scaled to unit size (which changes neither which levels are
    /// feasible nor the validity of the mix as a certificate): its value and the optimal weights,
    /// with the optimal mix over the raw cuts left in `state.mix` (nil when the programme fails).
    /// With `interior`, `x = δ·1 + (1 − nδ)·x'` keeps proposals at least δ = interiorFraction
    /// inside the simplex, where the cuts of a finite model cannot see α fall to −∞ (0/0 ratios);
    /// with Σx' = 1 the constant part folds into every column. The state carries the optimal
    /// basis from one level programme to the next (cuts are only ever appended, so its indices
    /// stay valid): the programmes of nearby levels usually share it, and a warm start then needs
    /// one or two pivots where a cold one needs about twenty (MatrixGame.solve).
    static func levelGame(
        _ cuts: Cuts, level t: Double, scaling b: [Double],
        interior: Bool, state: inout LevelState
    ) -> (value: Double, weights: [Double])? {
        let n = b.count
        let rows = cuts.count
        let delta = interior ? min(interiorFraction, 0.5 / Double(n)) : 0
        // Row-major K×n, built in place in the state's buffers (moved out while they are written).
        var matrix: [Double] = []
        var rowFactors: [Double] = []
        swap(&matrix, &state.game.m)
        swap(&rowFactors, &state.factors)
        if rowFactors.count < rows { rowFactors = [Double](repeating: 0, count: 2 * rows) }
        if matrix.count < rows * n { matrix = [Double](repeating: 0, count: 2 * rows * n) }
        let keep = 1 - Double(n) * delta
        do {
            let cutA = cuts.a.span
            let cutC = cuts.c.span
            let scaling = b.span
            var m = matrix.mutableSpan
            var factors = rowFactors.mutableSpan
            // Row k starts at `base` (a running index: no multiplication and no overflow check per
            // entry; the spans still check every bound).
            var base = 0
            for k in 0..<rows {
                var size = Double.leastNormalMagnitude
                var sum = 0.0
                for i in 0..<n {
                    let v = scaling[i] * (cutA[base &+ i] - t * cutC[base &+ i])
                    m[base &+ i] = v
                    size = max(max(size, abs(v)), scaling[i] * cutC[base &+ i])
                }
                factors[k] = size
                for i in 0..<n {
                    m[base &+ i] /= size
                    sum += m[base &+ i]
                }
                let constant = delta * sum
                for i in 0..<n { m[base &+ i] = keep * m[base &+ i] + constant }
                base &+= n
            }
        }
        swap(&matrix, &state.game.m)
        swap(&rowFactors, &state.factors)
        guard let value = MatrixGame.solve(scratch: &state.game, rows: rows, columns: n, warm: true) else {
            state.game.warm.removeAll(keepingCapacity: true)
            return nil
        }
        state.mix.cuts.removeAll(keepingCapacity: true)
        state.mix.weights.removeAll(keepingCapacity: true)
        for (k, y) in zip(state.game.supportRows, state.game.supportWeights) {
            state.mix.cuts.append(k)
            state.mix.weights.append(y / state.factors[k])
        }
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<n { weights[i] = (delta + (1 - Double(n) * delta) * state.game.x[i]) * b[i] }
        return (value, weights)
    }
}

/// A small zero-sum matrix game: the column player maximises `min_k (M w)_k` over the simplex.
/// Solved as the linear programme `max Σ y s.t. Pᵀ y ≤ 1, y ≥ 0` with `P = M + shift > 0` by the
/// simplex method (Dantzig's rule, then Bland's, which cannot cycle); `y/Σy` is the row player's strategy, the
/// constraints' prices the column player's.
///
/// Warm start: the scratch's `warm` names a basis (one variable per constraint: `k ≥ 0` the row
/// player's pure strategy k, `−1 − i` the slack of constraint i), the optimal basis of the
/// previous, nearby programme. It is installed by Gauss–Jordan pivots (largest pivot among the
/// rows not yet assigned) and kept only when it is primal feasible (every right-hand side ≥ 0);
/// otherwise the solve starts cold from the slack basis. Either way the simplex iterations run to
/// optimality, so a start changes how many pivots are needed, not what is optimal (with several
/// optimal vertices it can change which one is returned). The optimal basis is left in `warm`
/// in the same encoding.
enum MatrixGame {
    /// The game, the solver's buffers and its results, kept by the caller across solves so that
    /// consecutive programmes reuse them. `m` holds the game row-major (its first `rows × n`
    /// entries; the caller fills it); after a solve, `x` holds the column player's strategy,
    /// `supportRows`/`supportWeights` the row player's (its support, rows in increasing order)
    /// and `warm` the optimal basis.
    struct Scratch {
        var m: [Double] = []
        var tableau: [Double] = []
        var cold: [Double] = []
        var pivotRow: [Double] = []
        var basis: [Int] = []
        var assigned: [Bool] = []
        var warm: [Int] = []
        var x: [Double] = []
        var supportRows: [Int] = []
        var supportWeights: [Double] = []
    }

    static func solve(_ m: [[Double]], columns n: Int) -> (
        value: Double, columnStrategy: [Double], rowStrategy: [Double]
    )? {
        var scratch = Scratch(m: m.flatMap { $0 })
        guard m.allSatisfy({ $0.count == n }),
            let value = solve(scratch: &scratch, rows: m.count, columns: n, warm: false)
        else { return nil }
        var rowStrategy = [Double](repeating: 0, count: m.count)
        for (k, y) in zip(scratch.supportRows, scratch.supportWeights) { rowStrategy[k] = y }
        return (value, Array(scratch.x[0..<n]), rowStrategy)
    }

    /// The game in `scratch.m` (row-major, `rows` × `n`), warm-started from `scratch.warm` when
    /// `warm` is set and it names a basis of the right size; the value, with the strategies and
    /// the optimal basis left in the scratch.
    static func solve(scratch: inout Scratch, rows: Int, columns n: Int, warm: Bool) -> Double? {
        guard rows > 0, n > 0, scratch.m.count >= rows * n else { return nil }
        // The least entry and the largest magnitude, in four interleaved lanes (min and max are
        // exact and skip NaN whatever the order, so the result is that of one sequential scan; four
        // lanes break the dependency chain that made this scan a third of a small solve's time).
        var lowest = Double.infinity
        var spread = 0.0
        do {
            let m = scratch.m.span
            let count = rows * n
            var low = (Double.infinity, Double.infinity, Double.infinity, Double.infinity)
            var high = (0.0, 0.0, 0.0, 0.0)
            var k = 0
            while k + 4 <= count {
                low.0 = min(low.0, m[k])
                low.1 = min(low.1, m[k + 1])
                low.2 = min(low.2, m[k + 2])
                low.3 = min(low.3, m[k + 3])
                high.0 = max(high.0, abs(m[k]))
                high.1 = max(high.1, abs(m[k + 1]))
                high.2 = max(high.2, abs(m[k + 2]))
                high.3 = max(high.3, abs(m[k + 3]))
                k += 4
            }
            while k < count {
                low.0 = min(low.0, m[k])
                high.0 = max(high.0, abs(m[k]))
                k += 1
            }
            lowest = min(min(low.0, low.1), min(low.2, low.3))
            spread = max(max(high.0, high.1), max(high.2, high.3))
        }
        guard lowest.isFinite, spread.isFinite else { return nil }
        let shift = -lowest + max(spread, 1e-300)
        // Tableau: n constraint rows over rows + n columns (y, then slacks), right-hand side last.
        let width = rows + n + 1
        let size = (n + 1) * width
        // The buffers move out of the scratch for the solve (no copy on write) and back after it.
        var tab: [Double] = []
        var pivotRow: [Double] = []
        var basis: [Int] = []
        swap(&tab, &scratch.tableau)
        swap(&pivotRow, &scratch.pivotRow)
        swap(&basis, &scratch.basis)
        defer {
            swap(&tab, &scratch.tableau)
            swap(&pivotRow, &scratch.pivotRow)
            swap(&basis, &scratch.basis)
        }
        if tab.count < size { tab = [Double](repeating: 0, count: 2 * size) }
        if pivotRow.count < width { pivotRow = [Double](repeating: 0, count: 2 * width) }
        if basis.count < n { basis = [Int](repeating: 0, count: n) }
        do {
            var table = tab.mutableSpan
            let source = scratch.m.span
            for e in 0..<size { table[e] = 0 }
            for i in 0..<n {
                // Column i of the row-major game, walked with a running index (no multiplication
                // and no overflow check per entry; the span still checks every bound).
                let base = i * width
                var at = i
                for k in 0..<rows {
                    table[base &+ k] = source[at] + shift
                    at &+= n
                }
                table[base + rows + i] = 1
                table[base + width - 1] = 1
            }
            // Objective row: −1 for every y (maximise Σ y).
            for k in 0..<rows { table[n * width + k] = -1 }
        }
        for i in 0..<n { basis[i] = rows + i }
        /// Divides row `leave` by its entry in column `enter` and eliminates that column from every
        /// other row (the pivot row is divided into a buffer kept for the whole solve, and the
        /// other rows are updated from it through spans: no aliasing and no per-entry array checks,
        /// so the loops vectorise).
        func pivot(leave: Int, enter: Int) {
            let p = tab[leave * width + enter]
            let pivotStart = leave * width
            do {
                var table = tab.mutableSpan
                var buffer = pivotRow.mutableSpan
                for c in 0..<width {
                    let v = table[pivotStart + c] / p
                    table[pivotStart + c] = v
                    buffer[c] = v
                }
            }
            do {
                var table = tab.mutableSpan
                let pivot = pivotRow.span
                for i in 0...n where i != leave {
                    let f = table[i * width + enter]
                    guard f != 0 else { continue }
                    let base = i * width
                    for c in 0..<width { table[base + c] -= f * pivot[c] }
                }
            }
            basis[leave] = enter
        }
        if warm, scratch.warm.count == n {
            // Columns of the start's variables; valid when in range and distinct.
            for i in 0..<n { scratch.warm[i] = scratch.warm[i] >= 0 ? scratch.warm[i] : rows - 1 - scratch.warm[i] }
            let columns = scratch.warm
            let distinct = (0..<n).allSatisfy { a in !(0..<a).contains { columns[$0] == columns[a] } }
            if columns.allSatisfy({ $0 >= 0 && $0 < rows + n }), distinct {
                if scratch.cold.count < size { scratch.cold = [Double](repeating: 0, count: 2 * size) }
                do {
                    var cold = scratch.cold.mutableSpan
                    let table = tab.span
                    for e in 0..<size { cold[e] = table[e] }
                }
                if scratch.assigned.count < n { scratch.assigned = [Bool](repeating: false, count: n) }
                for i in 0..<n { scratch.assigned[i] = false }
                var installed = true
                for c in columns {
                    if let r = basis[0..<n].firstIndex(of: c) {
                        scratch.assigned[r] = true
                        continue
                    }
                    var leave = -1
                    var largest = 1e-9
                    for i in 0..<n where !scratch.assigned[i] && abs(tab[i * width + c]) > largest {
                        largest = abs(tab[i * width + c])
                        leave = i
                    }
                    guard leave >= 0 else {
                        installed = false
                        break
                    }
                    pivot(leave: leave, enter: c)
                    scratch.assigned[leave] = true
                }
                if !installed || (0..<n).contains(where: { !(tab[$0 * width + width - 1] >= 0) }) {
                    var table = tab.mutableSpan
                    let cold = scratch.cold.span
                    for e in 0..<size { table[e] = cold[e] }
                    for i in 0..<n { basis[i] = rows + i }
                }
            }
        }
        let eps = 1e-13
        var pivots = 0
        var optimal = false
        while pivots < 50 * (rows + n) {
            // Dantzig's rule (the most negative reduced cost) while it makes progress; Bland's
            // (the first negative one) after 2(rows + n) pivots, which cannot cycle.
            let bland = pivots >= 2 * (rows + n)
            var enter = -1
            var most = -eps
            if bland {
                for c in 0..<(rows + n) where tab[n * width + c] < most {
                    enter = c
                    break
                }
            } else {
                // The first most negative entry, scanned through a span without branches on the
                // data (selects instead), which is most of a pivot's cost on short rows: in two
                // interleaved lanes (even and odd columns), each keeping its first most negative
                // entry, then the better of the two (the earlier on a tie), which is the entry a
                // single scan finds.
                let objective = tab.span.extracting((n * width)..<(n * width + rows + n))
                let count = rows + n
                var enter1 = -1
                var most1 = -eps
                var c = 0
                while c + 2 <= count {
                    let v = objective[c]
                    let better = v < most
                    enter = better ? c : enter
                    most = better ? v : most
                    let v1 = objective[c + 1]
                    let better1 = v1 < most1
                    enter1 = better1 ? c + 1 : enter1
                    most1 = better1 ? v1 : most1
                    c += 2
                }
                if c < count {
                    let v = objective[c]
                    let better = v < most
                    enter = better ? c : enter
                    most = better ? v : most
                }
                if most1 < most || (most1 == most && enter1 >= 0 && (enter < 0 || enter1 < enter)) {
                    enter = enter1
                    most = most1
                }
            }
            guard enter >= 0 else {
                optimal = true
                break
            }
            var leave = -1
            var bestRatio = Double.infinity
            for i in 0..<n where tab[i * width + enter] > eps {
                let r = tab[i * width + width - 1] / tab[i * width + enter]
                if r < bestRatio - 1e-15 || (abs(r - bestRatio) <= 1e-15 && leave >= 0 && basis[i] < basis[leave]) {
                    bestRatio = r
                    leave = i
                }
            }
            guard leave >= 0 else { return nil }  // unbounded: impossible for P > 0
            pivot(leave: leave, enter: enter)
            pivots += 1
        }
        let total = tab[n * width + width - 1]
        guard optimal, total > 0, total.isFinite else { return nil }
        // The basic y in increasing row order (insertion sort: at most n of them); their sum is
        // the same as over all rows, the others being exactly 0.
        scratch.supportRows.removeAll(keepingCapacity: true)
        scratch.supportWeights.removeAll(keepingCapacity: true)
        for i in 0..<n where basis[i] < rows {
            var at = scratch.supportRows.count
            while at > 0 && scratch.supportRows[at - 1] > basis[i] { at -= 1 }
            scratch.supportRows.insert(basis[i], at: at)
            scratch.supportWeights.insert(max(0, tab[i * width + width - 1]), at: at)
        }
        var ysum = 0.0
        for y in scratch.supportWeights { ysum += y }
        if scratch.x.count < n { scratch.x = [Double](repeating: 0, count: n) }
        var xsum = 0.0
        for i in 0..<n {
            scratch.x[i] = max(0, tab[n * width + rows + i])
            xsum += scratch.x[i]
        }
        guard ysum > 0, xsum > 0 else { return nil }
        for i in 0..<n { scratch.x[i] /= xsum }
        for k in scratch.supportWeights.indices { scratch.supportWeights[k] /= ysum }
        scratch.warm.removeAll(keepingCapacity: true)
        for i in 0..<n { scratch.warm.append(basis[i] < rows ? basis[i] : rows - 1 - basis[i]) }
        return 1 / total - shift
    }
}
