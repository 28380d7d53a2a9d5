import Foundation
import Testing

@testable import SGN

/// Proven constants of Markov games on the whole logit box (MarkovGame+Proof.swift): sound
/// (never beaten by dense sampling of the box), and tight where a closed form is known.
@Suite("Markov games: proven constants on the region")
struct MarkovProofTests {
    /// The sampled request of a game: its sampled constants, margin and β at the given weights.
    static func request(_ game: MarkovGame, weights: [Double]? = nil) throws -> BoundRequest {
        let set = try game.jacobians()
        let constants = try BlockConstants(set)
        let spectra = MetricSpectra(set)
        let w = weights ?? [Double](repeating: 1, count: game.players.count)
        return BoundRequest(
            constants: constants, marginWeights: [w], marginTargets: [try spectra.margin(weights: w)],
            lipschitzWeights: [w], lipschitzTargets: [try spectra.lipschitz(weights: w)])
    }

    /// Dense sampling of the box: every vertex when there are at most 256, plus 150 seeded
    /// uniform points (a different generator stream from the game's own samples).
    /// The stated constants of a two-player certificate, its rate and β are on the safe side of
    /// every point of `dense` (curvature never above, own sizes, couplings and β never below),
    /// with a slack of 1e-9 of the largest own size.
    static func expectSafeSide(
        _ certificate: Certificate, of dense: JacobianSet,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let sampled = try BlockConstants(dense)
        let spectra = MetricSpectra(dense)
        let slack = 1e-9 * max(1, sampled.ownSize.max()!)
        for i in 0..<2 {
            #expect(certificate.constants.curvature[i] <= sampled.curvature[i] + slack, sourceLocation: sourceLocation)
            #expect(certificate.constants.ownSize[i] >= sampled.ownSize[i] - slack, sourceLocation: sourceLocation)
            #expect(
                certificate.constants.coupling(i, 1 - i) >= sampled.coupling(i, 1 - i) - slack,
                sourceLocation: sourceLocation)
        }
        if let rate = certificate.contractionRate {
            #expect(rate <= (try spectra.margin(weights: certificate.weights)) + slack, sourceLocation: sourceLocation)
        }
        #expect(
            certificate.lipschitz >= (try spectra.lipschitz(weights: certificate.weights)) - slack,
            sourceLocation: sourceLocation)
    }

    static func denseSet(_ game: MarkovGame, seed: UInt64) throws -> JacobianSet {
        let c = game.regionCenter
        let r = game.regionSpec.radius
        let n = c.count
        var points = [c]
        if n <= 8 {
            for mask in 0..<(1 << n) { points.append((0..<n).map { c[$0] + ((mask >> $0) & 1 == 1 ? r : -r) }) }
        }
        var g = SeededGenerator(seed: seed)
        for _ in 0..<150 { points.append(c.map { $0 + g.uniform(-r, r) }) }
        return JacobianSet(jacobians: try points.map { try game.certifiedJacobian(at: $0) }, estimation: .exact)
    }

    /// Property: on random small Markov games (2 players, 1–2 states, 2–3 actions, τ from 0.6 to
    /// 2, γ 0 or 0.6, both geometries, non-unit weights), every proven bound is on the safe side
    /// of every densely sampled value: curvature and margin never above, own sizes, couplings and
    /// β never below.
    @Test(arguments: 0..<8) func provenBoundsAreNeverBeatenBySampling(_ k: Int) throws {
        var g = SeededGenerator(seed: 900 + UInt64(k))
        let actions = [2 + Int(g.next() % 2), 2]
        let states = 1 + k % 2
        let game = randomMarkovGame(
            actions: actions, states: states, discount: k % 4 < 2 ? 0 : 0.6,
            temperature: g.uniform(0.6, 2), seed: 50 + UInt64(k),
            geometry: k % 3 == 2 ? .euclidean : .fisher, region: .init(radius: 0.001, samples: 16))
        try #require(game.solution.converged)
        let weights = [1, g.uniform(0.5, 2)]
        let proof = game.proveBounds(try Self.request(game, weights: weights), budget: 48)
        guard case let .proven(bounds) = proof else {
            Issue.record("proof not completed: \(proof)")
            return
        }
        let dense = try Self.denseSet(game, seed: 77 + UInt64(k))
        let sampled = try BlockConstants(dense)
        let spectra = MetricSpectra(dense)
        let scale = max(1, sampled.ownSize.max()!)
        let slack = 1e-9 * scale  // rounding of the sampled (floating-point) values themselves
        for i in 0..<2 {
            #expect(bounds.constants.curvature[i] <= sampled.curvature[i] + slack)
            #expect(bounds.constants.ownSize[i] >= sampled.ownSize[i] - slack)
            for j in 0..<2 where j != i {
                #expect(bounds.constants.coupling(i, j) >= sampled.coupling(i, j) - slack)
            }
        }
        let margin = try spectra.margin(weights: weights)
        let lipschitz = try spectra.lipschitz(weights: weights)
        #expect(bounds.margins[0] <= margin + slack)
        #expect(bounds.lipschitz[0] >= lipschitz - slack)
        // And the proof is informative on such a small box: within 50% of the sampled values.
        #expect(bounds.constants.curvature[0] >= sampled.curvature[0] - 0.5 * scale)
    }

    /// Closed form: matching pennies (one state, γ = 0) at its uniform QRE has
    /// K = [[τ, −1], [1, τ]], so μ_i = τ and L = 1 at the centre; on a box of radius 1e-4 the
    /// proven μ lies in (τ(1 − 2%) − δ, τ] and L in [1, 1.02 + δ) (δ covers the box's own
    /// variation, of order r).
    @Test func matchingPenniesClosedForm() throws {
        let text = try String(contentsOfFile: examplePath("matching-pennies-tau2.json"), encoding: .utf8)
        let json = text.replacingOccurrences(of: "\"kind\"", with: "\"region\": {\"radius\": 0.0001}, \"kind\"")
        let game = try markovGame(json)
        #expect(game.regionSpec.radius == 0.0001)
        guard case let .proven(b) = game.proveBounds(try Self.request(game), budget: 64) else {
            Issue.record("not proven")
            return
        }
        for i in 0..<2 {
            #expect(b.constants.curvature[i] <= 2 && b.constants.curvature[i] > 2 * 0.97)
            #expect(b.constants.coupling(i, 1 - i) >= 1 && b.constants.coupling(i, 1 - i) < 1.03)
        }
        #expect(b.gap <= RegionProof.targetGap)
    }

    /// The Fisher enclosure contains the floating Fisher matrix at sampled points of the box,
    /// including probabilities near 1e-12 (where the cancelling formula loses accuracy), and its
    /// diagonal stays positive there.
    @Test func fisherEnclosureContainsPointValues() {
        var g = SeededGenerator(seed: 31)
        for a in 2...4 {
            let u = SoftmaxGeometry.tangentBasis(actions: a)
            for trial in 0..<50 {
                let spread = trial % 5 == 0 ? 28.0 : 3.0
                let c = (0..<a).map { _ in g.uniform(-spread, spread) }
                let r = 0.01
                let enclosure = MarkovGame.fisherEnclosure(
                    logits: c.map { Interval(lower: $0 - r, upper: $0 + r) }, basis: u)
                for k in 0..<(a - 1) { #expect(enclosure[k * (a - 1) + k].lower > 0) }
                for _ in 0..<10 {
                    let theta = c.map { $0 + g.uniform(-r, r) }
                    let f = SoftmaxGeometry.fisher(policy: SoftmaxGeometry.policy(theta[...]), basis: u)
                    for p in 0..<(a - 1) {
                        for q in 0..<(a - 1) {
                            let x = enclosure[p * (a - 1) + q]
                            let slack = 1e-15 + 1e-12 * abs(f[p, q])
                            #expect(x.lower <= f[p, q] + slack && f[p, q] - slack <= x.upper)
                        }
                    }
                }
            }
        }
    }
}

