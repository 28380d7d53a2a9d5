import Foundation
import Testing

@testable import SGN

/// The full-metric rung (LyapunovMetric.swift): completeness for unconstrained quadratic games,
/// closed forms for the linearised Dirac-GAN, and what verify and --rigorous check.
@Suite("Full-metric (lyapunov) rung")
struct LyapunovRungTests {
    /// The Bartels–Stewart solve: AᵀP + PA = Q to rounding, on random stable and unstable A.
    @Test func lyapunovSolveResidual() throws {
        var g = SeededGenerator(seed: 3)
        for n in [1, 2, 3, 5, 8] {
            var a = Matrix(rows: n, cols: n)
            for c in 0..<n { for r in 0..<n { a[r, c] = g.uniform(-1, 1) + (r == c ? 2 : 0) } }
            var q = Matrix(rows: n, cols: n)
            for c in 0..<n {
                for r in 0...c {
                    let v = g.uniform(-1, 1)
                    q[r, c] = v
                    q[c, r] = v
                }
            }
            let p = try LAPACK.lyapunov(a, q)
            let residual = (a.transposed * p + p * a - q).maxAbs
            #expect(residual <= 1e-12 * max(1, p.maxAbs), "n \(n): residual \(residual)")
        }
    }

    /// J = [[0, ½], [−½, γ]]: eigenvalues (γ ± √(γ² − 1))/2, so min Re λ = γ/2 for γ < 1 and
    /// (γ − √(γ² − 1))/2 beyond. Every block-diagonal margin is 0 (the generator's own block is
    /// 0, proven by the global search's bound); the full metric certifies with a rate between
    /// 0.99·min Re λ and min Re λ.
    @Test(arguments: [0.01, 0.3, 1.0, 3.0]) func diracGAN(gamma: Double) throws {
        let c = try Certifier().certify(scalarGame([[0, 0.5], [-0.5, gamma]]))
        let limit = gamma < 1 ? gamma / 2 : (gamma - (gamma * gamma - 1).squareRoot()) / 2
        expectClose(c.spectralLimit, limit, 1e-12)
        #expect(c.status == .certified)
        #expect(c.certifiedBy == .lyapunov)
        #expect(c.margins[.weighted]! <= 0)
        #expect(c.weightedUpperBound == 0)
        let rate = try #require(c.contractionRate)
        #expect(rate >= 0.99 * limit * (1 - 1e-9) && rate <= limit * (1 + 1e-9), "rate \(rate) vs limit \(limit)")
        let r = try Certifier(rigorous: true).certify(scalarGame([[0, 0.5], [-0.5, gamma]]))
        #expect(r.rigor?.verdict == .certified)
        #expect(r.rigor?.rung == .lyapunov)
    }

    /// A generated set of unconstrained quadratic games (2–4 players of dimension 1–2, some
    /// with a zero or negative own block): every game whose J has all eigenvalues with real
    /// part above the tolerance is certified, and none with an eigenvalue of real part ≤ 0 is.
    @Test func certifiedExactlyWhenHurwitz() throws {
        var g = SeededGenerator(seed: 11)
        var hurwitz = 0
        var unstable = 0
        var needsFullMetric = 0
        for _ in 0..<150 {
            let n = 2 + Int(g.uniform(0, 3))
            let dims = (0..<n).map { _ in g.uniform(0, 1) < 0.5 ? 1 : 2 }
            let size = dims.reduce(0, +)
            // Own blocks: shift·I + noise, shift sometimes 0 or negative for one player.
            var j = [[Double]](repeating: [Double](repeating: 0, count: size), count: size)
            for r in 0..<size { for c in 0..<size { j[r][c] = g.uniform(-1, 1) } }
            var offset = 0
            for i in 0..<n {
                let shift = i == 0 ? g.uniform(-0.5, 0.3) : g.uniform(0.5, 3)
                for k in 0..<dims[i] { j[offset + k][offset + k] += shift }
                if i == 0 && g.uniform(0, 1) < 0.3 {
                    for a in 0..<dims[0] { for b in 0..<dims[0] { j[a][b] = 0 } }  // zero own block
                }
                offset += dims[i]
            }
            let game = blockGame(j, dims: dims)
            let set = try game.jacobians()
            let e = try LAPACK.eigen(set.jacobians[0].dense())
            let minRe = e.real.min()!
            let c = try Certifier().certify(game)
            if minRe > 1e-6 * (try LAPACK.spectralNorm(set.jacobians[0].dense())) {
                hurwitz += 1
                #expect(c.status == .certified, "min Re \(minRe), margins \(c.margins)")
                if c.certifiedBy == .lyapunov { needsFullMetric += 1 }
            } else if minRe <= 0 {
                unstable += 1
                #expect(c.status == .notCertified)
                #expect(c.margins[.lyapunov] == nil)
            }
        }
        #expect(hurwitz >= 30 && unstable >= 30 && needsFullMetric >= 5, "\(hurwitz) \(unstable) \(needsFullMetric)")
    }

