import Foundation

/// Proven constants of a Markov game on its whole logit box (docs/markov-games.md, "Proven
/// constants"): second-order Taylor models of the Jacobian D of the certified field (the exact
/// field code run on `NestedDual<TaylorModel>`) on sub-boxes, PSD tests of interval matrices in
/// the certificate's metric (the Fisher matrix frozen at θ*) at every vertex of the symbol cube
/// for every requested quantity, and adaptive bisection of the sub-box whose bound is loosest.
extension MarkovGame {
    /// The certificate's metric as an interval matrix: `F̃(θ*)` (fisher, enclosed at the point θ*
    /// without cancellation) or the identity.
    var metricEnclosure: [Interval] { fisherEnclosure(on: solution.logits.map { Interval($0) }) }

    /// The same policies (up to per-state shifts, which change neither the field's Jacobian nor
    /// anything certified) as a box whose two-action blocks have their second logit pinned at its
    /// midpoint m₁ and the first covering every difference of the block:
    /// `θ₀ ∈ m₁ + [l₀ − h₁, h₀ − l₁]` (rounded outward). Bisecting θ₀ then halves the block's
    /// range of policies, where bisecting one raw logit of the original box narrows it by a quarter.
    func differenceBox(_ box: [Interval]) -> [Interval] {
        var out = box
        for i in players.indices where players[i].actions == 2 {
            for s in 0..<layout.stateCount {
                let raw = Array(layout.logitRange(player: i, state: s))
                let (x, y) = (box[raw[0]], box[raw[1]])
                let m1 = Interval(y.value)
                out[raw[0]] = Interval(
                    lower: (m1 + (Interval(x.lower) - Interval(y.upper))).lower,
                    upper: (m1 + (Interval(x.upper) - Interval(y.lower))).upper)
                out[raw[1]] = m1
            }
        }
        return out
    }

    /// The raw logits of a box as Taylor models (docs/enclosures.md, "Taylor models"), and the
    /// number of symbols. The certified field depends on each player's logits in a state only up
    /// to a common shift, so a two-action block needs one symbol: `θ_0 = m_0 + aε`,
    /// `θ_1 = m_1 − aε` with a (rounded up) such that `θ_0 − θ_1` covers every difference of the
    /// box; every point of the box has the field of some ε in [−1, 1]. Larger blocks get one
    /// symbol per logit, `θ_b = mid + radius·ε_b` (radius rounded up).
    func taylorLogits(on box: [Interval]) -> (logits: [TaylorModel], symbols: Int) {
        var theta = box.map { TaylorModel($0.value) }
        var k = 0
        func unit(_ j: Int, _ g: Double) -> [Double] {
            var c = [Double](repeating: 0, count: j + 1)
            c[j] = g
            return c
        }
        for i in players.indices {
            for s in 0..<layout.stateCount {
                let raw = Array(layout.logitRange(player: i, state: s))
                if raw.count == 2 {
                    let (x, y) = (box[raw[0]], box[raw[1]])
                    let (m0, m1) = (x.value, y.value)
                    let d = Interval(m0) - Interval(m1)
                    let up = ((Interval(x.upper) - Interval(y.lower)) - d).upper
                    let down = (d - (Interval(x.lower) - Interval(y.upper))).upper
                    let a = (Swift.max(up, down, 0) / 2).nextUp
                    theta[raw[0]] = TaylorModel(center: m0, linear: unit(k, a))
                    theta[raw[1]] = TaylorModel(center: m1, linear: unit(k, -a))
                    k += 1
                } else {
                    for idx in raw {
                        theta[idx] = TaylorModel(center: box[idx].value, linear: unit(k, box[idx].radius))
                        k += 1
                    }
                }
            }
        }
        return (theta, k)
    }