extension MarkovProofTests {
    /// The floating Fisher matrix keeps its relative accuracy for nearly deterministic policies:
    /// against the pairwise form `Σ_{a<b} π_a π_b (U_a − U_b)(U_a − U_b)ᵀ` (no subtraction at all,
    /// so accurate to a few ulps), entry by entry relative to the diagonal, with probabilities
    /// down to about 1e-14. The cancelling form `UᵀdiagπU − (Uᵀπ)(πᵀU)` is off by far more than
    /// the tolerance here (for two actions its error is about 1e-16/π_min relative).
    @Test func fisherKeepsAccuracyForTinyProbabilities() {
        var g = SeededGenerator(seed: 41)
        for a in 2...5 {
            let u = SoftmaxGeometry.tangentBasis(actions: a)
            for _ in 0..<40 {
                var theta = (0..<a).map { _ in g.uniform(-1, 1) }
                theta[Int(g.next() % UInt64(a))] += g.uniform(15, 32)
                let p = SoftmaxGeometry.policy(theta[...])
                let f = SoftmaxGeometry.fisher(policy: p, basis: u)
                var reference = Matrix(rows: a - 1, cols: a - 1)
                for x in 0..<a {
                    for y in (x + 1)..<a {
                        for r in 0..<(a - 1) {
                            for c in 0..<(a - 1) {
                                reference[r, c] += p[x] * p[y] * (u[x, r] - u[y, r]) * (u[x, c] - u[y, c])
                            }
                        }
                    }
                }
                for r in 0..<(a - 1) {
                    for c in 0..<(a - 1) {
                        let scale = (reference[r, r] * reference[c, c]).squareRoot()
                        #expect(abs(f[r, c] - reference[r, c]) <= 1e-12 * scale, "A = \(a), π = \(p)")
                    }
                }
            }
        }
        // Two actions in closed form: F̃ = ½(1 − (π₀ − π₁)²) = 2π₀π₁, here with π₁ ≈ e^{-30}.
        let p = SoftmaxGeometry.policy([30.0, 0][...])
        let f = SoftmaxGeometry.fisher(policy: p, basis: SoftmaxGeometry.tangentBasis(actions: 2))
        #expect(abs(f[0, 0] / (2 * p[0] * p[1]) - 1) < 1e-14)
    }
}

