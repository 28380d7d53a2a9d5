import Foundation
import Testing

@testable import SGN

/// A random irreducible comparison matrix from a seed.
func randomConstants(players n: Int, seed: UInt64, couplingScale: Double = 0.4) -> BlockConstants {
    var g = SeededGenerator(seed: seed)
    let mu = (0..<n).map { _ in g.uniform(0.5, 2) }
    let coupling = (0..<n).map { i in
        (0..<n).filter { $0 != i }.map { (col: $0, value: g.uniform(0.01, couplingScale) * 4 / Double(n)) }
    }
    return BlockConstants(curvature: mu, ownSize: mu, coupling: coupling)
}

@Suite("Optimal weights (docs/method.md §2)")
struct WeightsTests {
    /// For irreducible Γ the Perron weights attain τ(Γ), and no random weights beat them.
    @Test(arguments: [2, 3, 4, 6, 9])
    func perronWeightsAreOptimal(players n: Int) throws {
        for seed in UInt64(1)...5 {
            let gamma = ComparisonMatrix(randomConstants(players: n, seed: seed * 31 + UInt64(n)))
            let sgn = try OptimalWeights.compute(gamma)
            #expect(sgn.irreducible)
            expectClose(sgn.margin, sgn.bound, 1e-10)
            var g = SeededGenerator(seed: seed)
            for _ in 0..<200 {
                let w = (0..<n).map { _ in exp(g.uniform(-4, 4)) }
                #expect(try gamma.margin(weights: w) <= sgn.margin + 1e-12)
            }
            // Small perturbations of the optimum never help either.
            for k in 0..<n {
                for f in [0.99, 1.01] {
                    var w = sgn.weights
                    w[k] *= f
                    #expect(try gamma.margin(weights: w) <= sgn.margin + 1e-12)
                }
            }
        }
    }

    /// Two players: ratio L12/L21 and α = (μ1+μ2)/2 − √(((μ1−μ2)/2)² + L12 L21).
    @Test func twoPlayerClosedForm() throws {
        let c = BlockConstants(curvature: [2, 0.5], ownSize: [2, 0.5], coupling: [[(1, 0.3)], [(0, 1.2)]])
        let sgn = try OptimalWeights.compute(ComparisonMatrix(c))
        expectClose(sgn.weights[1] / sgn.weights[0], 0.3 / 1.2)
        expectClose(sgn.margin, 1.25 - (0.75 * 0.75 + 0.36).squareRoot())
    }

    /// Independent players: reducible, margin is exactly the smallest curvature.
    @Test func independentPlayers() throws {
        let c = BlockConstants(curvature: [1, 3, 2], ownSize: [1, 3, 2], coupling: [[], [], []])
        let sgn = try OptimalWeights.compute(ComparisonMatrix(c))
        #expect(!sgn.irreducible)
        #expect(sgn.margin == 1)
        #expect(try ComparisonMatrix(c).gainSpectralRadius() == 0)
    }

    /// A one-way chain: the supremum min μ is not attained by finite weights; the weights found
    /// come within 1e-4 of it, and the reported margin is what they really give.
    @Test func oneWayChain() throws {
        let c = BlockConstants(curvature: [1, 1, 1], ownSize: [1, 1, 1], coupling: [[(1, 5)], [(2, 5)], []])
        let gamma = ComparisonMatrix(c)
        let sgn = try OptimalWeights.compute(gamma)
        #expect(!sgn.irreducible)
        expectClose(sgn.bound, 1)
        #expect(sgn.margin <= 1)
        #expect(sgn.margin > 1 - 1e-6)
        expectClose(try gamma.margin(weights: sgn.weights), sgn.margin, 1e-14)
    }

    /// The weighted rung is never below the SGN rung for an exact game (theorem of §3).
    @Test func exactMarginDominatesBlockBound() throws {
        for seed in UInt64(1)...10 {
            var g = SeededGenerator(seed: seed)
            let n = 3
            let j = (0..<n).map { i in (0..<n).map { k in i == k ? g.uniform(0.5, 2) : g.uniform(-0.6, 0.6) } }
            let game = scalarGame(j)
            let c = try Certifier().certify(game)
            let spectra = MetricSpectra(try game.jacobians())
            #expect(try spectra.margin(weights: c.weights) >= (c.margins[.sgn] ?? 0) - 1e-12 || c.certifiedBy != .sgn)
            #expect(c.margins[.weighted]! >= max(c.margins[.sgn]!, c.margins[.euclidean]!) - 1e-12)
        }
    }
}

/// Timescale and per-player weight bands (docs/method.md §6).
@Suite("Bands")
struct BandTests {
    /// The closed-form band matches a direct scan of α*(r) on a fine log grid.
    @Test(arguments: [(1.0, 1.0, 10.0, 0.05), (2.0, 0.5, 0.3, 1.2), (1.0, 3.0, 0.0, 1.0), (1.0, 1.0, 2.0, 0.0)])
    func closedFormMatchesScan(mu1: Double, mu2: Double, l12: Double, l21: Double) throws {
        let c = BlockConstants(
            curvature: [mu1, mu2], ownSize: [mu1, mu2],
            coupling: [l12 > 0 ? [(1, l12)] : [], l21 > 0 ? [(0, l21)] : []])
        let gamma = ComparisonMatrix(c)
        let band = try #require(TimescaleBand.twoPlayer(c))
        var inside: [Double] = []
        for k in 0...4000 {
            let r = exp(-12 + 24 * Double(k) / 4000)
            if try gamma.margin(weights: [1, r]) > 1e-12 { inside.append(r) }
        }
        let lo = try #require(inside.first)
        let hi = try #require(inside.last)
        #expect(lo >= band.lower * (1 - 1e-2) && lo <= band.lower * 1.01 + 1e-5)
        if let upper = band.upper {
            #expect(hi <= upper * 1.0001 && hi >= upper * 0.99)
            expectClose(band.lower * upper, (l12 / l21) * (l12 / l21), 1e-9)
        } else {
            #expect(hi > 1e5)
        }
    }