    /// The pair of matrices the PSD tests of a sub-box are built from (m×m, row-major), as Taylor
    /// models over the box, and the number of symbols: `jacobian` is `M·D` and `fisher` is M,
    /// where D is the tangent Jacobian of the certified field (`certifiedField`) — one evaluation
    /// of the exact field on `NestedDual<TaylorModel>` per tangent direction — and M is the
    /// certificate's metric — `F̃(θ*)`, block diagonal, enclosed at the point θ* (fisher), or the
    /// identity (euclidean, where D = J̃). With `K̂ = M^{1/2} D M^{-1/2}` every test of the
    /// shared pipeline on K̂ is a test on the pencil (M·D, M) (docs/markov-games.md gives each one).
    public func taylorEnclosures(on box: [Interval]) -> (jacobian: [TaylorModel], fisher: [TaylorModel], symbols: Int) {
        let m = layout.tangentCount
        let (theta, symbols) = taylorLogits(on: box)
        var d = [TaylorModel](repeating: TaylorModel(0), count: m * m)
        var point = theta.map { NestedDual($0, tangent: TaylorModel(0)) }
        for j in players.indices {
            let u = layout.bases[j]
            for s in 0..<layout.stateCount {
                let raw = layout.logitRange(player: j, state: s)
                let tan = layout.tangentRange(player: j, state: s)
                for k in 0..<(players[j].actions - 1) {
                    for (r, idx) in raw.enumerated() { point[idx].tangent = TaylorModel(u[r, k]) }
                    let column = tangentEnclosure(certifiedField(point).map(\.tangent))
                    let c = tan.lowerBound + k
                    for r in 0..<m { d[r * m + c] = column[r] }
                }
                for idx in raw { point[idx].tangent = TaylorModel(0) }
            }
        }
        let metric = metricEnclosure.map { TaylorModel($0) }
        guard geometryKind == .fisher else { return (d, metric, symbols) }
        var product = [TaylorModel](repeating: TaylorModel(0), count: m * m)
        for i in players.indices {
            for s in 0..<layout.stateCount {
                let tan = layout.tangentRange(player: i, state: s)
                for r in tan {
                    for c in 0..<m {
                        var x = TaylorModel(0)
                        for q in tan { x = x + metric[r * m + q] * d[q * m + c] }
                        product[r * m + c] = x
                    }
                }
            }
        }
        return (product, metric, symbols)
    }

    /// Bisections of the proven shift per quantity and sub-box (each costs a PSD test per
    /// vertex): the bracket's last step is at most three quarters of the
    /// distance to the estimate, so 8 bisections place the bound within 0.3% of that distance.
    static let vertexBisections = 8

    /// Above this many symbols the bounds use the range of each model (the whole cube at once)
    /// instead of enumerating the 2^symbols vertices.
    public static let vertexLimit = 10

    /// The points of the symbol cube at which the pencils are checked: every vertex while
    /// there are at most `vertexLimit` symbols, else nil (the whole cube, by ranges).
    static func symbolVertices(symbols: Int) -> [[Double]]? {
        guard symbols <= vertexLimit else { return nil }
        return (0..<(1 << symbols)).map { mask in (0..<symbols).map { (mask >> $0) & 1 == 1 ? 1.0 : -1.0 } }
    }

    /// For each quantity, the largest t with `A − tB ≻ 0` proven at every point of a box, from the
    /// Taylor models reduced to first order (`TaylorModel.affine`: the quadratic part's range
    /// joins the remainder): `A(ε) = A₀ + Σε_kA_k + E` with E in the remainder matrix (and B
    /// alike). For fixed E the smallest eigenvalue of the symmetric matrix
    /// `A(ε) + E − t(B(ε) + E_B)` is a concave function of ε (affine in ε), so its minimum over
    /// the cube is at a vertex: the interval matrix of each vertex (its affine part evaluated
    /// exactly up to rounding, plus the remainders) must pass the PSD test, for one t, at every
    /// vertex. Above `vertexLimit` symbols the ranges are used (one interval pencil).
    func taylorBounds(_ qs: [ProofQuantity], targets: [Double], floor: Double, on box: [Interval]) -> [Double] {
        let (jac, fisher, symbols) = taylorEnclosures(on: box)
        let vertices = Self.symbolVertices(symbols: symbols)
        return qs.indices.map { k in
            let (ta, tb, size) = pencil(qs[k], jacobian: jac, fisher: fisher)
            let a = ta.map(\.affine)
            let b = tb.map(\.affine)
            let pencils: [(a: [Interval], b: [Interval])]
            if let vertices {
                pencils = vertices.map { v in (a.map { $0.enclosure(at: v) }, b.map { $0.enclosure(at: v) }) }
            } else {
                pencils = [(a.map(\.range), b.map(\.range))]
            }
            return IntervalLinearAlgebra.largestProvenShift(
                pencils, size: size, estimate: targets[k], scale: max(abs(targets[k]), floor),
                bisections: Self.vertexBisections)
        }
    }