extension MarkovProofTests {
    /// `verify` re-checks a sampled certificate at independent points (another seed, four times
    /// the points, at least 256) and reports disagreement next to the verdict. Matching pennies at
    /// τ = 2 sampled at only its centre and two seeded points misses the largest coupling of its
    /// box (the vertices), so β at the independent points is larger: the independent check
    /// disagrees, the stated claims (re-sampled at the same points) still hold. A quadratic game
    /// (exact constants) has no independent check.
    @Test func verifyReportsIndependentDisagreement() throws {
        let text = try String(contentsOfFile: examplePath("matching-pennies-tau2.json"), encoding: .utf8)
        let json = text.replacingOccurrences(of: "\"kind\"", with: "\"region\": {\"samples\": 3}, \"kind\"")
        let game = try markovGame(json)
        let certificate = try Certifier(estimationMode: .sampled).certify(game)
        let report = try CertificateEdit.verify(game, try CertificateEdit.jsonValue(certificate))
        #expect(report.holds)
        let check = try #require(report.independentCheck)
        #expect(!check.holds)
        guard case let .object(fields) = check.recomputed,
            case let .number(beta)? = fields.first(where: { $0.key == "lipschitz" })?.value
        else {
            Issue.record("no lipschitz in \(check.recomputed)")
            return
        }
        #expect(beta > certificate.lipschitz)
        if case let .object(out) = report.json() { #expect(out.contains { $0.key == "independent_check" }) }
        let quadratic = try GameReader.read(path: examplePath("mini-toy.json"))
        #expect(
            try CertificateEdit.verify(quadratic, try CertificateEdit.jsonValue(try Certifier().certify(quadratic)))
                .independentCheck == nil)
    }
}

extension MarkovProofTests {
    /// On the examples' own box (r = 0.1), matching pennies is proven strongly monotone on the
    /// whole box: the proven euclidean margin is positive at both temperatures, never above the
    /// sampled one (1.995 at τ = 2, 0.495 at τ = 0.5) and, with the Taylor models, within the
    /// 2% target gap on 1 sub-box at both temperatures (the second-order centred form they
    /// replaced needed 8 at τ = 0.5).
    @Test(arguments: ["matching-pennies-tau2.json", "matching-pennies-tau0.5.json"])
    func matchingPenniesProvenOnItsBox(_ name: String) throws {
        let game = try markovExample(name)
        let request = try Self.request(game)
        guard case let .proven(b) = game.proveBounds(request, budget: 64) else {
            Issue.record("not proven")
            return
        }
        #expect(b.margins[0] > 0)
        #expect(b.margins[0] <= request.marginTargets[0])
        #expect(b.lipschitz[0] >= request.lipschitzTargets[0])
        #expect(b.boxes == 1)
        #expect(b.gap <= RegionProof.targetGap)
        #expect(b.margins[0] >= request.marginTargets[0] * (1 - 2 * RegionProof.targetGap))
    }
}

