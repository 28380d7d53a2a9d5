/// The basin of a Markov game's certificate (docs/method.md §8; derivation in
/// docs/markov-games.md, "Basin").
///
/// The certificate's metric lives in tangent, Fisher-normalised coordinates at θ*:
/// `‖δ‖²_M = Σ_i w_i Σ_s ‖F̃_{i,s}^{1/2} U_iᵀ δ_{i,s}‖²` (F̃ = I for the euclidean geometry).
/// Write `e_{i,s} = U_iᵀ δ_{i,s}`; `‖e_{i,s}‖₂` is the 2-norm of the centred logit displacement
/// `δ_{i,s} − mean(δ_{i,s})`. Two facts bound the map between the raw-logit ∞-box and the metric:
///
/// 1. A sum-zero vector has `(max − min)/2 ≤ ‖e‖₂/√2`, and the policy only sees the logits up to
///    a shift, so the box condition for player i in state s is `(max − min)/2 of θ − c ≤ r`.
/// 2. On the whole box every eigenvalue of F̃_{i,s} lies in `[lo_{i,s}, hi_{i,s}]`, the smallest
///    and largest probability over the box (`vᵀF̃v` is the variance under π of the sum-zero
///    `Uv`, between `π_min‖v‖²` and `π_max‖v‖²`), with probability ranges from
///    `SoftmaxGeometry.probabilityRange`.
///
/// Ball inside the box: with slack `r_{i,s} = r − (max − min)/2 of (θ* − c)_{i,s}`,
/// `ρ = √2 · min_{i,s} r_{i,s} √(w_i lo_{i,s})`. Box inside the ball: `‖θ0 − θ*‖∞ ≤ b` gives
/// `‖e_{i,s}‖₂ ≤ √A_i · b`, so `‖δ‖_M ≤ b √(Σ_i w_i A_i Σ_s hi_{i,s})`. The basin radius is
/// `b = ρ / √(Σ_i w_i A_i Σ_s hi_{i,s})`. The bounds hold for the metric frozen at θ* and for the
/// Fisher metric at any point of the box alike.
extension MarkovGame {
    public func basinRadius(weights w: [Double]) -> Double? {
        guard solution.converged else { return nil }
        let r = regionSpec.radius
        let c = regionCenter
        let star = solution.logits
        var rho = Double.infinity
        var spread = 0.0
        for i in players.indices {
            for s in 0..<layout.stateCount {
                let range = layout.logitRange(player: i, state: s)
                let offset = SoftmaxGeometry.quotientMaxNorm(ArraySlice(range.map { star[$0] - c[$0] }))
                let slack = r - offset
                guard slack > 0 else { return nil }
                let (lo, hi) = fisherEigenvalueRange(player: i, state: s)
                rho = min(rho, 2.0.squareRoot() * slack * (w[i] * lo).squareRoot())
                spread += w[i] * Double(players[i].actions) * hi
            }
        }
        guard rho.isFinite, rho > 0, spread > 0 else { return nil }
        return rho / spread.squareRoot()
    }

    /// Bounds on the eigenvalues of the restricted Fisher matrix of player i in state s over the
    /// whole region (1 and 1 for the euclidean geometry).
    public func fisherEigenvalueRange(player i: Int, state s: Int) -> (lower: Double, upper: Double) {
        guard geometryKind == .fisher else { return (1, 1) }
        let p = SoftmaxGeometry.policy(regionCenter[layout.logitRange(player: i, state: s)])
        var lo = Double.infinity
        var hi = 0.0
        for pa in p {
            let range = SoftmaxGeometry.probabilityRange(centre: pa, radius: regionSpec.radius)
            lo = min(lo, range.lower)
            hi = max(hi, range.upper)
        }
        return (lo, hi)
    }
}