    /// The block-diagonal F̃ over a box (the identity in the euclidean geometry).
    func fisherEnclosure(on box: [Interval]) -> [Interval] {
        let m = layout.tangentCount
        var fisher = [Interval](repeating: Interval(0), count: m * m)
        for i in players.indices {
            for s in 0..<layout.stateCount {
                let tan = layout.tangentRange(player: i, state: s)
                let o = tan.lowerBound
                let block: [Interval]
                if geometryKind == .fisher {
                    block = Self.fisherEnclosure(
                        logits: Array(box[layout.logitRange(player: i, state: s)]), basis: layout.bases[i])
                } else {
                    let k = tan.count
                    block = (0..<(k * k)).map { Interval($0 / k == $0 % k ? 1 : 0) }
                }
                let k = tan.count
                for r in 0..<k { for c in 0..<k { fisher[(o + r) * m + o + c] = block[r * k + c] } }
            }
        }
        return fisher
    }

    /// `Uᵀ v` per player and state, in the arithmetic of the enclosure type.
    func tangentEnclosure<T: GradientScalar>(_ v: [T]) -> [T] {
        var out = [T](repeating: T(0), count: layout.tangentCount)
        for i in players.indices {
            let u = layout.bases[i]
            for s in 0..<layout.stateCount {
                let raw = layout.logitRange(player: i, state: s)
                let tan = layout.tangentRange(player: i, state: s)
                for k in 0..<tan.count {
                    var x = T(0)
                    for (r, idx) in raw.enumerated() where u[r, k] != 0 { x = x + u[r, k] * v[idx] }
                    out[tan.lowerBound + k] = x
                }
            }
        }
        return out
    }

    /// `F̃ = Uᵀ(diag π − ππᵀ)U` over a box of one state's logits, without cancellation:
    /// `F̃_kl = Σ_{a<b} π_a π_b (U_ak − U_bk)(U_al − U_bl)` (from `vᵀ(diag π − ππᵀ)v =
    /// ½ Σ_{a,b} π_a π_b (v_a − v_b)²`, which uses Σπ = 1), with `π_a = 1/(1 + Σ_{c≠a} e^{θ_c − θ_a})`
    /// enclosed directly from the logit differences.
    static func fisherEnclosure(logits: [Interval], basis u: Matrix) -> [Interval] {
        let a = logits.count
        let k = a - 1
        let p = (0..<a).map { b -> Interval in
            var z = Interval(1)
            for c in 0..<a where c != b { z = z + Interval.exp(logits[c] - logits[b]) }
            let q = Interval(1) / z
            return Interval(lower: Swift.max(q.lower, 0), upper: Swift.min(q.upper, 1))
        }
        var f = [Interval](repeating: Interval(0), count: k * k)
        for x in 0..<a {
            for y in (x + 1)..<a {
                let w = p[x] * p[y]
                for r in 0..<k {
                    let dr = Interval(u[x, r]) - Interval(u[y, r])
                    for c in 0...r {
                        let term = w * (dr * (Interval(u[x, c]) - Interval(u[y, c])))
                        f[r * k + c] = f[r * k + c] + term
                    }
                }
            }
        }
        for r in 0..<k { for c in 0..<r { f[c * k + r] = f[r * k + c] } }
        return f
    }

    /// The requested quantities, each as "largest t with A − tB ≻ 0" on a pair of interval
    /// matrices built from the enclosures (docs/markov-games.md gives each reduction).
    enum ProofQuantity: Sendable {
        case curvature(Int)
        case ownSize(Int)
        case coupling(Int, Int)
        case margin([Double])
        case lipschitz([Double])

        /// Whether the quantity is −t (an upper bound) rather than t (a lower bound).
        var isUpper: Bool {
            switch self {
            case .curvature, .margin: return false
            case .ownSize, .coupling, .lipschitz: return true
            }
        }
    }

