import Foundation
import PropertyBased
import Testing

@testable import SGN

/// Property-based tests over random quadratic games (issue 6): scale invariance, permutation
/// equivariance, no certificate for games with an eigenvalue of real part ≤ 0, certificates
/// that re-check at the printed weights, and the tolerance policy.
@Suite("Properties of certificates over random games")
struct PropertyTests {
    /// A random game: up to 4 players of dimension 1–3, own blocks `shift·I + noise`, couplings
    /// `scale·noise` on a random subset of pairs (so reducible graphs and independent players occur).
    struct Spec: Sendable, CustomStringConvertible {
        var dims: [Int]
        var pool: [Double]
        var shift: Double
        var scale: Double
        var mask: [Bool]

        var description: String {
            "dims \(dims), shift \(shift), scale \(scale), mask \(mask.prefix(dims.count * dims.count))"
        }

        func jacobian(order: [Int]? = nil, factor: Double = 1) -> BlockMatrix {
            let n = dims.count
            let order = order ?? Array(0..<n)
            var cursor = 0
            func next() -> Double {
                defer { cursor += 1 }
                return pool[cursor % pool.count]
            }
            var diagonal = [Matrix](repeating: Matrix(rows: 0, cols: 0), count: n)
            var blocks = [[Matrix?]](repeating: [Matrix?](repeating: nil, count: n), count: n)
            for i in 0..<n {
                var h = Matrix(rows: dims[i], cols: dims[i])
                for c in 0..<dims[i] { for r in 0..<dims[i] { h[r, c] = 0.6 * next() + (r == c ? shift : 0) } }
                diagonal[i] = factor * h
                for j in 0..<n where j != i && mask[i * 4 + j] {
                    var b = Matrix(rows: dims[i], cols: dims[j])
                    for c in 0..<dims[j] { for r in 0..<dims[i] { b[r, c] = scale * next() } }
                    blocks[i][j] = factor * b
                }
            }
            // Player k of the permuted game is player order[k] of the original.
            let diag = order.map { diagonal[$0] }
            let off = (0..<n).map { k in
                (0..<n).compactMap { m -> (col: Int, block: Matrix)? in
                    blocks[order[k]][order[m]].map { (m, $0) }
                }
            }
            return BlockMatrix(diagonal: diag, offDiagonal: off)
        }

        func game(order: [Int]? = nil, factor: Double = 1) -> QuadraticGame {
            let n = dims.count
            let order = order ?? Array(0..<n)
            let players = order.map {
                QuadraticGame.Player(
                    name: "p\($0)", dim: dims[$0], linear: Array(repeating: 0, count: dims[$0]), lower: nil, upper: nil)
            }
            return QuadraticGame(name: "random", players: players, jacobian: jacobian(order: order, factor: factor))
        }
    }

    static let specs = zip(
        Gen.int(in: 1...3).array(of: 1...4),
        Gen.double(in: -1...1).array(of: 120),
        Gen.double(in: -0.5...2.5),
        Gen.double(in: 0...2),
        Gen.bool(0.6).array(of: 16)
    ).map { Spec(dims: $0, pool: $1, shift: $2, scale: $3, mask: $4) }

    /// The weighted margins of a game and a transformed copy (margins scaled by `scale`): both
    /// searches prove their optimum (bound within 1e-9 of the value: irreducible games close the
    /// cuts, reducible ones take the minimum over strongly connected components, each closed,
    /// docs/method.md), and the two optima are equal to `tol`.
    static func weightedConsistent(_ a: Certificate, _ b: Certificate, scale s: Double, _ tol: Double) -> Bool {
        guard let ma = a.margins[.weighted], let mb = b.margins[.weighted].map({ $0 / s }) else { return false }
        guard let ua = a.weightedUpperBound, let ub = b.weightedUpperBound.map({ $0 / s }) else {
            return relativeClose(ma, mb, tol)
        }
        let closedA = ua - ma <= 1e-9 * max(1, abs(ma))
        let closedB = ub - mb <= 1e-9 * max(1, abs(mb))
        return closedA && closedB && relativeClose(ma, mb, tol)
    }

