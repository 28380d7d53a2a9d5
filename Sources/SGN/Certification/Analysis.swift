/// The prologue every consumer of a game's Jacobians shares — the certifier, the verifier and the
/// band chart: the Jacobian set, its block constants, the comparison matrix Γ, the spectra in a
/// block metric, the SGN weights, the gain spectral radius ρ(G) and β at unit weights. One value
/// built by one function, so that all three read the same numbers computed the same way.
public struct Analysis: Sendable {
    /// The Jacobians (or block constants, or an enclosure) the game answered with.
    public let set: JacobianSet
    /// μ_i, ℓ_i and L_ij over the set (proven when the set carries an enclosure).
    public let constants: BlockConstants
    /// Γ built from `constants`.
    public let gamma: ComparisonMatrix
    /// Margins and Lipschitz constants of the whole Jacobian in a block metric (cached).
    public let spectra: MetricSpectra
    /// The SGN rung's weights, margin and τ(Γ) (`OptimalWeights`).
    public let sgn: SGNWeights
    /// ρ(G) of the gain matrix, nil when some μ_i ≤ 0.
    public let gainSpectralRadius: Double?
    /// β at unit weights: the euclidean rung's Lipschitz constant and the verifier's tolerance scale.
    public let euclideanLipschitz: Double

    /// The analysis of `set`. On the iterative path (large sparse games) each part is Krylov work,
    /// so the SGN weights are computed beside β and ρ(G).
    public init(_ set: JacobianSet) throws {
        let constants = try BlockConstants(set)
        let gamma = ComparisonMatrix(constants)
        let spectra = MetricSpectra(set)
        let ones = [Double](repeating: 1, count: constants.playerCount)
        let (measures, sgn) = try Parallel.both(concurrently: !spectra.usesDense) {
            (try spectra.lipschitz(weights: ones), try gamma.gainSpectralRadius())
        } _: {
            try OptimalWeights.compute(gamma)
        }
        self.set = set
        self.constants = constants
        self.gamma = gamma
        self.spectra = spectra
        self.sgn = sgn
        self.euclideanLipschitz = measures.0
        self.gainSpectralRadius = measures.1
    }

    /// The analysis of the game's Jacobians (`Game.jacobians()`, which may throw
    /// `GameNotCertifiable`).
    public init(game: any Game) throws { try self.init(game.jacobians()) }

    public var playerCount: Int { constants.playerCount }
    /// The euclidean rung's weights.
    public var unitWeights: [Double] { [Double](repeating: 1, count: playerCount) }
    /// Whether margins in a metric can be computed (false for a set of block constants only).
    public var hasMargins: Bool { spectra.evaluatesMargins }
}