    /// The pencil (A, B) of a quantity from the enclosures.
    func pencil<T: GradientScalar>(_ q: ProofQuantity, jacobian jac: [T], fisher: [T]) -> (
        a: [T], b: [T], n: Int
    ) {
        let m = layout.tangentCount
        let o = layout.tangentOffsets
        let d = layout.tangentDims
        func sub(_ x: [T], _ rows: [Int], _ cols: [Int]) -> [T] {
            rows.flatMap { r in cols.map { c in x[r * m + c] } }
        }
        /// [[0, C], [Cᵀ, 0]] and blockdiag(B1, B2) for a p×q block C.
        func augmented(_ c: [T], p: Int, q: Int, _ b1: [T], _ b2: [T]) -> (
            a: [T], b: [T], n: Int
        ) {
            let n = p + q
            var a = [T](repeating: T(0), count: n * n)
            var b = a
            for r in 0..<p {
                for s in 0..<q {
                    a[r * n + p + s] = c[r * q + s]
                    a[(p + s) * n + r] = c[r * q + s]
                }
            }
            for r in 0..<p { for s in 0..<p { b[r * n + s] = b1[r * p + s] } }
            for r in 0..<q { for s in 0..<q { b[(p + r) * n + p + s] = b2[r * q + s] } }
            return (a, b, n)
        }
        func symmetric(_ x: [T], n: Int) -> [T] {
            (0..<(n * n)).map { k in 0.5 * (x[k] + x[(k % n) * n + k / n]) }
        }
        let idx = (0..<players.count).map { Array(o[$0]..<(o[$0] + d[$0])) }
        switch q {
        case let .curvature(i):
            return (symmetric(sub(jac, idx[i], idx[i]), n: d[i]), sub(fisher, idx[i], idx[i]), d[i])
        case let .ownSize(i):
            let f = sub(fisher, idx[i], idx[i])
            return augmented(sub(jac, idx[i], idx[i]), p: d[i], q: d[i], f, f)
        case let .coupling(i, j):
            return augmented(
                sub(jac, idx[i], idx[j]), p: d[i], q: d[j], sub(fisher, idx[i], idx[i]), sub(fisher, idx[j], idx[j]))
        case let .margin(w):
            // sym(W J̃) − α W F̃ ⪰ 0 (W = diag(w_i I)): α(w) in the metric of w.
            let player = (0..<m).map { r in o.lastIndex { $0 <= r }! }
            var wj = jac
            var wf = fisher
            for r in 0..<m {
                for c in 0..<m {
                    wj[r * m + c] = w[player[r]] * jac[r * m + c]
                    wf[r * m + c] = w[player[r]] * fisher[r * m + c]
                }
            }
            return (symmetric(wj, n: m), wf, m)
        case let .lipschitz(w):
            // [[β F̃W⁻¹, J̃], [J̃ᵀ, β F̃W]] ⪰ 0 ⟺ ‖W^{1/2} K W^{-1/2}‖ ≤ β.
            let player = (0..<m).map { r in o.lastIndex { $0 <= r }! }
            var fl = fisher
            var fr = fisher
            for r in 0..<m {
                for c in 0..<m {
                    fl[r * m + c] = fisher[r * m + c] / T(w[player[r]])
                    fr[r * m + c] = w[player[r]] * fisher[r * m + c]
                }
            }
            return augmented(jac, p: m, q: m, fl, fr)
        }
    }

    /// The cost of a sub-box in Taylor-model coefficients: m field evaluations (one per tangent
    /// direction), each of whose numbers carries `(s + 1)(s + 2)/2` coefficients for s symbols
    /// (`taylorLogits`: one per two-action block, one per logit of larger blocks).
    public var proofWorkPerBox: Int {
        let m = layout.tangentCount
        let s = players.reduce(0) { $0 + ($1.actions == 2 ? 1 : $1.actions) } * layout.stateCount
        return m * (s + 1) * (s + 2) / 2
    }

    public func proveRegion(_ request: BoundRequest, budget: Int) -> RegionProof? {
        proveBounds(request, budget: budget)
    }

    public func proveRegion(_ request: BoundRequest, budget: Int, radius: Double) -> RegionProof? {
        proveBounds(request, budget: budget, radius: radius)
    }