    static func relativeClose(_ a: Double?, _ b: Double?, _ tol: Double) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) <= tol * max(1, abs(a), abs(b))
    }

    /// Scaling J by s > 0 scales every margin by s and leaves status, rung and the Perron
    /// (sgn) weights alone: to 1e-9 for powers of two, 1e-6 for s = 1000. The searched rung is
    /// checked by what its certificate claims (see below).
    @Test(.shrinking(false)) func weightsInvariantUnderScaling() async throws {
        await propertyCheck(count: 20, input: Self.specs) { spec in
            let base = try Certifier().certify(spec.game())
            for s in [0x1p-10, 0x1p7, 1000.0] {
                let scaled = try Certifier().certify(spec.game(factor: s))
                let tol = s == 1000 ? 1e-6 : 1e-9
                #expect(scaled.status == base.status, "scale \(s)")
                #expect(scaled.certifiedBy == base.certifiedBy, "scale \(s)")
                // Every rung, the searched one included, is scale-equivariant: the weighted rung is
                // the global optimum to 1e-11 relative (GlobalWeights), not where a local search stops.
                if base.certifiedBy == .weighted && scaled.certifiedBy == .weighted {
                    #expect(Self.weightedConsistent(base, scaled, scale: s, tol), "scale \(s) rate")
                } else {
                    #expect(
                        Self.relativeClose((scaled.contractionRate ?? 0) / s, base.contractionRate ?? 0, tol),
                        "scale \(s)")
                }
                for rung in Certificate.Rung.allCases where rung != .weighted {
                    #expect(
                        Self.relativeClose(scaled.margins[rung].map { $0 / s }, base.margins[rung], tol),
                        "scale \(s) \(rung)")
                }
                #expect(Self.weightedConsistent(base, scaled, scale: s, tol), "scale \(s)")
                // The proven bound need not be equivariant (where the cuts cannot close the gap it
                // is whatever they proved), but it bounds the other game's optimum too.
                if let c = scaled.weightedUpperBound {
                    #expect(c / s >= base.margins[.weighted]! - tol * max(1, abs(c / s)), "scale \(s) bound")
                }
                if base.status == .certified && (base.certifiedBy == .sgn || base.certifiedBy == .euclidean) {
                    #expect(
                        zip(scaled.weights, base.weights).allSatisfy { Self.relativeClose($0, $1, tol) },
                        "scale \(s): \(scaled.weights) vs \(base.weights) \(String(describing: base.certifiedBy))")
                } else if scaled.status == .certified && scaled.certifiedBy == .weighted {
                    // The weights themselves may differ on a flat optimum; what they prove may not.
                    let original = MetricSpectra(try spec.game().jacobians())
                    #expect(
                        Self.relativeClose(
                            try original.margin(weights: scaled.weights) * s, scaled.margins[.weighted]!, 1e-9),
                        "scale \(s): \(scaled.weights)")
                }
            }
        }
    }

    /// Relabelling the players permutes constants, margins and the sgn weights (the Perron
    /// weights are equivariant); the verdict is unchanged.
    @Test(.shrinking(false)) func permutingPlayersPermutesTheCertificate() async throws {
        await propertyCheck(count: 25, input: Self.specs, Gen.int(in: 0...1000)) { spec, seed in
            let n = spec.dims.count
            var rng = SeededGenerator(seed: UInt64(seed))
            let order = Array(0..<n).shuffled(using: &rng)
            let base = try Certifier().certify(spec.game())
            let permuted = try Certifier().certify(spec.game(order: order))
            // Every rung is permutation-invariant, the weighted rung included (a global optimum
            // does not depend on the order in which a search visits the players).
            #expect(permuted.status == base.status)
            #expect(permuted.certifiedBy == base.certifiedBy)
            if base.certifiedBy == .weighted && permuted.certifiedBy == .weighted {
                #expect(Self.weightedConsistent(base, permuted, scale: 1, 1e-9))
            } else {
                #expect(Self.relativeClose(permuted.contractionRate ?? 0, base.contractionRate ?? 0, 1e-9))
            }
            for rung in Certificate.Rung.allCases where rung != .weighted {
                #expect(Self.relativeClose(permuted.margins[rung], base.margins[rung], 1e-9), "\(rung)")
            }
            #expect(Self.weightedConsistent(base, permuted, scale: 1, 1e-9))
            for c in [base, permuted] {
                #expect(
                    c.margins[.weighted]! >= max(c.margins[.euclidean]!, c.margins[.sgn]!) - 1e-9 * max(1, c.lipschitz))
            }
            for k in 0..<n {
                #expect(Self.relativeClose(permuted.constants.curvature[k], base.constants.curvature[order[k]], 1e-12))
                for m in 0..<n where m != k {
                    #expect(
                        Self.relativeClose(
                            permuted.constants.coupling(k, m), base.constants.coupling(order[k], order[m]), 1e-12))
                }
            }
            if base.certifiedBy == .sgn, permuted.certifiedBy == .sgn {
                let a = OptimalWeights.normalise(order.map { base.weights[$0] })
                #expect(
                    zip(a, permuted.weights).allSatisfy { Self.relativeClose($0, $1, 1e-6) },
                    "\(a) vs \(permuted.weights)")
            }
        }
    }

    /// A game with an eigenvalue of real part ≤ 0 is never certified, in either mode (every
    /// margin is at most the real part of every eigenvalue).
    @Test(.shrinking(false)) func neverCertifiedWithANonPositiveEigenvalue() async throws {
        var unstable = 0
        await propertyCheck(count: 50, input: Self.specs) { spec in
            let game = spec.game()
            let e = try LAPACK.eigen(game.jacobian.dense())
            let c = try Certifier().certify(game)
            let r = try Certifier(rigorous: true).certify(game)
            if e.real.min()! <= 0 {
                unstable += 1
                #expect(c.status == .notCertified, "eigenvalues \(e.real)")
                #expect(r.status == .notCertified)
                #expect(r.rigor?.verdict != .certified)
            }
            if c.status == .certified { #expect(e.real.min()! > 0) }
        }
        #expect(unstable > 5, "the generator should produce unstable games")
    }

    /// certify → re-check: the margin recomputed at the weights exactly as printed (parsed back
    /// from the JSON) is the printed contraction rate and above the tolerance; a rigorous
    /// certificate proves a positive margin no larger than the floating one.
    @Test(.shrinking(false)) func certificateRechecksAtPrintedWeights() async throws {
        await propertyCheck(count: 30, input: Self.specs) { spec in
            let game = spec.game()
            let c = try Certifier().certify(game)
            if c.status == .certified {
                #expect(c.contractionRate! > c.marginTolerance)
                let printed = try JSONParser.parse(Array(JSONWriter.write(c.json).utf8))
                guard case let .object(weights)? = printed["metric"]?["weights"] else {
                    Issue.record("no weights")
                    return
                }
                let w = weights.map { pair -> Double in
                    if case let .number(x) = pair.value { return x }
                    return .nan
                }
                #expect(w == c.weights)
                let recomputed: Double
                switch c.certifiedBy! {
                case .sgn: recomputed = try ComparisonMatrix(c.constants).margin(weights: w)
                case .euclidean, .weighted: recomputed = try MetricSpectra(try game.jacobians()).margin(weights: w)
                case .lyapunov:
                    // The printed factor, parsed back, proves the printed rate.
                    guard case let .array(rows)? = printed["metric"]?["lyapunov"]?["cholesky"] else {
                        Issue.record("no factor")
                        return
                    }
                    var l = Matrix(rows: rows.count, cols: rows.count)
                    for (r, row) in rows.enumerated() {
                        guard case let .array(items) = row else { continue }
                        for (k, item) in items.enumerated() { if case let .number(x) = item { l[r, k] = x } }
                    }
                    recomputed = try #require(
                        try LyapunovMetric.measure(try game.jacobians().jacobians[0].dense(), cholesky: l)
                    ).margin
                }
                #expect(Self.relativeClose(recomputed, c.contractionRate!, 1e-12))
                #expect(recomputed > c.marginTolerance)
                let r = try Certifier(rigorous: true).certify(game)
                if r.rigor?.verdict == .certified {
                    let proven = try #require(r.rigor?.provenMargin)
                    #expect(proven > 0)
                    #expect(proven <= c.margins[r.rigor!.rung!]! * (1 + 1e-12))
                }
            }
        }
    }

    /// certify → verify: every certificate (certified or not, default or rigorous), printed and
    /// read back as `sgn verify` reads it, is confirmed claim by claim.
    @Test(.shrinking(false)) func certifyThenVerifyHolds() async throws {
        await propertyCheck(count: 25, input: Self.specs) { spec in
            let game = spec.game()
            for certifier in [Certifier(), Certifier(rigorous: true)] {
                let c = try certifier.certify(game)
                let stated = try StatedCertificate.decode(bytes: Array(JSONWriter.write(c.json).utf8))
                let report = try Verifier().verify(game: game, certificate: stated)
                let failed = report.failed.map {
                    "\($0.claim) stated \(JSONWriter.write($0.stated)) recomputed \(JSONWriter.write($0.recomputed))"
                }
                #expect(
                    report.holds,
                    "failed: \(failed) for \(c.status) rigorous \(certifier.rigorous)"
                )
            }
        }
    }

    /// Tolerance policy: a margin below `Tolerance.marginRelative·β` never certifies; one a few
    /// times above it does. Symmetric J = [[a, b], [b, a]], margin a − |b|, β = a + |b|.
    @Test(.shrinking(false)) func noMarginBelowTheToleranceCertifies() async throws {
        await propertyCheck(count: 100, input: Gen.double(in: 0.01...100), Gen.double(in: 0.01...0.95), Gen.bool()) {
            beta, t, negative in
            for (fraction, certifies) in [(t, false), (3 + 10 * t, true)] {
                let m = fraction * Tolerance.marginRelative * beta
                let a = (beta + m) / 2
                let b = (beta - m) / 2 * (negative ? -1 : 1)
                let c = try Certifier().certify(scalarGame([[a, b], [b, a]]))
                #expect(
                    (c.status == .certified) == certifies,
                    "beta \(beta), margin \(m) = \(fraction) x tolerance: \(c.status)")
                if c.status == .certified { #expect(c.contractionRate! > c.marginTolerance) }
            }
        }
    }
}
