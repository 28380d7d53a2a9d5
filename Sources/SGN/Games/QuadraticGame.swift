/// A game whose pseudo-gradient is affine: `F_i(x) = H_i x_i + Σ_j C_ij x_j + b_i`, optionally
/// constrained to a product of boxes. Its Jacobian is constant, so every constant is exact.
public struct QuadraticGame: Game, GameDynamics {
    public struct Player: Sendable {
        public var name: String
        public var dim: Int
        public var linear: [Double]
        public var lower: [Double]?
        public var upper: [Double]?
    }

    public let name: String
    public let description: String?
    public let players: [Player]
    /// The constant Jacobian: own blocks `H_i` on the diagonal, couplings `C_ij` off it.
    public let jacobian: BlockMatrix

    public init(name: String, description: String? = nil, players: [Player], jacobian: BlockMatrix) {
        self.name = name
        self.description = description
        self.players = players
        self.jacobian = jacobian
    }

    public var kind: String { "quadratic" }
    public var playerNames: [String] { players.map(\.name) }
    public var dims: [Int] { players.map(\.dim) }
    public var geometry: String? { nil }
    public var region: RegionReport { isConstrained ? .box : .global }
    public var isConstrained: Bool { players.contains { $0.lower != nil || $0.upper != nil } }
    /// A boxed game's equilibrium is found by the certified projected Euler map.
    public var equilibriumUsesStep: Bool { isConstrained }

    public func jacobians() throws -> JacobianSet {
        JacobianSet(jacobians: [try certifiedJacobian()], estimation: .exact)
    }

    /// The Jacobian is constant: the certified one (pinned coordinates replaced) is exact.
    public func exactJacobian() throws -> BlockMatrix? { try certifiedJacobian() }

    /// The Jacobian the certificate is about. Coordinates pinned by the box (`lower == upper`)
    /// never move, so differences of feasible points vanish there and the projection discards
    /// their updates: their rows and columns of J play no part in any margin or step bound. They
    /// are replaced by `c·I` with `c = max_i ‖J_ii‖₂`, which can neither lower the margin (it is
    /// at most every own block's λmin) nor raise β above the original game's. Without pinned
    /// coordinates this is `jacobian` itself.
    public func certifiedJacobian() throws -> BlockMatrix {
        let pinned = players.map { p -> [Int] in
            guard let lo = p.lower, let hi = p.upper else { return [] }
            return (0..<p.dim).filter { lo[$0] == hi[$0] }
        }
        guard pinned.contains(where: { !$0.isEmpty }) else { return jacobian }
        var c = 0.0
        for h in jacobian.diagonal { c = max(c, try LAPACK.spectralNorm(h)) }
        if c == 0 { c = 1 }
        var diagonal = jacobian.diagonal
        var off = jacobian.offDiagonal
        for i in players.indices {
            for k in pinned[i] {
                for m in 0..<players[i].dim {
                    diagonal[i][k, m] = 0
                    diagonal[i][m, k] = 0
                }
                diagonal[i][k, k] = c
            }
            off[i] = off[i].compactMap { entry in
                var b = entry.block
                for k in pinned[i] { for m in 0..<b.cols { b[k, m] = 0 } }
                for k in pinned[entry.col] { for m in 0..<b.rows { b[m, k] = 0 } }
                return b.isZero ? nil : (entry.col, b)
            }
        }
        return BlockMatrix(diagonal: diagonal, offDiagonal: off)
    }

    /// The stacked constant term `b`.
    public var linearTerm: [Double] { players.flatMap(\.linear) }

    /// `F(x) = J x + b`.
    public func pseudoGradient(_ x: [Double]) -> [Double] {
        var y = jacobian.times(x)
        let b = linearTerm
        for k in y.indices { y[k] += b[k] }
        return y
    }

    /// Euclidean projection onto the box (the projection in any block metric `diag(w_i I)` too).
    public func project(_ x: [Double]) -> [Double] {
        guard isConstrained else { return x }
        var y = x
        for (i, p) in players.enumerated() {
            let o = jacobian.offsets[i]
            for k in 0..<p.dim {
                if let lo = p.lower { y[o + k] = max(y[o + k], lo[k]) }
                if let hi = p.upper { y[o + k] = min(y[o + k], hi[k]) }
            }
        }
        return y
    }

    /// Natural-map residual `‖x − Π(x − F(x))‖₂`: zero exactly at an equilibrium (for an
    /// unconstrained game it is `‖F(x)‖₂`).
    public func residual(at x: [Double]) -> Double {
        let f = pseudoGradient(x)
        let p = project(zip(x, f).map { $0 - $1 })
        return zip(x, p).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    }

    public func split(_ x: [Double]) -> [[Double]] {
        players.indices.map { i in Array(x[jacobian.offsets[i]..<jacobian.offsets[i + 1]]) }
    }

