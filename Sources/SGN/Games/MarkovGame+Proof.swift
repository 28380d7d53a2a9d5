import Foundation

/// Proven constants of a Markov game on its whole logit box (docs/markov-games.md, "Proven
/// constants"): enclosures of the Jacobian D of the certified field (interval duals through the
/// exact field code) on sub-boxes, PSD tests of interval matrices in the certificate's metric
/// (the Fisher matrix frozen at θ*) for every requested quantity, and adaptive bisection of the
/// sub-box whose bound is loosest.
extension MarkovGame {
    /// The pair of interval matrices the PSD tests of a sub-box are built from (m×m, row-major):
    /// `jacobian` is `M·D` and `fisher` is M, where D encloses the tangent Jacobian of the
    /// certified field (`certifiedField`) at every θ of the box and M is the certificate's metric
    /// — `F̃(θ*)`, block diagonal, enclosed at the point θ* (fisher), or the identity
    /// (euclidean, where D = J̃). With `K̂ = M^{1/2} D M^{-1/2}` every test of the shared
    /// pipeline on K̂ is a test on the pencil (M·D, M) (docs/markov-games.md gives each one).
    public func enclosures(on box: [Interval]) -> (jacobian: [Interval], fisher: [Interval]) {
        let d = fieldJacobianEnclosure(on: box)
        let metric = metricEnclosure
        guard geometryKind == .fisher else { return (d, metric) }
        let m = layout.tangentCount
        var product = [Interval](repeating: Interval(0), count: m * m)
        for i in players.indices {
            for s in 0..<layout.stateCount {
                let tan = layout.tangentRange(player: i, state: s)
                for r in tan {
                    for c in 0..<m {
                        var x = Interval(0)
                        for q in tan { x = x + metric[r * m + q] * d[q * m + c] }
                        product[r * m + c] = x
                    }
                }
            }
        }
        return (product, metric)
    }

    /// The certificate's metric as an interval matrix: `F̃(θ*)` (fisher, enclosed at the point θ*
    /// without cancellation) or the identity.
    var metricEnclosure: [Interval] { fisherEnclosure(on: solution.logits.map { Interval($0) }) }

    /// An enclosure of `D = Uᵀ(∂G/∂θ)U` (m×m, row-major) over a raw-logit box, G the certified
    /// field: the intersection of the direct (interval-dual) enclosure and the second-order
    /// centred form (docs/enclosures.md). With c the box's midpoint, `t = Uᵀ(θ − c)` (each
    /// coordinate's range over the box enclosed) and u_k the k-th tangent direction in raw logits,
    ///
    ///     D_{·u}(θ) = ∂_uG(c) + Σ_q t_q ∂_q∂_uG(c) + ½ Σ_{q,p} t_q t_p ∂_p∂_q∂_uG(ξ)
    ///
    /// for some ξ on the segment from c to θ (Taylor's theorem with the Lagrange remainder along
    /// the segment, entry by entry). G is invariant under per-state logit shifts, so ξ may be
    /// taken in the box itself (c + s(θ − c)), where `NestedDual<IntervalHyperDual>` encloses the
    /// third derivatives. The point terms come from hyper-duals at c (point intervals), so the
    /// dependency loss of interval arithmetic only enters through the remainder, which is O(r²).
    /// Third derivatives are symmetric in (u, q, p): one evaluation per multiset.
    func fieldJacobianEnclosure(on box: [Interval]) -> [Interval] {
        let direct = directJacobianEnclosure(on: box)
        let m = layout.tangentCount
        let centre = box.map { Interval($0.value) }
        // Raw direction of each tangent coordinate, and the range of t = Uᵀ(θ − c) over the box.
        var directions: [[(index: Int, weight: Double)]] = []
        var t: [Interval] = []
        for j in players.indices {
            let u = layout.bases[j]
            for s in 0..<layout.stateCount {
                let raw = layout.logitRange(player: j, state: s)
                for q in 0..<(players[j].actions - 1) {
                    var d: [(index: Int, weight: Double)] = []
                    var range = Interval(0)
                    for (r, idx) in raw.enumerated() where u[r, q] != 0 {
                        d.append((idx, u[r, q]))
                        range = range + u[r, q] * (box[idx] - centre[idx])
                    }
                    directions.append(d)
                    t.append(range)
                }
            }
        }
        // Point terms at c: column u of D(c) and S[u][q] = ∂_q∂_uG(c) (symmetric in u, q).
        var columns = [[Interval]](repeating: [], count: m)
        var second = [[[Interval]]](repeating: [[Interval]](repeating: [], count: m), count: m)
        var point = centre.map { IntervalHyperDual($0) }
        for u in 0..<m {
            for (idx, w) in directions[u] { point[idx].first = Interval(w) }
            for q in u..<m {
                for (idx, w) in directions[q] { point[idx].second = Interval(w) }
                let g = certifiedField(point)
                if q == u { columns[u] = tangentEnclosure(g.map(\.first)) }
                let mixed = tangentEnclosure(g.map(\.mixed))
                second[u][q] = mixed
                second[q][u] = mixed
                for (idx, _) in directions[q] { point[idx].second = Interval(0) }
            }
            for (idx, _) in directions[u] { point[idx].first = Interval(0) }
        }
        // Remainder: T[u, q, p] = ∂_p∂_q∂_uG over the box, one evaluation per u ≤ q ≤ p.
        var third = [String: [Interval]]()
        func key(_ a: Int, _ b: Int, _ c: Int) -> String {
            let s = [a, b, c].sorted()
            return "\(s[0]),\(s[1]),\(s[2])"
        }
        var nested = box.map { NestedDual(IntervalHyperDual($0), tangent: IntervalHyperDual(0)) }
        for u in 0..<m {
            for (idx, w) in directions[u] { nested[idx].real.first = Interval(w) }
            for q in u..<m {
                for (idx, w) in directions[q] { nested[idx].real.second = Interval(w) }
                for p in q..<m {
                    for (idx, w) in directions[p] { nested[idx].tangent.real = Interval(w) }
                    third[key(u, q, p)] = tangentEnclosure(certifiedField(nested).map(\.tangent.mixed))
                    for (idx, _) in directions[p] { nested[idx].tangent.real = Interval(0) }
                }
                for (idx, _) in directions[q] { nested[idx].real.second = Interval(0) }
            }
            for (idx, _) in directions[u] { nested[idx].real.first = Interval(0) }
        }
        var jac = [Interval](repeating: Interval(0), count: m * m)
        for u in 0..<m {
            for r in 0..<m {
                var x = columns[u][r]
                for q in 0..<m { x = x + t[q] * second[u][q][r] }
                var rest = Interval(0)
                for q in 0..<m {
                    rest = rest + Interval.square(t[q]) * third[key(u, q, q)]![r]
                    for p in (q + 1)..<m { rest = rest + Interval(2) * (t[q] * t[p]) * third[key(u, q, p)]![r] }
                }
                x = x + Interval(0.5) * rest
                jac[r * m + u] = x.intersection(direct[r * m + u]) ?? direct[r * m + u]
            }
        }
        return jac
    }

