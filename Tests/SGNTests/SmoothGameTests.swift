import Foundation
import Testing

@testable import SGN

/// Smooth games (kind "smooth"): known answers of the shipped examples, decoder messages, and
/// the soundness of proven constants under dense sampling and simulation.
@Suite("Smooth games: examples, decoder, proofs on a box")
struct SmoothGameTests {
    static func smooth(_ path: String) throws -> SmoothGame {
        try #require(try GameReader.read(path: examplePath(path)) as? SmoothGame)
    }

    /// Symmetric Cournot with P(Q) = a − bQ^1.5: q* = ((a − c)/(1.5b))^(2/3)/3
    /// (scripts/smooth-examples.py prints 1.1006424162982087).
    @Test func cournotMatchesItsClosedForm() throws {
        let game = try Self.smooth("cournot-nonlinear.json")
        let closedForm = pow(9.0 / 1.5, 2.0 / 3.0) / 3
        expectClose(closedForm, 1.1006424162982087, 1e-15)
        for q in game.solution.point { expectClose(q, closedForm, 1e-9) }
        let c = try Certifier().certify(game)
        #expect(c.status == .certified)
        guard case let .proven(_, boxes?, gap?) = c.estimation else {
            Issue.record("not proven: \(c.estimation)")
            return
        }
        #expect(boxes >= 1 && gap <= BoxProof.Settings.standard.targetGap)
        // J_ii = 3b·Q^0.5 + 0.75b·q·Q^-0.5 at the equilibrium: the proven curvature is below it.
        let q = closedForm
        let total = 3 * q
        let ownAtStar = 3 * total.squareRoot() + 0.75 * q / total.squareRoot()
        let j = game.jacobianAt(game.solution.point)
        expectClose(j[0], ownAtStar, 1e-12)
        #expect(c.constants.curvature.allSatisfy { $0 <= ownAtStar })
    }

    /// Logit Bertrand: p* = 1.696467659231799 (scripts/smooth-examples.py, Newton on the
    /// symmetric first-order condition (p − c)(1 − s) = m).
    @Test func bertrandMatchesTheReference() throws {
        let game = try Self.smooth("bertrand-logit.json")
        for p in game.solution.point { expectClose(p, 1.696467659231799, 1e-9) }
        let c = try Certifier().certify(game)
        #expect(c.status == .certified)
        if case .proven = c.estimation {} else { Issue.record("not proven: \(c.estimation)") }
    }

    /// Dirac-GAN: equilibrium (0, 0), Jacobian there [[ε, 1/2], [−1/2, γ]]; certified with a
    /// Euclidean margin at most min(ε, γ) = 0.3 (the value at the equilibrium).
    @Test func diracGANHasItsKnownJacobian() throws {
        let game = try Self.smooth("dirac-gan.json")
        #expect(game.solution.point == [0, 0])
        #expect(game.jacobianAt([0, 0]) == [0.3, 0.5, -0.5, 0.5])
        let c = try Certifier().certify(game)
        #expect(c.status == .certified)
        #expect(c.margins[.euclidean]! > 0 && c.margins[.euclidean]! <= 0.3)
        if case .proven = c.estimation {} else { Issue.record("not proven: \(c.estimation)") }
        let radius = try #require(c.basinRadius)
        #expect(radius > 0 && radius <= 0.5)
    }

    /// Bilinear with quartic own terms: no curvature at the equilibrium, so not certified (with
    /// proven constants: the proof stops as soon as no rung can certify).
    @Test func bilinearQuarticIsNotCertified() throws {
        let game = try Self.smooth("bilinear-quartic.json")
        #expect(game.solution.point == [0, 0])
        let c = try Certifier().certify(game)
        #expect(c.status == .notCertified)
        #expect(c.constants.curvature.allSatisfy { $0 <= 0 })
        if case .proven = c.estimation {} else { Issue.record("not proven: \(c.estimation)") }
    }

