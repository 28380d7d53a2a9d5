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

    public init(constants: BlockConstants, marginWeights: [[Double]], marginTargets: [Double],
                lipschitzWeights: [[Double]], lipschitzTargets: [Double]) {
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
}