extension MarkovProofTests {
    /// `DiscountedSolve.mixture` is the exact range of Σ p_a y_a over probability vectors in the
    /// weight boxes: it contains every feasible point (random probability vectors inside the
    /// boxes, random y's in theirs), and its upper end is attained (within rounding) by the greedy
    /// vertex (fill the largest ȳ first), computed here independently.
    @Test func mixtureIsTheExactRange() {
        var g = SeededGenerator(seed: 5)
        for _ in 0..<300 {
            let k = 2 + Int(g.next() % 3)
            var p = (0..<k).map { _ in g.uniform(0.05, 1) }
            let total = p.reduce(0, +)
            p = p.map { $0 / total }
            let w = p.map { Interval(lower: max(0, $0 - g.uniform(0, 0.2)), upper: min(1, $0 + g.uniform(0, 0.2))) }
            let y = (0..<k).map { _ -> Interval in
                let c = g.uniform(-3, 3)
                return Interval(lower: c - g.uniform(0, 1), upper: c)
            }
            let range = DiscountedSolve.mixture(w, y)
            for _ in 0..<20 {
                // A feasible point: move mass between two coordinates while staying in the boxes.
                var q = p
                let a = Int(g.next() % UInt64(k))
                let b = (a + 1) % k
                let t =
                    g.uniform(-1, 1) * min(q[a] - w[a].lower, w[b].upper - q[b], w[a].upper - q[a], q[b] - w[b].lower)
                q[a] -= t
                q[b] += t
                let value = (0..<k).reduce(0.0) { $0 + q[$1] * g.uniform(y[$1].lower, y[$1].upper) }
                #expect(range.lower <= value + 1e-12 && value - 1e-12 <= range.upper)
            }
            // Greedy vertex for the maximum.
            var q = w.map(\.lower)
            var rest = 1 - q.reduce(0, +)
            for a in (0..<k).sorted(by: { y[$0].upper > y[$1].upper }) {
                let add = min(w[a].upper - w[a].lower, max(rest, 0))
                q[a] += add
                rest -= add
            }
            if abs(rest) < 1e-12 {
                let best = (0..<k).reduce(0.0) { $0 + q[$1] * y[$1].upper }
                #expect(abs(range.upper - best) <= 1e-9)
            }
        }
    }

