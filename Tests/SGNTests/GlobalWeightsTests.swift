import Foundation
import Testing

@testable import SGN

/// The global optimum of the weighted rung (GlobalWeights.swift, docs/method.md): checked
/// against independent maximisations that rely only on quasi-concavity (a golden-section search
/// per log-ratio, nested for three players: along every coordinate line α is unimodal, and so
/// is the maximum over the other coordinates, a projection of convex superlevel sets), against
/// multi-start local searches for 4–6 players, and on closed forms.
@Suite("Global weighted optimum")
struct GlobalWeightsTests {
    /// A random dense game of `n` players of dimension 1–2: own blocks `shift·I + noise`, couplings
    /// of size up to `scale` (so some games are not certifiable and the optimum is negative).
    static func randomGame(players n: Int, seed: UInt64) -> (QuadraticGame, JacobianSet) {
        var g = SeededGenerator(seed: seed)
        let dims = (0..<n).map { _ in g.uniform(0, 1) < 0.5 ? 1 : 2 }
        let shift = g.uniform(-0.2, 1.5)
        let scale = g.uniform(0.2, 2.5)
        let diagonal = dims.map { d in
            var h = Matrix(rows: d, cols: d)
            for c in 0..<d { for r in 0..<d { h[r, c] = 0.6 * g.uniform(-1, 1) + (r == c ? shift : 0) } }
            return h
        }
        let off = (0..<n).map { i in
            (0..<n).compactMap { j -> (col: Int, block: Matrix)? in
                guard j != i, g.uniform(0, 1) < 0.7 else { return nil }
                var b = Matrix(rows: dims[i], cols: dims[j])
                for c in 0..<dims[j] { for r in 0..<dims[i] { b[r, c] = scale * g.uniform(-1, 1) } }
                return (j, b)
            }
        }
        let players = dims.enumerated().map {
            QuadraticGame.Player(
                name: "p\($0.offset)", dim: $0.element,
                linear: Array(repeating: 0, count: $0.element), lower: nil, upper: nil)
        }
        let game = QuadraticGame(
            name: "random", players: players, jacobian: BlockMatrix(diagonal: diagonal, offDiagonal: off))
        return (game, try! game.jacobians())
    }

    /// Golden-section maximum of a unimodal function on [lo, hi] after a grid scan.
    static func golden(_ lo: Double, _ hi: Double, grid: Int = 60, _ f: (Double) throws -> Double) rethrows -> Double {
        var bestX = lo
        var bestV = -Double.infinity
        for k in 0...grid {
            let x = lo + (hi - lo) * Double(k) / Double(grid)
            let v = try f(x)
            if v > bestV {
                bestV = v
                bestX = x
            }
        }
        var a = max(lo, bestX - (hi - lo) / Double(grid))
        var b = min(hi, bestX + (hi - lo) / Double(grid))
        let r = (5.0.squareRoot() - 1) / 2
        var c = b - r * (b - a)
        var d = a + r * (b - a)
        var fc = try f(c)
        var fd = try f(d)
        for _ in 0..<70 {
            if fc >= fd {
                b = d
                d = c
                fd = fc
                c = b - r * (b - a)
                fc = try f(c)
            } else {
                a = c
                c = d
                fc = fd
                d = a + r * (b - a)
                fd = try f(d)
            }
        }
        return max(bestV, fc, fd)
    }