    /// The direct enclosure of D over a box: the exact field on interval duals.
    func directJacobianEnclosure(on box: [Interval]) -> [Interval] {
        let m = layout.tangentCount
        var jac = [Interval](repeating: Interval(0), count: m * m)
        var point = box.map { IntervalDual($0) }
        for j in players.indices {
            let u = layout.bases[j]
            for s in 0..<layout.stateCount {
                let raw = layout.logitRange(player: j, state: s)
                let tan = layout.tangentRange(player: j, state: s)
                for k in 0..<(players[j].actions - 1) {
                    for (r, idx) in raw.enumerated() { point[idx].tangent = Interval(u[r, k]) }
                    let column = tangentEnclosure(certifiedField(point).map(\.tangent))
                    let c = tan.lowerBound + k
                    for r in 0..<m { jac[r * m + c] = column[r] }
                }
                for idx in raw { point[idx].tangent = Interval(0) }
            }
        }
        return jac
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

    /// `Uᵀ v` per player and state, in interval arithmetic.
    func tangentEnclosure(_ v: [Interval]) -> [Interval] {
        var out = [Interval](repeating: Interval(0), count: layout.tangentCount)
        for i in players.indices {
            let u = layout.bases[i]
            for s in 0..<layout.stateCount {
                let raw = layout.logitRange(player: i, state: s)
                let tan = layout.tangentRange(player: i, state: s)
                for k in 0..<tan.count {
                    var x = Interval(0)
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
    func pencil(_ q: ProofQuantity, jacobian jac: [Interval], fisher: [Interval]) -> (
        a: [Interval], b: [Interval], n: Int
    ) {
        let m = layout.tangentCount
        let o = layout.tangentOffsets
        let d = layout.tangentDims
        func sub(_ x: [Interval], _ rows: [Int], _ cols: [Int]) -> [Interval] {
            rows.flatMap { r in cols.map { c in x[r * m + c] } }
        }
        /// [[0, C], [Cᵀ, 0]] and blockdiag(B1, B2) for a p×q block C.
        func augmented(_ c: [Interval], p: Int, q: Int, _ b1: [Interval], _ b2: [Interval]) -> (
            a: [Interval], b: [Interval], n: Int
        ) {
            let n = p + q
            var a = [Interval](repeating: Interval(0), count: n * n)
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
        func symmetric(_ x: [Interval], n: Int) -> [Interval] {
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
                    fl[r * m + c] = fisher[r * m + c] / Interval(w[player[r]])
                    fr[r * m + c] = w[player[r]] * fisher[r * m + c]
                }
            }
            return augmented(jac, p: m, q: m, fl, fr)
        }
    }

    /// Third-order evaluations per sub-box (one per multiset {u, q, p} of tangent directions,
    /// m(m+1)(m+2)/6): the dominant cost of the second-order centred form.
    public var proofWorkPerBox: Int {
        let m = layout.tangentCount
        return m * (m + 1) * (m + 2) / 6
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

        @Sendable func bounds(_ box: [Interval]) -> [Double] {
            let (jac, fisher) = enclosures(on: box)
            return qs.indices.map { k in
                let (a, b, size) = pencil(qs[k], jacobian: jac, fisher: fisher)
                return IntervalLinearAlgebra.largestProvenShift(
                    a, b, size: size, estimate: ts[k],
                    scale: max(abs(ts[k]), floor))
            }
        }
        let c = regionCenter
        let r = radius ?? regionSpec.radius
        var boxes: [(box: [Interval], bounds: [Double])] = []
        let root = c.map { Interval(lower: $0 - r, upper: $0 + r) }
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
