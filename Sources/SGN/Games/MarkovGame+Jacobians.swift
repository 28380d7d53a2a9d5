/// What a Markov game tells the shared certification pipeline: its Jacobian blocks at sample
/// points of the logit box, in its geometry (docs/markov-games.md).
extension MarkovGame: Game {
    public var kind: String { "markov" }
    public var playerNames: [String] { players.map(\.name) }
    /// Tangent dimensions `S·(A_i − 1)`.
    public var dims: [Int] { layout.tangentDims }
    public var geometry: String? { geometryKind.rawValue }
    public var regularisation: (discount: Double, temperature: Double)? { (discount, temperature) }
    public var region: RegionReport {
        .logitBox(radius: regionSpec.radius, center: regionSpec.center == nil ? .equilibrium : .given)
    }

    /// The Jacobians at every sample point of the region; throws `GameNotCertifiable` when the
    /// equilibrium (the region's centre, and the point the certificate is about) was not found.
    public func jacobians() throws -> JacobianSet {
        guard solution.converged else {
            throw GameNotCertifiable(
                reason:
                    "the regularised equilibrium was not found: the best point has logit residual "
                    + "\(JSONWriter.format(solution.residual)), above the tolerance "
                    + "\(JSONWriter.format(solution.tolerance)) (\(solution.method))",
                estimation: .sampled(
                    count: 0, seed: regionSpec.seed, method: .noEquilibrium))
        }
        let (points, method) = samplePoints()
        let results = Parallel.map(count: points.count) { k in Result { try certifiedJacobian(at: points[k]) } }
        let jacobians = try results.map { try $0.get() }
        return JacobianSet(
            jacobians: jacobians, estimation: .sampled(count: points.count, seed: regionSpec.seed, method: method))
    }

    /// The points where the Jacobian is evaluated, `regionSpec.pointCount` of them: the centre,
    /// then every vertex of the box when they all fit (and, with `samples` given and larger,
    /// seeded uniform points of the box up to that count); otherwise seeded points (SplitMix64),
    /// alternately a random vertex and a uniform point of the box.
    public func samplePoints() -> (points: [[Double]], method: SamplingMethod) {
        let c = regionCenter
        let r = regionSpec.radius
        let n = c.count
        let count = regionSpec.pointCount(rawCount: n)
        var points = [c]
        if n < 63, (1 << n) + 1 <= count {
            for mask in 0..<(1 << n) {
                points.append((0..<n).map { c[$0] + ((mask >> $0) & 1 == 1 ? r : -r) })
            }
            let extra = count - points.count
            guard extra > 0 else { return (points, .logitBoxVertices(vertices: 1 << n)) }
            for k in 1...extra { points.append(keyedPoint(seed: regionSpec.seed, index: k, vertex: false)) }
            return (points, .logitBoxVerticesAndUniform(vertices: 1 << n, uniform: extra, seed: regionSpec.seed))
        }
        points += seededPoints(count: max(count, 1) - 1, seed: regionSpec.seed)
        let drawn = points.count - 1
        let vertices = (drawn + 1) / 2
        let uniform = drawn - vertices
        return (points, .logitBoxRandom(vertices: vertices, uniform: uniform, seed: regionSpec.seed))
    }

    /// `count` points of the box from SplitMix64 seeded with `seed`: alternately a random vertex
    /// and a uniform point (the first a vertex).
    func seededPoints(count: Int, seed: UInt64) -> [[Double]] {
        (1..<(count + 1)).map { keyedPoint(seed: seed, index: $0, vertex: $0 % 2 == 1) }
    }