    /// `DiscountedSolve.Chain.differences` contains `x(t) − x(0)` for every feasible chain
    /// (probability weights inside their boxes, right-hand sides inside theirs; the solution by a
    /// floating-point solve of `(I − γP)x = b`), and where the states' rows are alike it is much
    /// tighter than the difference of the value enclosures.
    @Test func valueDifferencesContainTheTrueDifferences() {
        var g = SeededGenerator(seed: 11)
        for trial in 0..<200 {
            let n = 2 + Int(g.next() % 3)
            let k = 2 + Int(g.next() % 2)
            let gamma = trial % 2 == 0 ? 0.9 : 0.5
            let alike = trial % 4 == 0
            var kernel = [Double](repeating: 0, count: n * k * n)
            for s in 0..<n {
                for a in 0..<k {
                    var row = (0..<n).map { _ in g.uniform(0, 1) }
                    let total = row.reduce(0, +)
                    row = row.map { $0 / total }
                    for t in 0..<n { kernel[(s * k + a) * n + t] = alike && s > 0 ? kernel[a * n + t] : row[t] }
                }
            }
            let chain = DiscountedSolve.Chain(n: n, k: k, kernel: kernel, gamma: gamma)
            let delta = g.uniform(0.001, 0.05)
            let centres = (0..<n).map { _ -> [Double] in
                let p = (0..<k).map { _ in g.uniform(0.2, 1) }
                let total = p.reduce(0, +)
                return p.map { $0 / total }
            }
            let w = centres.map { p in p.map { Interval(lower: max(0, $0 - delta), upper: min(1, $0 + delta)) } }
            let bMid = (0..<n).map { _ in g.uniform(-1, 1) }
            let b = bMid.map { Interval(lower: $0 - delta, upper: $0 + delta) }
            let x = chain.values(weights: w, rhs: b)
            let y = chain.differences(weights: w, rhs: b, values: x)
            #expect(y[0] == Interval(0))
            for _ in 0..<20 {
                var m = [Double](repeating: 0, count: n * n)
                for s in 0..<n {
                    // A feasible probability vector inside the boxes: towards a random one.
                    let q = (0..<k).map { _ in g.uniform(0, 1) }
                    let qs = q.reduce(0, +)
                    let dir = (0..<k).map { q[$0] / qs - centres[s][$0] }
                    let reach = dir.reduce(1.0) { abs($1) > 0 ? min($0, delta / abs($1)) : $0 }
                    let u = g.uniform(0, 1) * reach
                    let p = (0..<k).map { centres[s][$0] + u * dir[$0] }
                    for a in 0..<k {
                        for t in 0..<n { m[s * n + t] -= gamma * p[a] * kernel[(s * k + a) * n + t] }
                    }
                    m[s * n + s] += 1
                }
                let rhs = (0..<n).map { bMid[$0] + g.uniform(-delta, delta) }
                let v = LinearSolve.solve(m, size: n, rhs: [rhs])[0]
                for t in 0..<n {
                    let d = v[t] - v[0]
                    #expect(y[t].lower - 1e-9 <= d && d <= y[t].upper + 1e-9)
                }
            }
            if alike {
                for t in 1..<n { #expect(y[t].width < 0.5 * (x[t] - x[0]).width) }
            }
        }
    }

    /// On the coordination game's whole r = 0.1 box (γ = 0.9), where the entrywise `I − γP_π`
    /// contains singular matrices, the stochastic fixed-point enclosure succeeds: values,
    /// occupancy and their derivatives along a tangent direction are finite and contain the
    /// floating-point values (`Dual`) at 40 sampled points of the box and at its vertices.
    @Test func discountedSolveEnclosesTheValuesOnTheWholeBox() throws {
        let game = try markovExample("coordination-2x2x2.json")
        let c = game.regionCenter
        let r = game.regionSpec.radius
        let direction = (0..<c.count).map { Double($0 % 3) - 1 }
        let box = game.evaluate(
            zip(c, direction).map { IntervalDual(Interval(lower: $0 - r, upper: $0 + r), tangent: Interval($1)) })
        #expect(box.values.allSatisfy { $0.allSatisfy { $0.real.isFinite && $0.tangent.isFinite } })
        #expect(box.occupancy.allSatisfy { $0.real.isFinite && $0.tangent.isFinite && $0.real.lower >= 0 })
        var g = SeededGenerator(seed: 12)
        var points = (0..<40).map { _ in c.map { $0 + g.uniform(-r, r) } }
        for mask in 0..<(1 << c.count) { points.append((0..<c.count).map { c[$0] + ((mask >> $0) & 1 == 1 ? r : -r) }) }
        for theta in points {
            let e = game.evaluate(zip(theta, direction).map { Dual($0, tangent: $1) })
            func inside(_ x: Interval, _ v: Double) -> Bool { x.lower - 1e-12 <= v && v <= x.upper + 1e-12 }
            for i in 0..<2 {
                for s in 0..<2 {
                    #expect(inside(box.values[i][s].real, e.values[i][s].value))
                    #expect(inside(box.values[i][s].tangent, e.values[i][s].tangent))
                }
            }
            for s in 0..<2 {
                #expect(inside(box.occupancy[s].real, e.occupancy[s].value))
                #expect(inside(box.occupancy[s].tangent, e.occupancy[s].tangent))
            }
        }
    }
}

extension MarkovProofTests {
    /// The wired path: matching pennies (τ = 2) certifies with proven constants by default; the
    /// stated bounds are on the safe side of dense sampling of the box; `verify` re-runs the
    /// proof and accepts the certificate, and rejects it when a stated curvature is raised above
    /// the proven one or the sub-box count is changed.
    @Test func provenCertificateVerifiesAndTamperingFails() throws {
        let game = try markovExample("matching-pennies-tau2.json")
        let certificate = try Certifier().certify(game)
        guard case let .proven(_, boxes?, gap?) = certificate.estimation else {
            Issue.record("not proven: \(certificate.proof as Any)")
            return
        }
        #expect(boxes == 1 && gap >= 0 && gap <= RegionProof.targetGap)
        #expect(certificate.status == .certified)
        let dense = try Self.denseSet(game, seed: 99)
        let sampled = try BlockConstants(dense)
        _ = try #require(certificate.contractionRate)
        try Self.expectSafeSide(certificate, of: dense)
        #expect(certificate.steps?.euler.guarantee == .provenCertifiedField)

        let json = try CertificateEdit.jsonValue(certificate)
        let report = try CertificateEdit.verify(game, json)
        #expect(report.holds)
        #expect(report.claims.contains { $0.claim == "constants.estimation" && $0.holds })
        // The coupling lowered to just above the sampled one: every sampled check still holds,
        // the re-proven bound (above the sampled value by the proof's gap) does not.
        let provenCoupling = certificate.constants.coupling(0, 1)
        let lowered = sampled.coupling(0, 1) * 1.001
        #expect(lowered < provenCoupling)
        let tampered = CertificateEdit.set(json, ["constants", "coupling", "matcher", "mismatcher"]) { _ in
            .number(lowered)
        }
        let bad = try CertificateEdit.verify(game, tampered)
        #expect(!bad.holds)
        #expect(bad.claims.contains { $0.claim == "constants.estimation" && !$0.holds })
        #expect(bad.claims.contains { $0.claim == "constants.coupling" && $0.holds })
        let otherBoxes = CertificateEdit.set(json, ["constants", "proof", "boxes"]) { _ in .number(Double(boxes + 1)) }
        #expect(try !CertificateEdit.verify(game, otherBoxes).holds)
    }

