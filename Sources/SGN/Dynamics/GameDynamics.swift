/// The learning dynamics a certificate speaks about, in one flat state vector, so that
/// simulation and verification are the same code for every game class.
///
/// The continuous dynamics are `ẋ = −field(x)`; projected Euler is
/// `x⁺ = project(x − h·field(x))`; RK4 integrates the same flow.
public protocol GameDynamics: Sendable {
    /// Length of the flat state (quadratic: Σ d_i; Markov: raw logits, Σ_i S·A_i).
    var stateDimension: Int { get }
    /// Quadratic games: the pseudo-gradient `F(x)`. Markov games: the (natural) policy
    /// gradient direction in logits for the game's geometry.
    func field(_ x: [Double]) -> [Double]
    /// Projection onto the feasible set (identity when unconstrained).
    func project(_ x: [Double]) -> [Double]
    /// Length of a displacement `dx = x − x*` in the certificate's metric `diag(w_i I)` in the
    /// game's geometry (for Markov games: tangent, Fisher-normalised at the equilibrium).
    func metricNorm(_ dx: [Double], weights: [Double]) -> Double
    /// The equilibrium as a flat state, computed with the certified step where needed.
    func equilibriumState(certifiedStep: Double?) -> [Double]?
    /// Whether `project` is a projection onto a constraint set (not the identity), which changes
    /// what step sizes guarantee (SGN-METHOD §5).
    var isConstrained: Bool { get }
}

extension GameDynamics {
    public var isConstrained: Bool { false }
}

extension GameDynamics {
    public func euclideanNorm(_ dx: [Double]) -> Double {
        dx.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
}
