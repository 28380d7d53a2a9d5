import Foundation

/// A tabular, entropy-regularised Markov game with softmax policies (SGN-METHOD §8;
/// input format and meaning of the certificate: docs/markov-games.md).
///
/// Player i maximises `J_i = Σ_{s,a} d(s,a) R_i(s,a) + τ Σ_s H(π_i(·|s))` over its logits
/// `θ_i(s,·)`; its loss is `f_i = −J_i`. The game answers the one question every game class
/// answers — its Jacobian blocks on the region, in its geometry — by evaluating the exact
/// Jacobian of the pseudo-gradient (forward-mode automatic differentiation) in the tangent space
/// of the logits at sample points of a logit box around the equilibrium, normalised by the
/// Fisher matrix for the `fisher` geometry.
public struct MarkovGame: Sendable {
    /// Which learning dynamics the certificate is about.
    public enum Geometry: String, Sendable, CaseIterable {
        /// Natural policy gradient: constants of `K = F̃^{-1/2} J̃ F̃^{-1/2}`.
        case fisher
        /// Plain policy gradient in logits: constants of `J̃`.
        case euclidean
    }

    public struct Player: Sendable, Equatable {
        public var name: String
        public var actions: Int
        public init(name: String, actions: Int) {
            self.name = name
            self.actions = actions
        }
    }

    /// The logit box the constants are sampled on.
    public struct Region: Sendable {
        /// ∞-norm radius of the box in raw logits.
        public var radius: Double
        /// Number of points (centre included) when the box has too many vertices to enumerate.
        public var samples: Int
        public var seed: UInt64
        /// Raw logits of the centre (player-major, then state, then action); nil means the
        /// computed equilibrium.
        public var center: [Double]?

        public static let defaultRadius = 0.1
        public static let defaultSamples = 256
        public static let defaultSeed: UInt64 = 1
        /// Every vertex of the box is a sample point while there are at most this many.
        public static let maxEnumeratedVertices = 4096

        public init(radius: Double = defaultRadius, samples: Int = defaultSamples, seed: UInt64 = defaultSeed,
                    center: [Double]? = nil) {
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
    public private(set) var metricFactors: [[Matrix]]

    /// Builds the game and computes its equilibrium (see `MarkovGame+Equilibrium.swift`).
    /// Shapes must already be valid (the decoder checks them).
    public init(name: String, description: String? = nil, stateNames: [String], initial: [Double], discount: Double,
                temperature: Double, players: [Player], transitions: [Double], rewards: [[Double]],
                geometry: Geometry = .fisher, region: Region = Region()) {
        let layout = MarkovLayout(stateCount: stateNames.count, actions: players.map(\.actions))
        precondition(initial.count == layout.stateCount)
        precondition(transitions.count == layout.stateCount * layout.jointCount * layout.stateCount)
        precondition(rewards.count == players.count && rewards.allSatisfy { $0.count == layout.stateCount * layout.jointCount })
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
        self.solution = MarkovEquilibrium(logits: [Double](repeating: 0, count: layout.rawCount), residual: .infinity,
                                          tolerance: 0, method: "not computed")
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
        players.indices.map { i in (0..<layout.stateCount).map { s in Array(theta[layout.logitRange(player: i, state: s)]) } }
    }

    /// `max(1, largest |reward|, τ)`: the scale of the pseudo-gradient's terms, which the
    /// equilibrium tolerance is relative to (so it is exactly 1e-10 for rewards and τ up to 1).
    public var payoffScale: Double {
        let r = rewards.lazy.flatMap { $0 }.reduce(0) { max($0, abs($1)) }
        return max(1, r, temperature)
    }
}

/// Index arithmetic of a Markov game: where each player's logits sit, how joint actions are
/// numbered, and the tangent coordinates.
public struct MarkovLayout: Sendable {
    public let stateCount: Int
    public let actions: [Int]
    /// Number of joint actions `Π A_i`.
    public let jointCount: Int
    /// Joint index `a = Σ_i a_i · strides[i]` (the first player varies slowest, as in the
    /// nested JSON tensors).
    public let strides: [Int]
    /// `actionOf[a·N + i]`: player i's action in joint action a.
    public let actionOf: [Int]
    /// Start of player i's raw logits (S·A_i of them, state-major).
    public let rawOffsets: [Int]
    /// Start of player i's tangent coordinates (S·(A_i − 1) of them, state-major).
    public let tangentOffsets: [Int]
    /// Per player, the A_i×(A_i−1) tangent basis.
    public let bases: [Matrix]

    public init(stateCount: Int, actions: [Int]) {
        self.stateCount = stateCount
        self.actions = actions
        let n = actions.count
        var strides = [Int](repeating: 1, count: n)
        if n > 1 { for i in stride(from: n - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * actions[i + 1] } }
        self.strides = strides
        let joint = actions.reduce(1, *)
        self.jointCount = joint
        var table = [Int](repeating: 0, count: joint * n)
        for a in 0..<joint { for i in 0..<n { table[a * n + i] = (a / strides[i]) % actions[i] } }
        self.actionOf = table
        var raw = [0], tangent = [0]
        for a in actions {
            raw.append(raw.last! + stateCount * a)
            tangent.append(tangent.last! + stateCount * (a - 1))
        }
        self.rawOffsets = raw
        self.tangentOffsets = tangent
        self.bases = actions.map { SoftmaxGeometry.tangentBasis(actions: $0) }
    }

    public var playerCount: Int { actions.count }
    public var rawCount: Int { rawOffsets.last! }
    public var tangentCount: Int { tangentOffsets.last! }
    public var tangentDims: [Int] { actions.map { stateCount * ($0 - 1) } }

    /// Raw indices of player i's logits in state s.
    public func logitRange(player i: Int, state s: Int) -> Range<Int> {
        let start = rawOffsets[i] + s * actions[i]
        return start..<(start + actions[i])
    }

    /// Tangent indices of player i in state s.
    public func tangentRange(player i: Int, state s: Int) -> Range<Int> {
        let start = tangentOffsets[i] + s * (actions[i] - 1)
        return start..<(start + actions[i] - 1)
    }

    /// Tangent coordinates `Uᵀ v` of a raw vector (per player and state).
    public func toTangent(_ v: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: tangentCount)
        for i in 0..<playerCount {
            let u = bases[i]
            for s in 0..<stateCount {
                let raw = logitRange(player: i, state: s), tan = tangentRange(player: i, state: s)
                for k in 0..<(actions[i] - 1) {
                    var x = 0.0
                    for (r, idx) in raw.enumerated() { x += u[r, k] * v[idx] }
                    out[tan.lowerBound + k] = x
                }
            }
        }
        return out
    }

    /// The raw vector `U x` of tangent coordinates (sum zero in every player's every state).
    public func fromTangent(_ x: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: rawCount)
        for i in 0..<playerCount {
            let u = bases[i]
            for s in 0..<stateCount {
                let raw = logitRange(player: i, state: s), tan = tangentRange(player: i, state: s)
                for k in 0..<(actions[i] - 1) {
                    let xk = x[tan.lowerBound + k]
                    if xk == 0 { continue }
                    for (r, idx) in raw.enumerated() { out[idx] += u[r, k] * xk }
                }
            }
        }
        return out
    }
}