    /// Property, the wired path: on random small one-state games (2×2 or 3×2 actions, τ from 1
    /// to 3, so that the proof is attempted by default), every certificate with
    /// `estimation: proven` states constants, a contraction rate and β that dense sampling of the
    /// box never beats.
    @Test(arguments: 0..<6) func provenCertificatesAreNeverBeatenBySampling(_ k: Int) throws {
        var g = SeededGenerator(seed: 1200 + UInt64(k))
        let game = randomMarkovGame(
            actions: [2, 2 + k % 2], states: 1, discount: 0, temperature: g.uniform(1, 3),
            seed: 300 + UInt64(k), region: .init(radius: 0.05, samples: 16))
        try #require(game.solution.converged)
        let certificate = try Certifier(estimationMode: .proven).certify(game)
        guard case .proven = certificate.estimation else {
            #expect(certificate.proof?.reason != nil)  // a failed proof says why (5 of these 6 are proven)
            return
        }
        try Self.expectSafeSide(certificate, of: try Self.denseSet(game, seed: 500 + UInt64(k)))
    }
}

extension MarkovProofTests {
    /// The worst one-step ratio of metric distances between pairs of certified-dynamics
    /// trajectories (Euler at the certificate's recommended step) from 10 random pairs of starts
    /// in the basin box, over 60 steps each.
    static func worstPairRatio(_ game: MarkovGame, _ c: Certificate, seed: UInt64) throws -> (
        ratio: Double, factor: Double
    ) {
        let h = try #require(c.steps?.euler.recommended)
        let factor = try #require(c.steps?.euler.factor)
        let basin = try #require(c.basinRadius)
        let star = try #require(game.equilibriumState(certifiedStep: h))
        var g = SeededGenerator(seed: seed)
        var worst = 0.0
        for _ in 0..<10 {
            var x = star.map { $0 + g.uniform(-basin, basin) }
            var y = star.map { $0 + g.uniform(-basin, basin) }
            var distance = game.metricNorm(zip(x, y).map { $0 - $1 }, weights: c.weights)
            for _ in 0..<60 where distance > 1e-9 {
                let fx = game.field(x)
                let fy = game.field(y)
                x = zip(x, fx).map { $0 - h * $1 }
                y = zip(y, fy).map { $0 - h * $1 }
                let next = game.metricNorm(zip(x, y).map { $0 - $1 }, weights: c.weights)
                worst = max(worst, next / distance)
                distance = next
            }
        }
        return (worst, factor)
    }