    /// The issue's message format: file, JSON path, column, what is wrong and what is known.
    @Test func decoderMessagesNameThePathAndColumn() throws {
        let text = """
            {"kind": "smooth", "parameters": {"a": 10, "b": 1, "c": 1}, "players": [
              {"name": "q1", "loss": "q1^2"}, {"name": "q2", "loss": "q2^2 + q1*q3*q4 + a"}, \
            {"name": "q3", "loss": "q3^2"}]}
            """
        do {
            _ = try GameReader.decode(bytes: Array(text.utf8))
            Issue.record("accepted")
        } catch {
            #expect(
                error.description
                    == "players[1].loss: column 14: unknown variable 'q4' (players: q1, q2, q3; parameters: a, b, c)")
        }
        let clash = #"{"kind": "smooth", "parameters": {"sin": 1}, "players": [{"name": "x", "loss": "x^2"}]}"#
        #expect(throws: InputError.self) { try GameReader.decode(bytes: Array(clash.utf8)) }
        let both = #"{"kind": "smooth", "parameters": {"x": 1}, "players": [{"name": "x", "loss": "x^2"}]}"#
        #expect(throws: InputError.self) { try GameReader.decode(bytes: Array(both.utf8)) }
    }

    /// `exp(x) + exp(y)` has no equilibrium: Newton stops where the gradient has decayed below the
    /// absolute tolerance (x = y ≈ −24) and the region around that point is strongly monotone
    /// with a tiny margin, but one certified Euler step moves the point far beyond the region, so
    /// no fixed point is shown in it and the game must not be certified. A game with a true
    /// equilibrium keeps its basin, shrunk by at most the existence radius.
    @Test func decayingGradientWithoutEquilibriumIsNotCertified() throws {
        let text = """
            {"kind": "smooth", "players": [{"name": "x", "loss": "exp(x)"}, {"name": "y", "loss": "exp(y)"}]}
            """
        let game = try #require(try GameReader.decode(bytes: Array(text.utf8)) as? SmoothGame)
        #expect(game.solution.converged)
        let c = try Certifier().certify(game)
        #expect(c.status == .notCertified)
        #expect(c.steps == nil && c.basinRadius == nil)
        #expect(c.reason?.hasPrefix("no equilibrium shown in the region") == true)

        let quadratic = """
            {"kind": "smooth", "players": [{"name": "x", "loss": "x^2/2 + exp(x)/10"},
             {"name": "y", "loss": "y^2/2 + 0.1*x*y"}], "region": {"radius": 0.5}}
            """
        let good = try #require(try GameReader.decode(bytes: Array(quadratic.utf8)) as? SmoothGame)
        let certified = try Certifier().certify(good)
        #expect(certified.status == .certified)
        let basin = try #require(certified.basinRadius)
        let unshrunk = try #require(good.basinRadius(weights: certified.weights))
        #expect(basin <= unshrunk && basin > 0.99 * unshrunk)
    }

    /// A game whose own curvature `1 + 0.5 cos(2πx/r)` is 1.5 at the centre and at every vertex
    /// of the region (radius r = 1) but 0.5 at x = ±r/2: a sampler that looks only at vertices
    /// and the centre would report 1.5; the proof must report at most 0.5.
    @Test func proofFindsTheInteriorMinimum() throws {
        let own = "x^2/2 - 0.5*cos(6.283185307179586*x)/39.47841760435743 + 0.1*x*y"
        let other = "y^2/2 - 0.5*cos(6.283185307179586*y)/39.47841760435743 - 0.1*x*y"
        let text = """
            {"kind": "smooth", "players": [{"name": "x", "loss": "\(own)"}, {"name": "y", "loss": "\(other)"}],
             "region": {"radius": 1}}
            """
        let game = try #require(try GameReader.decode(bytes: Array(text.utf8)) as? SmoothGame)
        #expect(game.solution.point == [0, 0])
        expectClose(game.jacobianAt([1, 1])[0], 1.5, 1e-12)
        expectClose(game.jacobianAt([0.5, 0.5])[0], 0.5, 1e-12)
        let c = try Certifier().certify(game)
        if case .proven = c.estimation {} else { Issue.record("not proven: \(c.estimation)") }
        #expect(c.constants.curvature.allSatisfy { $0 <= 0.5 + 1e-12 })
        #expect(c.status == .certified)
    }

    /// Random smooth games on small boxes: whenever a certificate is issued with proven
    /// constants, dense sampling of the region (2000 points) finds no Jacobian violating them,
    /// and projected Euler at the recommended step from starts in the basin contracts in the
    /// certificate's metric by at most the certified factor per step.
    @Test func provenCertificatesHoldUnderDenseSampling() throws {
        var g = SeededGenerator(seed: 2026)
        var certifiedCount = 0
        for trial in 0..<24 {
            let n = 2 + trial % 2
            let names = (0..<n).map { "x\($0)" }
            var players: [String] = []
            for i in 0..<n {
                let me = names[i]
                let other = names[(i + 1) % n]
                let curvature = g.uniform(0.8, 2)
                let wobble = g.uniform(0, 0.6)
                let omega = g.uniform(1, 5)
                let coupling = g.uniform(-0.6, 0.6)
                let twist = g.uniform(-0.5, 0.5)
                let quartic = g.uniform(0, 0.3)
                let loss =
                    "\(curvature)/2*\(me)^2 + \(wobble)*sin(\(omega)*\(me))/\(omega * omega) + \(quartic)*\(me)^4"
                    + " + \(coupling)*\(me)*\(other) + \(twist)*\(me)*tanh(\(other) + 0.3) + 0.2*\(me)"
                let lower = trial % 3 == 0 ? #", "lower": -0.1"# : ""
                players.append(#"{"name": "\#(me)", "loss": "\#(loss)"\#(lower)}"#)
            }
            let text =
                #"{"kind": "smooth", "players": [\#(players.joined(separator: ", "))], "#
                + #""region": {"radius": \#(g.uniform(0.2, 0.6))}}"#
            let game = try #require(try GameReader.decode(bytes: Array(text.utf8)) as? SmoothGame)
            let c = try Certifier().certify(game)
            guard c.status == .certified, case .proven = c.estimation else { continue }
            certifiedCount += 1
            let w = c.weights
            let rate = try #require(c.contractionRate)
            let beta = c.lipschitz
            let tolerance = 1e-9 * max(1, beta)
            let box = game.regionBox
            for _ in 0..<2000 {
                let x = box.map { g.uniform($0.lower, $0.upper) }
                let j = game.jacobianAt(x)
                var m = Matrix(rows: n, cols: n)
                var weighted = Matrix(rows: n, cols: n)
                for r in 0..<n {
                    for s in 0..<n {
                        m[r, s] = j[r * n + s]
                        weighted[r, s] = j[r * n + s] * (w[r] / w[s]).squareRoot()
                    }
                }
                for i in 0..<n {
                    #expect(c.constants.curvature[i] <= j[i * n + i] + tolerance, "\(text) mu_\(i) at \(x)")
                    #expect(c.constants.ownSize[i] >= abs(j[i * n + i]) - tolerance)
                    for k in 0..<n where k != i {
                        #expect(
                            c.constants.coupling(i, k) >= abs(j[i * n + k]) - tolerance, "\(text) L_\(i)\(k) at \(x)")
                    }
                }
                let lambda = try LAPACK.symmetricEigenvalues(weighted.symmetricPart).first!
                #expect(lambda >= rate - tolerance, "\(text) margin at \(x): \(lambda) < \(rate)")
                let sigma = try LAPACK.singularValues(weighted).max()!
                #expect(sigma <= beta + tolerance, "\(text) beta at \(x)")
            }
            // Simulation from the basin's corners and random points inside it.
            let star = game.solution.point
            let radius = try #require(c.basinRadius)
            let h = c.steps!.euler.recommended
            let factor = c.steps!.euler.factor
            for _ in 0..<8 {
                var x = game.project(star.map { $0 + g.uniform(-radius, radius) })
                #expect(zip(x, box).allSatisfy { $1.contains($0) }, "start outside the region")
                var distance = game.metricNorm(zip(x, star).map { $0 - $1 }, weights: w)
                for _ in 0..<200 {
                    let f = game.field(x)
                    x = game.project(zip(x, f).map { $0 - h * $1 })
                    let next = game.metricNorm(zip(x, star).map { $0 - $1 }, weights: w)
                    #expect(next <= factor * distance + 1e-12, "\(text): step grew \(distance) -> \(next)")
                    distance = next
                }
            }
        }
        #expect(certifiedCount >= 8)
    }
}
