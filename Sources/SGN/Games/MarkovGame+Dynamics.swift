/// The learning dynamics a Markov game's certificate is about, on raw logits.
///
/// `field` is the natural policy gradient direction `U F̃(θ)⁻¹ Uᵀ F(θ)` per player and state
/// (fisher) or the plain policy gradient `F(θ)` (euclidean); both are sum-zero per state, so a
/// step never changes the constant the policy cannot see. Near θ* in the coordinates
/// `z = F̃(θ*)^{1/2} Uᵀ (θ − θ*)` the Euler step `θ ← θ − h·field(θ)` is `z ← z − hKz`, the map
/// the certificate's constants describe.
extension MarkovGame: GameDynamics {
    public var stateDimension: Int { layout.rawCount }

    public func field(_ theta: [Double]) -> [Double] { certifiedField(theta) }

    /// The certified field over any scalar: values here, Jacobian columns on `Dual`, enclosures on
    /// `NestedDual<TaylorModel>` (MarkovGame+Proof.swift). Fisher: the closed form
    /// `τ(θ − mean θ) − d(Q̄ − mean Q̄)` (`naturalGradient`), equal to `U F̃⁻¹ Uᵀ F` without
    /// solving with F̃, whose rounding grows like 1/π_min.
    public func certifiedField<T: GradientScalar>(_ theta: [T], factors: SystemFactors? = nil) -> [T] {
        geometryKind == .fisher ? naturalGradient(theta, factors: factors) : pseudoGradient(theta, factors: factors)
    }

    public func project(_ x: [Double]) -> [Double] { x }

    /// `√(Σ_i w_i Σ_s ‖F̃_{i,s}(θ*)^{1/2} U_iᵀ dx_{i,s}‖²)` (F̃ = I for euclidean): the
    /// certificate's metric, in which shifts of a state's logits have length 0.
    public func metricNorm(_ dx: [Double], weights: [Double]) -> Double {
        var total = 0.0
        for i in players.indices {
            let u = layout.bases[i]
            for s in 0..<layout.stateCount {
                var e = u.transposeTimes(Array(dx[layout.logitRange(player: i, state: s)]))
                if geometryKind == .fisher { e = metricFactors[i][s] * e }
                total += weights[i] * e.reduce(0) { $0 + $1 * $1 }
            }
        }
        return total.squareRoot()
    }

    public func equilibriumState(certifiedStep: Double?) -> [Double]? {
        solution.converged ? solution.logits : nil
    }
}