    /// The example file's expected verdict (its description): certified by the full metric, every
    /// block-diagonal margin 0, rate within 1% of min Re λ = 0.15, verified.
    @Test func diracGANExample() throws {
        let g = try GameReader.read(path: examplePath("dirac-gan-linearised.json"))
        let c = try Certifier().certify(g)
        #expect(c.certifiedBy == .lyapunov)
        #expect(c.margins[.euclidean] == 0 && c.margins[.weighted]! <= 0)
        expectClose(c.spectralLimit, 0.15, 1e-12)
        #expect(c.contractionRate! >= 0.99 * 0.15 && c.contractionRate! <= 0.15)
        #expect(try CertificateEdit.verify(g, try CertificateEdit.jsonValue(c)).holds)
    }

    /// Boxed games skip the rung and say why; a tampered Cholesky factor fails verification.
    @Test func boxedSkipsAndTamperingFails() throws {
        let boxed = try Certifier().certify(try game(TestGames.boxed))
        #expect(boxed.margins[.lyapunov] == nil)
        #expect(boxed.lyapunovSkipped?.contains("boxed") == true)
        // Games without an exact Jacobian: the reason says what their constants are.
        let proven = try Certifier().certify(try GameReader.read(path: examplePath("bertrand-logit.json")))
        guard case .proven = proven.estimation else {
            Issue.record("bertrand-logit's constants are not proven: \(proven.estimation)")
            return
        }
        #expect(
            proven.lyapunovSkipped
                == "the full-metric rung needs an exact Jacobian (this game's constants are proven bounds over its "
                + "region, not one exact Jacobian)")
        let sampled = try Certifier().certify(try GameReader.read(path: examplePath("supply-chain-3x3.json")))
        #expect(
            sampled.lyapunovSkipped
                == "the full-metric rung needs an exact Jacobian (this game's constants are sampled)")

        let dirac = scalarGame([[0, 0.5], [-0.5, 0.3]])
        let c = try Certifier().certify(dirac)
        let v = try CertificateEdit.jsonValue(c)
        #expect(try CertificateEdit.verify(dirac, v).holds)
        // A different factor proves less than the stated rate.
        let tampered = CertificateEdit.set(v, ["metric", "lyapunov", "cholesky"]) { _ in
            .array([.array([.number(1)]), .array([.number(0), .number(1)])])
        }
        let report = try CertificateEdit.verify(dirac, tampered)
        #expect(!report.holds)
        #expect(report.failed.contains { $0.claim == "contraction_rate" })
    }

    /// A game of per-player blocks from a dense matrix.
    func blockGame(_ j: [[Double]], dims: [Int]) -> QuadraticGame {
        var offsets = [0]
        for d in dims { offsets.append(offsets.last! + d) }
        func block(_ i: Int, _ k: Int) -> Matrix {
            var m = Matrix(rows: dims[i], cols: dims[k])
            for r in 0..<dims[i] { for c in 0..<dims[k] { m[r, c] = j[offsets[i] + r][offsets[k] + c] } }
            return m
        }
        let n = dims.count
        let diagonal = (0..<n).map { block($0, $0) }
        let off = (0..<n).map { i in (0..<n).filter { $0 != i }.map { (col: $0, block: block(i, $0)) } }
        let players = (0..<n).map {
            QuadraticGame.Player(
                name: "p\($0)", dim: dims[$0], linear: Array(repeating: 0, count: dims[$0]),
                lower: nil, upper: nil)
        }
        return QuadraticGame(
            name: "generated", players: players, jacobian: BlockMatrix(diagonal: diagonal, offDiagonal: off))
    }
}
