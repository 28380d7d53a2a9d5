import Foundation

/// A game whose players' losses are smooth formulas (docs/smooth-games.md).
///
/// Player i minimises `f_i(x)` over its coordinates `x_i` (inside `[lower, upper]` when given:
/// projected dynamics). The pseudo-gradient `F_i = ∇_{x_i} f_i` and its Jacobian
/// `J_ij = ∂F_i/∂x_j` come from hyper-dual forward-mode differentiation of the parsed formulas:
/// on `Double` at points, on `Interval` as enclosures over sub-boxes of the region, which
/// `BoxProof` turns into constants proven on the whole region.
public struct SmoothGame: Sendable {
    public struct Player: Sendable {
        public var name: String
        public var dim: Int
        public var lower: [Double]?
        public var upper: [Double]?
        public var loss: Formula
        public init(name: String, dim: Int, lower: [Double]?, upper: [Double]?, loss: Formula) {
            self.name = name
            self.dim = dim
            self.lower = lower
            self.upper = upper
            self.loss = loss
        }
    }

    /// Where the constants are proven.
    public enum RegionSpec: Sendable, Equatable {
        /// `[x* − r, x* + r]` per coordinate (intersected with the players' bounds).
        case radius(Double)
        /// An explicit box, flat per coordinate (intersected with the players' bounds).
        case box(lower: [Double], upper: [Double])
        /// The players' bounds (every coordinate has both).
        case bounds

        /// Radius used when the region is not given and some coordinate is unbounded.
        public static let defaultRadius = 0.5
    }

    public let name: String
    public let description: String?
    public let players: [Player]
    public let offsets: [Int]
    public let regionSpec: RegionSpec
    public let proofSettings: BoxProof.Settings
    /// The equilibrium found when the game was built.
    public private(set) var solution: SmoothEquilibrium
    /// The region box (empty until the equilibrium is known for a radius region).
    public private(set) var regionBox: [Interval]

    public init(
        name: String, description: String? = nil, players: [Player], region: RegionSpec,
        proof: BoxProof.Settings = .standard
    ) {
        self.name = name
        self.description = description
        self.players = players
        var offsets: [Int] = []
        var total = 0
        for p in players {
            offsets.append(total)
            total += p.dim
        }
        self.offsets = offsets
        self.regionSpec = region
        self.proofSettings = proof
        self.solution = SmoothEquilibrium(
            point: [Double](repeating: 0, count: total), residual: .infinity,
            tolerance: 0, method: "not computed")
        self.regionBox = []
        self.solution = solveEquilibrium()
        self.regionBox = resolveRegion(center: solution.point)
    }

    public var totalDimension: Int { players.reduce(0) { $0 + $1.dim } }
    public var lowerBounds: [Double] { players.flatMap { $0.lower ?? Array(repeating: -.infinity, count: $0.dim) } }
    public var upperBounds: [Double] { players.flatMap { $0.upper ?? Array(repeating: .infinity, count: $0.dim) } }

    /// The region box for a given centre (the equilibrium for a radius region).
    func resolveRegion(center: [Double]) -> [Interval] {
        let lo = lowerBounds
        let hi = upperBounds
        switch regionSpec {
        case let .radius(r):
            return center.indices.map {
                Interval(lower: max(center[$0] - r, lo[$0]), upper: min(center[$0] + r, hi[$0]))
            }
        case let .box(l, u):
            return l.indices.map { Interval(lower: max(l[$0], lo[$0]), upper: min(u[$0], hi[$0])) }
        case .bounds:
            return lo.indices.map { Interval(lower: lo[$0], upper: hi[$0]) }
        }
    }

    /// Which player owns flat coordinate k.
    func owner(of k: Int) -> Int {
        var i = 0
        while i + 1 < offsets.count, offsets[i + 1] <= k { i += 1 }
        return i
    }

    /// `F(x)`: per player the gradient of its loss in its own coordinates.
    public func pseudoGradient(_ x: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: x.count)
        for (i, p) in players.enumerated() {
            for k in 0..<p.dim {
                let row = offsets[i] + k
                guard p.loss.variables.contains(row) else { continue }
                let h = x.indices.map { HyperDual<Double>(x[$0], $0 == row ? 1 : 0, 0, 0) }
                out[row] = p.loss.evaluate(h).b
            }
        }
        return out
    }

    /// `J(x)` row-major in scalar type T: `J[row][col] = ∂²f_i/∂x_row ∂x_col` for row in player
    /// i's coordinates, from the ε₁ε₂ part of a hyper-dual evaluation (zero where the loss does
    /// not read both variables).
    func jacobian<T: SmoothScalar>(_ x: [T]) -> [T] {
        let n = x.count
        var out = [T](repeating: T(0), count: n * n)
        for (i, p) in players.enumerated() {
            let reads = p.loss.variables
            for k in 0..<p.dim {
                let row = offsets[i] + k
                guard reads.contains(row) else { continue }
                for col in reads {
                    let h = x.indices.map { v in
                        HyperDual<T>(x[v], T(v == row ? 1 : 0), T(v == col ? 1 : 0), T(0))
                    }
                    out[row * n + col] = p.loss.evaluate(h).d
                }
            }
        }
        return out
    }

    /// The natural-map residual `‖x − P(x − F(x))‖∞`: zero exactly at equilibria of the boxed
    /// game (and `‖F(x)‖∞` without bounds).
    public func naturalResidual(_ x: [Double]) -> Double {
        let f = pseudoGradient(x)
        let y = project(zip(x, f).map { $0 - $1 })
        var r = 0.0
        for k in x.indices {
            let d = abs(x[k] - y[k])
            if !d.isFinite { return .infinity }
            r = max(r, d)
        }
        return r
    }

    /// Per player, the coordinates of a flat vector.
    public func split(_ x: [Double]) -> [[Double]] {
        players.indices.map { Array(x[offsets[$0]..<(offsets[$0] + players[$0].dim)]) }
    }
}
