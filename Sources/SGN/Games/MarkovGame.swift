import Foundation

/// A tabular, entropy-regularised Markov game with softmax policies (input format, geometry
/// and meaning of the certificate: docs/markov-games.md).
///
/// Player i maximises `J_i = Σ_{s,a} d(s,a) R_i(s,a) + τ Σ_s H(π_i(·|s))` over its logits
/// `θ_i(s,·)`; its loss is `f_i = −J_i`. The game answers the one question every game class
/// answers — its Jacobian blocks on the region, in its geometry — by evaluating the exact
/// Jacobian of the certified field (natural policy gradient, or the pseudo-gradient for
/// `euclidean`; forward-mode automatic differentiation) in the tangent space of the logits at
/// sample points of a logit box around the equilibrium, in the Fisher metric frozen at the
/// equilibrium for the `fisher` geometry.
public struct MarkovGame: Sendable {
    /// Which learning dynamics the certificate is about.
    public enum Geometry: String, Sendable, CaseIterable {
        /// Natural policy gradient: constants of its Jacobian D in the Fisher metric frozen at θ*,
        /// `F*^{1/2} D F*^{-1/2}` (`K = F̃^{-1/2} J̃ F̃^{-1/2}` at θ*).
        case fisher
        /// Plain policy gradient in logits: constants of `J̃`.
        case euclidean
    }

    public struct Player: Sendable, Equatable {
        public var name: String
        public var actions: Int
        /// Names of the actions (strategy names of an `.nfg` file, or `action_names`), if given.
        public var actionNames: [String]?
        public init(name: String, actions: Int, actionNames: [String]? = nil) {
            self.name = name
            self.actions = actions
            self.actionNames = actionNames
        }
    }

    /// The logit box the constants are sampled on.
    public struct Region: Sendable {
        /// ∞-norm radius of the box in raw logits.
        public var radius: Double
        /// Number of points (centre included). Nil (the key left out): every vertex while there
        /// are at most `maxEnumeratedVertices`, else `defaultSamples`. Given: exactly this many
        /// (`MarkovGame.samplePoints`).
        public var samples: Int?
        public var seed: UInt64
        /// Raw logits of the centre (player-major, then state, then action); nil means the
        /// computed equilibrium.
        public var center: [Double]?

        public static let defaultRadius = 0.1
        public static let defaultSamples = 256
        public static let defaultSeed: UInt64 = 1
        /// Every vertex of the box is a sample point while there are at most this many.
        public static let maxEnumeratedVertices = 4096

        /// How many points the region has for `rawCount` raw logits (see `samples`).
        public func pointCount(rawCount n: Int) -> Int {
            if let samples { return samples }
            return n < 63 && (1 << n) <= Region.maxEnumeratedVertices ? (1 << n) + 1 : Region.defaultSamples
        }

        public init(
            radius: Double = defaultRadius, samples: Int? = nil, seed: UInt64 = defaultSeed,
            center: [Double]? = nil
        ) {
            self.radius = radius
            self.samples = samples
            self.seed = seed
            self.center = center
        }
    }

    public let name: String
    public let description: String?
    public let stateNames: [String]
    /// Initial state distribution ρ0.
    public let initial: [Double]
    /// γ ∈ [0, 1).
    public let discount: Double
    /// τ > 0.
    public let temperature: Double
    public let players: [Player]
    /// `P(s'|s, a)` at `((s·J + a)·S + s')`, J the number of joint actions, a the joint index.
    public let transitions: [Double]
    /// `R_i(s, a)` at `rewards[i][s·J + a]`.
    public let rewards: [[Double]]
    public let geometryKind: Geometry
    public let regionSpec: Region
    public let layout: MarkovLayout
    /// The regularised equilibrium, computed once when the game is built.
    public internal(set) var solution: MarkovEquilibrium
    /// Per player and state, `F̃(θ*)^{1/2}`: the certificate's metric (identity for euclidean).
    public internal(set) var metricFactors: [[Matrix]]

    /// Builds the game and computes its equilibrium (see `MarkovGame+Equilibrium.swift`).
    /// Shapes must already be valid (the decoder checks them).
    public init(
        name: String, description: String? = nil, stateNames: [String], initial: [Double], discount: Double,
        temperature: Double, players: [Player], transitions: [Double], rewards: [[Double]],
        geometry: Geometry = .fisher, region: Region = Region()
    ) {
        let layout = MarkovLayout(stateCount: stateNames.count, actions: players.map(\.actions))
        precondition(initial.count == layout.stateCount)
        precondition(transitions.count == layout.stateCount * layout.jointCount * layout.stateCount)
        precondition(
            rewards.count == players.count && rewards.allSatisfy { $0.count == layout.stateCount * layout.jointCount })
        precondition(region.center.map { $0.count == layout.rawCount } ?? true)
        self.name = name
        self.description = description
        self.stateNames = stateNames
        self.initial = initial
        self.discount = discount
        self.temperature = temperature
        self.players = players
        self.transitions = transitions
        self.rewards = rewards
        self.geometryKind = geometry
        self.regionSpec = region
        self.layout = layout
        self.solution = MarkovEquilibrium(
            logits: [Double](repeating: 0, count: layout.rawCount), residual: .infinity,
            tolerance: 0, method: "not computed", branch: "unidentified")
        self.metricFactors = layout.tangentDims.map { d in
            Array(repeating: Matrix.identity(d / layout.stateCount), count: layout.stateCount)
        }
        self.solution = solveEquilibrium()
        if geometry == .fisher, let factors = try? fisherFactors(at: solution.logits) {
            self.metricFactors = factors.map { $0.map(\.root) }
        }
    }

    /// Centre of the region in raw logits.
    public var regionCenter: [Double] { regionSpec.center ?? solution.logits }

    /// Policies of a raw logit vector: per player, per state, the action probabilities.
    public func policies(_ theta: [Double]) -> [[[Double]]] {
        players.indices.map { i in
            (0..<layout.stateCount).map { s in SoftmaxGeometry.policy(theta[layout.logitRange(player: i, state: s)]) }
        }
    }

    /// Per player, per state, the logits of a flat raw vector.
    public func splitLogits(_ theta: [Double]) -> [[[Double]]] {
        players.indices.map { i in
            (0..<layout.stateCount).map { s in Array(theta[layout.logitRange(player: i, state: s)]) }
        }
    }
}