    /// Proves the request on the whole logit box (or, with `radius`, on the box of that radius
    /// around the same centre) by adaptive bisection, within `budget` sub-boxes.
    public func proveBounds(
        _ request: BoundRequest, budget: Int = RegionProof.defaultBudget,
        targetGap: Double = RegionProof.targetGap, radius: Double? = nil
    ) -> RegionProof {
        guard solution.converged else { return .incomplete(reason: "no equilibrium to centre the region on", boxes: 0) }
        let n = players.count
        var quantities: [ProofQuantity] = []
        var targets: [Double] = []
        for i in 0..<n {
            quantities.append(.curvature(i))
            targets.append(request.constants.curvature[i])
            quantities.append(.ownSize(i))
            targets.append(-request.constants.ownSize[i])
            for j in 0..<n where j != i {
                quantities.append(.coupling(i, j))
                targets.append(-request.constants.coupling(i, j))
            }
        }
        for (w, t) in zip(request.marginWeights, request.marginTargets) {
            quantities.append(.margin(w))
            targets.append(t)
        }
        for (w, t) in zip(request.lipschitzWeights, request.lipschitzTargets) {
            quantities.append(.lipschitz(w))
            targets.append(-t)
        }
        let qs = quantities
        let ts = targets
        let scale = max(request.lipschitzTargets.max() ?? 0, request.constants.ownSize.max() ?? 0, 1e-300)
        let floor = RegionProof.gapFloor * scale

        @Sendable func bounds(_ box: [Interval]) -> [Double] { taylorBounds(qs, targets: ts, floor: floor, on: box) }
        let c = regionCenter
        let r = radius ?? regionSpec.radius
        var boxes: [(box: [Interval], bounds: [Double])] = []
        let root = differenceBox(c.map { Interval(lower: $0 - r, upper: $0 + r) })
        boxes.append((root, bounds(root)))
        func gaps() -> [Double] {
            quantities.indices.map { k in
                let worst = boxes.reduce(Double.infinity) { min($0, $1.bounds[k]) }
                return (targets[k] - worst) / max(abs(targets[k]), floor)
            }
        }
        var g = gaps()
        while let worst = g.indices.max(by: { g[$0] < g[$1] }), g[worst] > targetGap, boxes.count < budget {
            // The sub-box attaining the loosest bound of the loosest quantity; split its widest side.
            let b = boxes.indices.min { boxes[$0].bounds[worst] < boxes[$1].bounds[worst] }!
            let box = boxes[b].box
            let side = box.indices.max { box[$0].width < box[$1].width }!
            let mid = box[side].value
            var halves = (box, box)
            halves.0[side] = Interval(lower: box[side].lower, upper: mid)
            halves.1[side] = Interval(lower: mid, upper: box[side].upper)
            let (left, right) = halves
            let children = Parallel.map(count: 2) { bounds($0 == 0 ? left : right) }
            boxes[b] = (left, children[0])
            boxes.append((right, children[1]))
            g = gaps()
        }
        let proven = quantities.indices.map { k in boxes.reduce(Double.infinity) { min($0, $1.bounds[k]) } }
        guard proven.allSatisfy(\.isFinite) else {
            return .incomplete(
                reason:
                    "the work budget of \(budget) sub-boxes was spent before every bound was established on the region",
                boxes: boxes.count)
        }
        // Assemble in the request's shape.
        var curvature = [Double](repeating: 0, count: n)
        var own = curvature
        var coupling = [[(col: Int, value: Double)]](repeating: [], count: n)
        var margins: [Double] = []
        var lipschitz: [Double] = []
        for (k, q) in quantities.enumerated() {
            let v = q.isUpper ? -proven[k] : proven[k]
            switch q {
            case let .curvature(i): curvature[i] = v
            case let .ownSize(i): own[i] = v
            case let .coupling(i, j): if v > 0 { coupling[i].append((j, v)) }
            case .margin: margins.append(v)
            case .lipschitz: lipschitz.append(v)
            }
        }
        return .proven(
            ProvenBounds(
                constants: BlockConstants(curvature: curvature, ownSize: own, coupling: coupling),
                margins: margins, lipschitz: lipschitz, boxes: boxes.count, gap: max(0, g.max() ?? 0)))
    }
}