    public var stateDimension: Int { jacobian.size }

    public func field(_ x: [Double]) -> [Double] { pseudoGradient(x) }

    public func metricNorm(_ dx: [Double], weights: [Double]) -> Double {
        var s = 0.0
        for i in players.indices {
            for k in jacobian.offsets[i]..<jacobian.offsets[i + 1] { s += weights[i] * dx[k] * dx[k] }
        }
        return s.squareRoot()
    }

    /// The natural-map residual the certificate states (no tolerance: the point is judged by its
    /// distance to the recomputed one, `equilibrium`).
    public func equilibriumResidual(at x: [Double]) -> (residual: Double, tolerance: Double?)? {
        x.count == stateDimension ? (residual(at: x), nil) : nil
    }

    public func equilibrium(certifiedStep step: Double?) -> Equilibrium? {
        guard let x = equilibriumState(certifiedStep: step) else { return nil }
        return Equilibrium(
            point: split(x), residual: residual(at: x), solver: EquilibriumSolver.linearSolver(for: jacobian))
    }

    public func equilibriumState(certifiedStep step: Double?) -> [Double]? {
        let b = linearTerm
        var x: [Double]
        if let solved = EquilibriumSolver.solveLinear(jacobian, rhs: b.map { -$0 }) {
            x = solved
        } else {
            guard isConstrained else { return nil }
            x = [Double](repeating: 0, count: b.count)
        }
        if isConstrained {
            // The unconstrained solution is the answer only if it is feasible; otherwise iterate
            // the certified projected Euler map, which contracts to the unique equilibrium.
            guard let h = step else { return nil }
            x = activeSetPolish(project(x))
            let scale = max(1, pseudoGradient(x).reduce(0) { max($0, abs($1)) })
            if residual(at: x) > Tolerance.quadraticEquilibriumRelative * scale {
                let entries =
                    jacobian.diagonal.reduce(0) { $0 + $1.values.count }
                    + jacobian.offDiagonal.reduce(0) { $0 + $1.reduce(0) { $0 + $1.block.values.count } }
                x = EquilibriumSolver.projectedFixedPoint(
                    start: x, step: h, residualTolerance: Tolerance.quadraticEquilibriumRelative,
                    maxIterations: EquilibriumSolver.iterationCap(entries: entries),
                    map: { pseudoGradient($0) }, project: { project($0) },
                    residual: { residual(at: $0) })
                x = activeSetPolish(x)
            }
        }
        return x
    }

    /// Active-set refinement of a feasible estimate of the boxed equilibrium: fix the coordinates
    /// that the natural map `Π(x − F(x))` puts on a bound, solve the linear equations of the
    /// others, project, and keep the result only while the natural-map residual decreases. The
    /// residual (zero exactly at an equilibrium) is the judge, so this can only improve the point;
    /// it rescues games whose certified Euler step is tiny (ill-conditioned own blocks).
    func activeSetPolish(_ start: [Double]) -> [Double] {
        let n = jacobian.size
        guard n <= EquilibriumSolver.denseLimit else { return start }
        let jd = jacobian.dense()
        let b = linearTerm
        let lower = players.flatMap { p in p.lower ?? Array(repeating: -Double.infinity, count: p.dim) }
        let upper = players.flatMap { p in p.upper ?? Array(repeating: Double.infinity, count: p.dim) }
        var x = start
        var best = residual(at: x)
        for _ in 0..<20 where best > 0 {
            let f = pseudoGradient(x)
            let y = project(zip(x, f).map { $0 - $1 })
            var z = x
            var free: [Int] = []
            var fixed: [Int] = []
            for k in 0..<n {
                if y[k] == lower[k] {
                    z[k] = lower[k]
                    fixed.append(k)
                } else if y[k] == upper[k] {
                    z[k] = upper[k]
                    fixed.append(k)
                } else {
                    free.append(k)
                }
            }
            if !free.isEmpty {
                var a = Matrix(rows: free.count, cols: free.count)
                var rhs = [Double](repeating: 0, count: free.count)
                for (r, k) in free.enumerated() {
                    var s = b[k]
                    for m in fixed { s += jd[k, m] * z[m] }
                    rhs[r] = -s
                    for (c, m) in free.enumerated() { a[r, c] = jd[k, m] }
                }
                guard let solution = LAPACK.solve(a, rhs), solution.allSatisfy(\.isFinite) else { break }
                for (r, k) in free.enumerated() { z[k] = solution[r] }
            }
            z = project(z)
            let r = residual(at: z)
            guard r < best else { break }
            x = z
            best = r
        }
        return x
    }

    public func basinRadius(weights: [Double]) -> Double? { nil }
}
