/// What the certifier asks a game class to prove over its whole region: the block constants and,
/// for given weight vectors, the margin and Lipschitz constant — with the sampled estimates as
/// targets (a proven bound is never better than a sampled value, so the targets measure how
/// tight the proof is).
public struct BoundRequest: Sendable {
    public var constants: BlockConstants
    /// Weight vectors whose margin α(w) is wanted, with the sampled values.
    public var marginWeights: [[Double]]
    public var marginTargets: [Double]
    /// Weight vectors whose Lipschitz constant β(w) is wanted, with the sampled values.
    public var lipschitzWeights: [[Double]]
    public var lipschitzTargets: [Double]

    public init(
        constants: BlockConstants, marginWeights: [[Double]], marginTargets: [Double],
        lipschitzWeights: [[Double]], lipschitzTargets: [Double]
    ) {
        self.constants = constants
        self.marginWeights = marginWeights
        self.marginTargets = marginTargets
        self.lipschitzWeights = lipschitzWeights
        self.lipschitzTargets = lipschitzTargets
    }
}

/// Bounds valid at every point of the region (the answers to a `BoundRequest`).
public struct ProvenBounds: Sendable {
    public var constants: BlockConstants
    public var margins: [Double]
    public var lipschitz: [Double]
    /// Sub-boxes of the final subdivision.
    public var boxes: Int
    /// Largest relative distance of a proven bound from its sampled estimate (see `RegionProof`).
    public var gap: Double
}

/// The outcome of an attempt to prove a request.
public enum RegionProof: Sendable {
    /// Every requested bound holds on the whole region.
    case proven(ProvenBounds)
    /// The proof was not completed (the reason says why; the sampled estimates stand).
    case incomplete(reason: String, boxes: Int)

    /// The relative gap the subdivision aims for: it stops refining once every proven bound is
    /// within this fraction of its sampled estimate (measured against the larger of |estimate|
    /// and `gapFloor`·β).
    public static let targetGap = 0.02
    /// Fraction of the sampled Lipschitz constant below which a quantity counts as that size
    /// when measuring relative gaps (so that near-zero couplings do not demand endless work).
    public static let gapFloor = 0.01
    /// Work budget: the largest number of sub-boxes of one proof.
    public static let defaultBudget = 4096
    /// The budget `sgn certify` gives the proof by default (`--proof-budget`): small enough that
    /// certifying every example stays fast in a debug build (docs/markov-games.md).
    public static let certifyBudget = 64
    /// `constants.proof.method` of a Markov certificate whose constants this proof established.
    public static let method = ProofMethod.logitBoxCertifiedField
    /// After a failed proof, how many halvings of the radius `certify` tries (each with
    /// budget/halvings sub-boxes) to name the largest radius it can prove.
    public static let halvings = 3
    /// Without `--estimation`, the proof is attempted only when a sub-box costs at most this many
    /// work units (`Game.proofWorkPerBox`: for Markov games the Taylor-model coefficients of a
    /// sub-box, m(s+1)(s+2)/2 for m tangent directions and s symbols), so that the default stays
    /// fast; larger games need `--estimation proven` (docs/markov-games.md).
    public static let autoWorkLimit = 200
}

/// How `certify` obtains the constants of a sampled game (`--estimation`).
public enum EstimationMode: String, Sendable, CaseIterable {
    /// Try the proof within the budget; fall back to the sampled estimates with the reason.
    case auto
    /// Only proven constants certify; a failed proof makes the certificate not_certified.
    case proven
    /// Sampled estimates only (no proof attempted).
    case sampled
}