    /// Per-player bands: inside the interval the margin is positive, just outside it is not.
    @Test func perPlayerBandEdges() throws {
        let gamma = ComparisonMatrix(randomConstants(players: 4, seed: 7, couplingScale: 0.5))
        let sgn = try OptimalWeights.compute(gamma)
        try #require(sgn.margin > 0)
        let bands = try #require(try TimescaleBand.perPlayer(gamma, weights: sgn.weights))
        for (i, b) in bands.enumerated() {
            for (edge, outward) in [(b.lower, 0.999), (b.upper, 1.001)] {
                guard let e = edge else { continue }
                var w = sgn.weights
                w[i] *= e * (2 - outward)
                #expect(try gamma.margin(weights: w) > 0)
                w = sgn.weights
                w[i] *= e * outward
                #expect(try gamma.margin(weights: w) <= 1e-9)
            }
        }
    }

    /// The plain Swift Cholesky test against LAPACK's `dpotrf` on random symmetric matrices of
    /// orders 1–8 shifted to a known smallest eigenvalue (±0.01 from singular, far from the
    /// rounding level): same verdict, same factor to 1e-12, and the closed form for 2×2.
    @Test func smallCholeskyMatchesLAPACK() throws {
        var g = SeededGenerator(seed: 11)
        var positive = 0
        for trial in 0..<400 {
            let n = 1 + trial % Limits.smallCholeskyOrder
            var a = Matrix(rows: n, cols: n)
            for r in 0..<n {
                for c in 0...r {
                    a[r, c] = g.uniform(-1, 1)
                    a[c, r] = a[r, c]
                }
            }
            let lambdaMin = try LAPACK.symmetricEigenvalues(a).first!
            let shift = lambdaMin - (trial % 2 == 0 ? 0.01 : -0.01)
            for k in 0..<n { a[k, k] -= shift }
            var f = a
            let ours = SmallBlock.isPositiveDefinite(&f)
            let reference = LAPACK.cholesky(a)
            #expect(ours == (trial % 2 == 0))
            #expect(ours == (reference != nil))
            if let l = reference {
                positive += 1
                for c in 0..<n { for r in c..<n { expectClose(f[r, c], l[r, c], 1e-12) } }
            }
        }
        #expect(positive == 200)
        // [[a, b], [b, c]] is positive definite exactly when a > 0 and ac − b² > 0.
        for (a, b, c, pd) in [(2.0, 1.0, 1.0, true), (1.0, 1.0, 1.0, false), (-1.0, 0.0, 5.0, false)] {
            var m = Matrix(rows: 2, cols: 2, values: [a, b, b, c])
            #expect(SmallBlock.isPositiveDefinite(&m) == pd)
        }
    }

    /// Per-player bands (plain Swift Cholesky for at most `Limits.smallCholeskyOrder` players)
    /// equal those of the bisection written the obvious way with LAPACK's Cholesky, to 1e-12
    /// relative (the bisection's stopping width in log t), on random 3–8-player games.
    @Test func perPlayerBandsMatchLAPACKBisection() throws {
        func reference(_ gamma: ComparisonMatrix, _ w: [Double]) -> [(Double?, Double?)] {
            func feasible(_ i: Int, _ t: Double) -> Bool {
                var v = w
                v[i] *= t
                return LAPACK.cholesky(gamma.symmetrized(weights: v)) != nil
            }
            return w.indices.map { i in
                func edge(_ direction: Double) -> Double? {
                    var inside = 0.0
                    var step = 0.25
                    var outside: Double? = nil
                    while abs(inside) < log(1e12) {
                        let trial = inside + direction * step
                        if feasible(i, exp(trial)) {
                            inside = trial
                            step *= 2
                        } else {
                            outside = trial
                            break
                        }
                    }
                    guard var out = outside else { return nil }
                    while abs(out - inside) >= 1e-12 {
                        let mid = 0.5 * (inside + out)
                        if feasible(i, exp(mid)) { inside = mid } else { out = mid }
                    }
                    return exp(inside)
                }
                return (edge(-1), edge(1))
            }
        }
        var edges = 0
        for n in 3...8 {
            for seed in UInt64(1)...4 {
                let gamma = ComparisonMatrix(randomConstants(players: n, seed: seed * 97 + UInt64(n)))
                let sgn = try OptimalWeights.compute(gamma)
                try #require(sgn.margin > 0)
                let bands = try #require(try TimescaleBand.perPlayer(gamma, weights: sgn.weights))
                for (b, r) in zip(bands, reference(gamma, sgn.weights)) {
                    for (x, y) in [(b.lower, r.0), (b.upper, r.1)] {
                        #expect((x == nil) == (y == nil))
                        if let x, let y {
                            edges += 1
                            // Both end within 1e-12 of the edge in log t (the bisection's stop).
                            #expect(abs(x - y) <= 1e-12 * y, "\(x) vs \(y)")
                        }
                    }
                }
            }
        }
        #expect(edges > 100)
    }
}