    static func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(1, abs(a), abs(b)) }

    /// Two and three players: the global optimum matches the independent golden-section optimum
    /// to 1e-7 relative, and the independent optimum never exceeds the proven upper bound.
    @Test(arguments: [2, 3]) func matchesIndependentOptimum(players n: Int) throws {
        for seed in UInt64(1)...(n == 2 ? 30 : 6) {
            let (_, set) = Self.randomGame(players: n, seed: seed * 97 + UInt64(n))
            let spectra = MetricSpectra(set)
            let result = try GlobalWeights.maximize(set, starts: [[Double](repeating: 1, count: n)])
            let independent: Double
            if n == 2 {
                independent = try Self.golden(-40, 40, grid: 400) { x in
                    try spectra.margin(weights: [1, exp(x)], remember: false)
                }
            } else {
                independent = try Self.golden(-40, 40, grid: 40) { x in
                    try Self.golden(-40, 40, grid: 40) { y in
                        try spectra.margin(weights: [1, exp(x), exp(y)], remember: false)
                    }
                }
            }
            let scale = 1e-12 * set.jacobians[0].dense().frobeniusNorm
            #expect(
                Self.relative(result.margin, independent) <= 1e-7 + scale,
                "seed \(seed): \(result.margin) vs \(independent)")
            #expect(independent <= result.upperBound + 1e-9 * max(1, abs(result.upperBound)), "seed \(seed)")
            #expect(result.margin <= result.upperBound)
            expectClose(try spectra.margin(weights: result.weights), result.margin, 1e-12)
        }
    }

    /// Four to six players: never below a multi-start local search, never above the proven
    /// bound, and the bound within 1e-7 relative of the value (reducible games included: their
    /// bound is the minimum of their components' closed bounds, docs/method.md).
    @Test(arguments: [4, 5, 6]) func closesTheGap(players n: Int) throws {
        for seed in UInt64(1)...4 {
            let (_, set) = Self.randomGame(players: n, seed: seed * 131 + UInt64(n))
            let spectra = MetricSpectra(set)
            let result = try GlobalWeights.maximize(set, starts: [[Double](repeating: 1, count: n)])
            var g = SeededGenerator(seed: seed)
            var local = -Double.infinity
            for _ in 0..<4 {
                let start = (0..<n).map { _ in exp(g.uniform(-2, 2)) }
                local = max(
                    local,
                    try WeightSearch.maximize(from: start, maxEvaluations: 3000) { w in
                        try spectra.margin(weights: w, remember: false)
                    }.value)
            }
            let tol = 1e-7 * max(1, abs(result.margin))
            #expect(result.margin >= local - tol, "seed \(seed): \(result.margin) vs local \(local)")
            #expect(local <= result.upperBound + 1e-9 * max(1, abs(result.upperBound)), "seed \(seed)")
            #expect(result.upperBound - result.margin <= tol, "seed \(seed): gap \(result.upperBound - result.margin)")
        }
    }

    /// Skew coupling J = [[1, 4], [−1, 1]]: with r = √(w1/w2) the symmetric off-diagonal is
    /// (4r − 1/r)/2, zero at w1/w2 = 1/4, where α = 1 = the block bound.
    @Test func skewClosedForm() throws {
        let set = try scalarGame([[1, 4], [-1, 1]]).jacobians()
        let r = try GlobalWeights.maximize(set, starts: [[1, 1]])
        expectClose(r.margin, 1, 1e-10)
        expectClose(r.upperBound, 1, 1e-12)
        expectClose(r.weights[0] / r.weights[1], 0.25, 1e-4)
    }

    /// Reducible (one-way) coupling: the supremum min μ = 1 is approached, not attained; the
    /// bound is exactly 1.
    @Test func reducibleSupremum() throws {
        let set = try scalarGame([[1, 5, 0], [0, 2, 5], [0, 0, 1.5]]).jacobians()
        let r = try GlobalWeights.maximize(set, starts: [[1, 1, 1]])
        #expect(r.upperBound == 1)
        #expect(r.margin <= 1)
        #expect(r.margin >= 1 - 1e-9)
    }

    /// The reducible 4-player shape of the permutation defect (dims 2, 3, 2, 2; couplings
    /// p0→{p1, p3}, p1→{p2}, p2→{p1}, p3→{p1, p2}): components {p0}, {p3}, {p1, p2}. The
    /// optimum is min(μ0, μ3, sup α_{12}), with μ0 = a0 (own block [[a0, 0.7], [−0.7, a0]]),
    /// μ3 = min(c3, d3) (own block diag(c3, d3)), and sup α_{12} found independently by a
    /// golden-section search on the log-ratio of the 2-player component, on a dense matrix built
    /// here (not by BlockMatrix or MetricSpectra). The weighted margin matches it to 1e-9
    /// relative, the bound is closed, and every order of the players gives the same margin.
    /// Cases: the 2-player component binds; p0 binds; p3 binds at a negative margin.
    @Test(arguments: [(2.0, 1.5, 3.0), (0.1, 1.5, 3.0), (2.0, -0.3, 3.0)])
    func reducibleComponentsGiveTheMinimumOfTheirOptima(a0: Double, c3: Double, d3: Double) throws {
        var g = SeededGenerator(seed: 11)
        func block(_ r: Int, _ c: Int, _ size: Double, shift: Double = 0) -> Matrix {
            var m = Matrix(rows: r, cols: c)
            for k in 0..<c { for l in 0..<r { m[l, k] = size * g.uniform(-1, 1) + (l == k ? shift : 0) } }
            return m
        }
        let j11 = block(3, 3, 0.6, shift: 1.2)
        let j22 = block(2, 2, 0.6, shift: 0.9)
        let j12 = block(3, 2, 1.5)
        let j21 = block(2, 3, 1.5)
        let j01 = block(2, 3, 2)
        let j03 = block(2, 2, 2)
        let j31 = block(2, 3, 2)
        let j32 = block(2, 2, 2)
        let j00 = Matrix(rows: 2, cols: 2, values: [a0, -0.7, 0.7, a0])
        let j33 = Matrix(rows: 2, cols: 2, values: [c3, 0, 0, d3])
        let diagonal = [j00, j11, j22, j33]
        let blocks: [[Int: Matrix]] = [[1: j01, 3: j03], [2: j12], [1: j21], [1: j31, 2: j32]]

        // sup α_{12}: w = (1, e^x), block (i, j) times √(w_i/w_j).
        func alpha12(_ x: Double) throws -> Double {
            var m = Matrix(rows: 5, cols: 5)
            let f12 = exp(-x / 2)
            let f21 = exp(x / 2)
            for r in 0..<3 { for c in 0..<3 { m[r, c] = j11[r, c] } }
            for r in 0..<2 { for c in 0..<2 { m[3 + r, 3 + c] = j22[r, c] } }
            for r in 0..<3 { for c in 0..<2 { m[r, 3 + c] = f12 * j12[r, c] } }
            for r in 0..<2 { for c in 0..<3 { m[3 + r, c] = f21 * j21[r, c] } }
            return try LAPACK.symmetricEigenvalues(m.symmetricPart).first!
        }
        let sup12 = try Self.golden(-30, 30, grid: 600, alpha12)
        let expected = min(a0, min(c3, d3), sup12)

        for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 0, 2]] {
            // Player k of this game is player order[k] of the original.
            var position = [Int](repeating: 0, count: 4)
            for (k, i) in order.enumerated() { position[i] = k }
            let off = order.map { i in blocks[i].map { (col: position[$0.key], block: $0.value) } }
            let set = JacobianSet(
                jacobians: [BlockMatrix(diagonal: order.map { diagonal[$0] }, offDiagonal: off)],
                estimation: .exact)
            let r = try GlobalWeights.maximize(set, starts: [[Double](repeating: 1, count: 4)])
            #expect(Self.relative(r.margin, expected) <= 1e-9, "order \(order): \(r.margin) vs \(expected)")
            #expect(r.margin <= r.upperBound)
            #expect(r.upperBound - r.margin <= 1e-9 * max(1, abs(r.margin)), "order \(order): bound \(r.upperBound)")
            #expect(r.upperBound >= expected - 1e-12 * max(1, abs(expected)))
            expectClose(try MetricSpectra(set).margin(weights: r.weights), r.margin, 1e-14)
            #expect(r.weights.allSatisfy { $0 >= GlobalWeights.floor && $0 <= 1 })
        }
    }

    /// Exact power-of-two scaling of a reducible game scales the margin and the bound (1e-12).
    @Test func reducibleOptimumIsScaleEquivariant() throws {
        let j: [[Double]] = [[1, 5, 0, 0], [0, 2, 5, 1], [0, -3, 1.5, 0], [0, 0, 0, 0.8]]
        let base = try GlobalWeights.maximize(try scalarGame(j).jacobians(), starts: [[1, 1, 1, 1]])
        for s in [0x1p-10, 0x1p7] {
            let scaled = try GlobalWeights.maximize(
                try scalarGame(j.map { $0.map { $0 * s } }).jacobians(), starts: [[1, 1, 1, 1]])
            expectClose(scaled.margin / s, base.margin, 1e-12)
            expectClose(scaled.upperBound / s, base.upperBound, 1e-12)
        }
        #expect(base.upperBound - base.margin <= 1e-9)
    }

    /// Flat optimum: independent players give α = min μ for every w; the best-conditioned
    /// weights (all equal) are returned.
    @Test func flatOptimumPrefersBalancedWeights() throws {
        let set = try scalarGame([[1, 0, 0], [0, 3, 0], [0, 0, 2]]).jacobians()
        let r = try GlobalWeights.maximize(set, starts: [[0.001, 1, 0.5]])
        #expect(r.margin == 1)
        #expect(r.upperBound == 1)
        #expect(r.weights == [1, 1, 1])
    }

    /// The linearised Dirac-GAN J = [[0, ½], [−½, γ]]: its best block-diagonal margin is 0
    /// (the first own block is 0), proven by the block bound.
    @Test func diracGANHasNoBlockDiagonalMargin() throws {
        let set = try scalarGame([[0, 0.5], [-0.5, 0.3]]).jacobians()
        let r = try GlobalWeights.maximize(set, starts: [[1, 1]])
        #expect(r.upperBound == 0)
        #expect(r.margin <= 0)
        #expect(r.margin >= -1e-9)
    }
}

@Suite("Matrix games (the level programme of the global search)")
struct MatrixGameTests {
    /// Both optimal strategies certify the value: min_k (M x)_k = value = max_i (λᵀM)_i.
    @Test func strategiesCertifyTheValue() throws {
        var g = SeededGenerator(seed: 7)
        for trial in 0..<200 {
            let rows = 1 + Int(g.uniform(0, 40))
            let cols = 1 + Int(g.uniform(0, 6))
            let m = (0..<rows).map { _ in (0..<cols).map { _ in g.uniform(-1, 1) * (trial % 3 == 0 ? 1e-6 : 1) } }
            let r = try #require(MatrixGame.solve(m, columns: cols))
            let guaranteed = m.map { row in zip(row, r.columnStrategy).reduce(0) { $0 + $1.0 * $1.1 } }.min()!
            let conceded = (0..<cols).map { i in (0..<rows).reduce(0) { $0 + r.rowStrategy[$1] * m[$1][i] } }.max()!
            let scale = 1e-12 * (trial % 3 == 0 ? 1e-6 : 1)
            #expect(abs(guaranteed - r.value) <= scale, "trial \(trial)")
            #expect(abs(conceded - r.value) <= scale, "trial \(trial)")
        }
    }
}