    /// Pairs of certified-dynamics trajectories (natural policy gradient, Euler at the certified
    /// recommended step) started at random points of the basin box of a proven certificate
    /// approach each other, in the certificate's metric, by no more than the certified per-step
    /// factor, at every step. This is a theorem now that the proven constants bound the field's
    /// own Jacobian in that metric on the whole region (docs/markov-games.md, "What a
    /// certificate means"); the test checks the implementation against it.
    @Test(arguments: ["matching-pennies-tau2.json", "matching-pennies-tau0.5.json"])
    func pairsContractAtTheCertifiedRate(_ name: String) throws {
        let game = try markovExample(name)
        let c = try Certifier().certify(game)
        guard case .proven = c.estimation else {
            Issue.record("not proven")
            return
        }
        let (worst, factor) = try Self.worstPairRatio(game, c, seed: 21)
        #expect(worst > 0 && worst <= factor, "\(name): worst pair ratio \(worst), certified factor \(factor)")
    }

    /// Property: on random small one-state games (2×2 or 3×2 actions, γ 0 or 0.5, τ from
    /// 1 to 3, radius 0.05) whose certificate is proven, pairs of certified-dynamics trajectories
    /// from the basin contract by no more than the certified factor at every step.
    @Test(arguments: 0..<4) func randomProvenPairsContractAtTheCertifiedRate(_ k: Int) throws {
        var g = SeededGenerator(seed: 1400 + UInt64(k))
        let game = randomMarkovGame(
            actions: [2, 2 + k % 2], states: 1, discount: k < 2 ? 0 : 0.5, temperature: g.uniform(1, 3),
            seed: 700 + UInt64(k), region: .init(radius: 0.05, samples: 16))
        try #require(game.solution.converged)
        let c = try Certifier(estimationMode: .proven).certify(game)
        guard case .proven = c.estimation, c.status == .certified else {
            Issue.record("game \(k) not proven: \(c.reason ?? "")")  // all four are proven
            return
        }
        let (worst, factor) = try Self.worstPairRatio(game, c, seed: 31 + UInt64(k))
        #expect(worst > 0 && worst <= factor, "game \(k): worst pair ratio \(worst), certified factor \(factor)")
    }
}

extension MarkovProofTests {
    /// `NestedDual<IntervalHyperDual>` encloses third derivatives on a box: for
    /// f(x) = eˣ log x, f‴(x) = eˣ(log x + 3/x − 3/x² + 2/x³) (closed form), at sampled points of
    /// [1.2, 1.4] and at the point 1.3 to within rounding.
    @Test func nestedDualEnclosesThirdDerivatives() {
        func third(_ x: Double) -> Double { exp(x) * (log(x) + 3 / x - 3 / (x * x) + 2 / (x * x * x)) }
        func evaluate(_ x: Interval) -> Interval {
            let v = NestedDual(
                IntervalHyperDual(x, first: Interval(1), second: Interval(1)), tangent: IntervalHyperDual(1))
            let f = NestedDual.exponential(v) * NestedDual.logarithm(v)
            return f.tangent.mixed
        }
        let box = evaluate(Interval(lower: 1.2, upper: 1.4))
        for k in 0...20 {
            let x = 1.2 + 0.01 * Double(k)
            #expect(box.contains(third(x)))
        }
        let point = evaluate(Interval(1.3))
        #expect(point.contains(third(1.3)) || abs(point.value - third(1.3)) < 1e-13)
        #expect(point.width < 1e-12)
    }
}

extension MarkovProofTests {
    /// The coordination game (γ = 0.9) on its own box, r = 0.1: proven within the default
    /// certify budget of 64 sub-boxes, with every curvature within 5% below its sampled value
    /// (0.9616) and every coupling within 5% above it (0.6009), never on the wrong side.
    @Test func coordinationProvenOnItsBox() throws {
        let game = try markovExample("coordination-2x2x2.json")
        #expect(game.regionSpec.radius == 0.1)
        let request = try Self.request(game)
        guard case let .proven(b) = game.proveBounds(request, budget: RegionProof.certifyBudget) else {
            Issue.record("not proven")
            return
        }
        let sampled = request.constants
        for i in 0..<2 {
            #expect(b.constants.curvature[i] <= sampled.curvature[i])
            #expect(b.constants.curvature[i] >= 0.95 * sampled.curvature[i])
            #expect(b.constants.coupling(i, 1 - i) >= sampled.coupling(i, 1 - i))
            #expect(b.constants.coupling(i, 1 - i) <= 1.05 * sampled.coupling(i, 1 - i))
        }
        #expect(b.margins[0] > 0 && b.margins[0] <= request.marginTargets[0])
        #expect(b.lipschitz[0] >= request.lipschitzTargets[0])
    }
}
