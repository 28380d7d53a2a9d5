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
        var raw = [0]
        var tangent = [0]
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
                let raw = logitRange(player: i, state: s)
                let tan = tangentRange(player: i, state: s)
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
                let raw = logitRange(player: i, state: s)
                let tan = tangentRange(player: i, state: s)
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