    /// Sample point `k` of the box: each logit drawn by SplitMix64 from the key (seed, k, player
    /// name, state, action) — a vertex coordinate (±r) or a uniform one — so a point does not
    /// depend on the order in which the players are listed (the certificate is the same for
    /// every player order, docs/markov-games.md).
    func keyedPoint(seed: UInt64, index k: Int, vertex: Bool) -> [Double] {
        func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
            var g = SeededGenerator(seed: a ^ (b &* 0xD6E8_FEB8_6659_FD93))
            return g.next()
        }
        let r = regionSpec.radius
        var x = regionCenter
        let base = mix(seed, UInt64(k))
        for (i, player) in players.enumerated() {
            // FNV-1a of the name's UTF-8 bytes (names are unique within a game).
            let name = player.name.utf8.reduce(UInt64(0xCBF2_9CE4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
            let keyed = mix(base, name)
            for s in 0..<layout.stateCount {
                for (a, j) in layout.logitRange(player: i, state: s).enumerated() {
                    let h = mix(mix(keyed, UInt64(s)), UInt64(a))
                    x[j] += vertex ? (h & 1 == 1 ? r : -r) : -r + 2 * r * Double(h >> 11) * 0x1.0p-53
                }
            }
        }
        return x
    }

    /// Seed of the independent check: the region's seed mixed with a fixed odd constant.
    public static func independentSeed(_ seed: UInt64) -> UInt64 { seed ^ 0x9E37_79B9_7F4A_7C15 }
    /// Points of the independent check: four times the region's samples (at least 256, at most 1024).
    public var independentSampleCount: Int { min(max(4 * regionSpec.pointCount(rawCount: layout.rawCount), 256), 1024) }

    /// Jacobians at points drawn independently of the certificate's (another seed, more points;
    /// `sgn verify` compares the sampled constants with them).
    public func independentJacobians() throws -> JacobianSet? {
        guard solution.converged else { return nil }
        let seed = Self.independentSeed(regionSpec.seed)
        let count = independentSampleCount
        let points = seededPoints(count: count, seed: seed)
        let results = Parallel.map(count: points.count) { k in Result { try certifiedJacobian(at: points[k]) } }
        return JacobianSet(
            jacobians: try results.map { try $0.get() },
            estimation: .sampled(
                count: count, seed: seed,
                method: .independentLogitBox(seed: seed)))
    }

    /// Per player and state, `F̃^{1/2}`, `F̃^{-1/2}` and the eigenvalues of the restricted Fisher
    /// matrix at θ; throws `GameNotCertifiable` when one is not positive definite (a probability
    /// underflowed to 0). Used at θ*, where F̃(θ*) is the certificate's metric.
    public func fisherFactors(at theta: [Double]) throws -> [[(
        root: Matrix, inverseRoot: Matrix, eigenvalues: [Double]
    )]] {
        try players.indices.map { i in
            try (0..<layout.stateCount).map { s in
                let p = SoftmaxGeometry.policy(theta[layout.logitRange(player: i, state: s)])
                guard
                    let roots = try SoftmaxGeometry.squareRoots(
                        SoftmaxGeometry.fisher(policy: p, basis: layout.bases[i]))
                else {
                    throw GameNotCertifiable(
                        reason:
                            "the Fisher matrix of \(players[i].name) in state \(stateNames[s]) is singular at the "
                            + "equilibrium (a probability underflows to 0): the certificate's metric is undefined",
                        estimation: .sampled(count: 0, seed: regionSpec.seed, method: .noPoints))
                }
                return roots
            }
        }
    }

    /// The Jacobian blocks at θ of the certified dynamics in the certificate's metric, block
    /// (i, j) of size `S(A_i−1) × S(A_j−1)`: `D = J̃` (euclidean), or (fisher)
    /// `F*^{1/2} D(θ) F*^{-1/2}` with D the tangent Jacobian of the natural policy gradient field
    /// (`fieldJacobian`) and F* = F̃(θ*) the Fisher matrix frozen at the equilibrium, block
    /// diagonal per player and state. At θ* this is `K = F*^{-1/2} J̃ F*^{-1/2}`; away from θ* it
    /// also carries the derivative of F̃(θ)⁻¹ (docs/markov-games.md, "What a certificate means").
    public func certifiedJacobian(at theta: [Double]) throws -> BlockMatrix {
        guard geometryKind == .fisher else { return split(tangentJacobian(at: theta)) }
        let factors = try fisherFactors(at: solution.logits)
        let m = layout.tangentCount
        var root = Matrix(rows: m, cols: m)
        var inverse = Matrix(rows: m, cols: m)
        for i in players.indices {
            for s in 0..<layout.stateCount {
                let o = layout.tangentRange(player: i, state: s).lowerBound
                root.setBlock(factors[i][s].root, row: o, col: o)
                inverse.setBlock(factors[i][s].inverseRoot, row: o, col: o)
            }
        }
        return split(root * fieldJacobian(at: theta) * inverse)
    }

    /// Cuts a dense tangent matrix into player blocks, leaving out off-diagonal blocks that are
    /// rounding noise (`Tolerance.negligibleBlockRelative`).
    func split(_ jac: Matrix) -> BlockMatrix {
        let o = layout.tangentOffsets
        let dims = layout.tangentDims
        let noise = Tolerance.negligibleBlockRelative * jac.maxAbs
        var diagonal: [Matrix] = []
        var off: [[(col: Int, block: Matrix)]] = []
        for i in players.indices {
            diagonal.append(jac.block(row: o[i], col: o[i], rows: dims[i], cols: dims[i]))
            var row: [(col: Int, block: Matrix)] = []
            for j in players.indices where j != i {
                let b = jac.block(row: o[i], col: o[j], rows: dims[i], cols: dims[j])
                if b.maxAbs > noise { row.append((j, b)) }
            }
            off.append(row)
        }
        return BlockMatrix(diagonal: diagonal, offDiagonal: off)
    }

    public func equilibrium(certifiedStep step: Double?) -> Equilibrium? {
        let theta = solution.logits
        var e = Equilibrium(
            policies: policies(theta), logits: splitLogits(theta), residual: solution.residual,
            tolerance: solution.tolerance, branch: EquilibriumBranch(rawValue: solution.branch))
        if players.contains(where: { $0.actionNames != nil }) {
            e.actionNames = players.map { $0.actionNames ?? (0..<$0.actions).map { String($0) } }
        }
        return e
    }

    /// The largest logit move, up to the per-state shift the policy cannot see, of one step
    /// `θ − h·field(θ)` from θ*, against the equilibrium tolerance.
    public func fixedPointViolation(step h: Double) -> String? {
        guard h.isFinite, h > 0 else { return nil }
        let move = quotientNorm(field(solution.logits).map { h * $0 })
        guard !(move <= solution.tolerance) else { return nil }
        return
            "the reported equilibrium is not a fixed point of the certified dynamics: one Euler step of size "
            + "\(JSONWriter.format(h)) moves it by \(JSONWriter.format(move)) logits, above the tolerance "
            + "\(JSONWriter.format(solution.tolerance))"
    }

    public func equilibriumResidual(at x: [Double]) -> (residual: Double, tolerance: Double?)? {
        guard x.count == layout.rawCount else { return nil }
        return (logitResidual(at: x), residualTolerance)
    }
}
