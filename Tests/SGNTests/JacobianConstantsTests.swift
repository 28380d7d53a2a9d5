import Foundation
import Testing

@testable import SGN

/// `kind: "jacobians"` games given by per-point block constants instead of Jacobians (e.g.
/// Lanczos on Hessian–vector products): the sgn rung from the constants, β from the matrix of
/// block norms, the other rungs not evaluated.
@Suite("Jacobian games given by block constants")
struct JacobianConstantsTests {
    /// The constants form of `c` for the players `names`, as one point's JSON object.
    static func point(_ c: BlockConstants, names: [String]) -> String {
        func per(_ xs: [Double]) -> String {
            "{" + zip(names, xs).map { "\"\($0)\":\(JSONWriter.format($1))" }.joined(separator: ",") + "}"
        }
        let coupling =
            "{"
            + names.indices.filter { !c.coupling[$0].isEmpty }.map { i in
                "\"\(names[i])\":{"
                    + c.coupling[i].map { "\"\(names[$0.col])\":\(JSONWriter.format($0.value))" }.joined(separator: ",")
                    + "}"
            }.joined(separator: ",") + "}"
        return #"{"curvature":\#(per(c.curvature)),"own_size":\#(per(c.ownSize)),"coupling":\#(coupling)}"#
    }

    static let two = #""players":[{"name":"x","dim":1},{"name":"y","dim":1}]"#

    /// A quadratic game's exact block constants, given as constants, reproduce that game's sgn
    /// rung (margin, weights, τ(Γ), band) and give a β at least the exact β at the same weights.
    @Test(
        "exact constants of a quadratic game reproduce its sgn rung; beta is an upper bound",
        arguments: [
            "mini-toy.json", "network-4.json", "scaled-0.5.json", "scaled-1.2.json", "tandem.json",
            "bilinear.json", "zero-sum-like.json", "lq-64.json",
        ])
    func reproducesSGNRung(_ example: String) throws {
        let q = try #require(try GameReader.read(path: examplePath(example)) as? QuadraticGame)
        let exactSet = try q.jacobians()
        let constants = try BlockConstants(exactSet)
        let sgn = try OptimalWeights.compute(ComparisonMatrix(constants))
        let json =
            #"{"kind":"jacobians","players":\#(JacobianGameTests.playersJSON(q)),"#
            + #""constants":[\#(Self.point(constants, names: q.players.map(\.name)))]}"#
        let g = try game(json)
        let c = try Certifier().certify(g)
        // JSON round trip of the constants is exact (shortest round-tripping decimals).
        #expect(c.constants.curvature == constants.curvature)
        #expect(c.constants.ownSize == constants.ownSize)
        #expect(c.margins[.sgn] == sgn.margin)
        #expect(c.comparisonBound == sgn.bound)
        #expect(c.margins[.euclidean] == nil && c.margins[.weighted] == nil && c.margins[.lyapunov] == nil)
        #expect(c.marginsNotEvaluated == Certifier.notEvaluatedReason)
        let exactBeta = try MetricSpectra(exactSet).lipschitz(weights: c.weights)
        #expect(c.lipschitz >= exactBeta * (1 - 1e-12))
        if sgn.margin > c.marginTolerance {
            #expect(c.status == .certified && c.certifiedBy == .sgn)
            #expect(c.weights == sgn.weights)
            #expect(c.contractionRate == sgn.margin)
        } else {
            #expect(c.status == .notCertified && c.steps == nil)
        }
        // The band and weight bands follow from the constants: as in the quadratic certificate.
        let exact = try Certifier().certify(q)
        #expect(
            c.timescaleBand?.lower == exact.timescaleBand?.lower && c.timescaleBand?.upper == exact.timescaleBand?.upper
        )
        #expect(c.timescaleBand?.optimum == exact.timescaleBand?.optimum)
        #expect(c.weightBands?.map(\.lower) == exact.weightBands?.map(\.lower))
        #expect(c.weightBands?.map(\.upper) == exact.weightBands?.map(\.upper))
        #expect((c.timescaleBand != nil) == (q.players.count == 2 && TimescaleBand.twoPlayer(constants) != nil))
        #expect(
            c.estimation
                == .sampled(
                    count: 1, seed: 0,
                    method: .givenConstants(source: "inline")
                ))
    }

    /// Two scalar players with μ1 = μ2 = 2, L12 = 2, L21 = 0.5, ℓ = (3, 2.5): the SGN optimum is
    /// s = √(w2/w1) = √(L12/L21) = 2, margin μ − √(L12 L21) = 1, weights (1/4, 1); there
    /// N_w = [[3, 1], [1, 2.5]], so β = 2.75 + √4.25/2; band r ∈ [(2/(2+√3))², ((2+√3)/0.5)²].
    @Test("closed-form two-player case")
    func closedForm() throws {
        let json =
            #"{"kind":"jacobians",\#(Self.two),"constants":[{"curvature":{"x":2,"y":2},"#
            + #""own_size":{"x":3,"y":2.5},"coupling":{"x":{"y":2},"y":{"x":0.5}}}]}"#
        let c = try Certifier().certify(try game(json))
        #expect(c.status == .certified && c.certifiedBy == .sgn)
        expectClose(c.contractionRate, 1, 1e-12)
        expectClose(c.weights[0], 0.25, 1e-12)
        #expect(c.weights[1] == 1)
        let beta = 2.75 + 4.25.squareRoot() / 2
        expectClose(c.lipschitz, beta, 1e-12)
        expectClose(c.steps?.euler.max, 2 / (beta * beta), 1e-12)
        let sp = 2.0
        let sd = 3.0.squareRoot()
        expectClose(c.timescaleBand?.lower, (2 / (sp + sd)) * (2 / (sp + sd)), 1e-12)
        expectClose(c.timescaleBand?.upper, ((sp + sd) / 0.5) * ((sp + sd) / 0.5), 1e-12)
        expectClose(c.timescaleBand?.optimum, 4, 1e-12)
        // Unit weights: N = [[3, 2], [0.5, 2.5]], ‖N‖₂² = (‖N‖F² + √(‖N‖F⁴ − 4 det²))/2.
        let f2 = 9 + 4 + 0.25 + 6.25
        let det = 3 * 2.5 - 2 * 0.5
        expectClose(c.euclideanLipschitz, ((f2 + (f2 * f2 - 4 * det * det).squareRoot()) / 2).squareRoot(), 1e-12)
        let text = JSONWriter.write(c.json, pretty: false)
        #expect(
            text.contains(
                #""margins":{"euclidean":null,"sgn":1,"weighted":null,"lyapunov":null,"#
                    + #""weighted_upper_bound":null,"spectral_limit":null,"not_evaluated":"not evaluated: "#
            ))
    }

    /// The block-norm bound is an upper bound on β(w) for random block Jacobians at random weights
    /// (docs/jacobian-games.md), and exact for scalar players with nonnegative entries (N_w = K).
    @Test(
        "the block-norm bound dominates beta, tight for nonnegative scalar games",
        arguments: Array(UInt64(1)...UInt64(10)))
    func blockNormBound(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let q = GameGenerators.dense(players: 3, dim: 1 + Int(seed % 3), coupling: 0.8, seed: seed)
        let set = try q.jacobians()
        let constants = try BlockConstants(set)
        for _ in 0..<5 {
            let w = (0..<3).map { _ in rng.uniform(0.01, 1) }
            let bound = try constants.lipschitzUpperBound(weights: w)
            let beta = try MetricSpectra(set).lipschitz(weights: w)
            #expect(bound >= beta * (1 - 1e-12), "bound \(bound) < beta \(beta)")
        }
        let positive = scalarGame([[2, 0.3, 0.1], [0.2, 1, 0.4], [0.5, 0.1, 3]])
        let w = [1, 0.3, 0.7]
        let tight = try BlockConstants(try positive.jacobians()).lipschitzUpperBound(weights: w)
        expectClose(tight, try MetricSpectra(try positive.jacobians()).lipschitz(weights: w), 1e-12)
    }

    /// Constants at several points: the worst case over them (min μ, max ℓ, max L; absent is 0).
    @Test("several points: min curvature, max sizes")
    func worstCase() throws {
        let json =
            #"{"kind":"jacobians",\#(Self.two),"constants":[{"curvature":{"x":2,"y":1},"#
            + #""own_size":{"x":2,"y":1.5},"coupling":{"x":{"y":0.3}}},{"curvature":{"x":1.5,"#
            + #""y":1.2},"own_size":{"x":2.5,"y":1.2},"coupling":{"y":{"x":0.4}}}]}"#
        let c = try Certifier().certify(try game(json))
        #expect(c.constants.curvature == [1.5, 1])
        #expect(c.constants.ownSize == [2.5, 1.5])
        #expect(c.constants.coupling(0, 1) == 0.3 && c.constants.coupling(1, 0) == 0.4)
        #expect(
            c.estimation
                == .sampled(
                    count: 2, seed: 0,
                    method: .givenConstants(source: "inline")
                ))
    }

    /// `verify` recomputes from the same constants; a raised rate, a lowered β, or a stated
    /// margin of a rung that cannot be evaluated fail.
    @Test("verify recomputes from the constants")
    func verification() throws {
        let json =
            #"{"kind":"jacobians",\#(Self.two),"constants":[{"curvature":{"x":2,"y":2},"#
            + #""own_size":{"x":3,"y":2.5},"coupling":{"x":{"y":2},"y":{"x":0.5}}}]}"#
        let g = try game(json)
        let c = try Certifier().certify(g)
        let text = JSONWriter.write(c.json)
        #expect(
            try Verifier().verify(game: g, certificate: try StatedCertificate.decode(bytes: Array(text.utf8))).holds)
        let rate = try #require(c.contractionRate)
        for (old, new) in [
            (
                "\"contraction_rate\":\(JSONWriter.format(rate))",
                "\"contraction_rate\":\(JSONWriter.format(rate * 1.01))"
            ),
            (
                "\"lipschitz\":\(JSONWriter.format(c.lipschitz))",
                "\"lipschitz\":\(JSONWriter.format(c.lipschitz * 0.99))"
            ),
            ("\"euclidean\":null", "\"euclidean\":0.5"), ("\"weighted\":null", "\"weighted\":0.5"),
        ] {
            let tampered = text.replacingOccurrences(of: old, with: new)
            #expect(tampered != text)
            #expect(
                try !Verifier().verify(game: g, certificate: try StatedCertificate.decode(bytes: Array(tampered.utf8)))
                    .holds)
        }
    }

    /// Constants carry no n×n matrices: the dense size limit of sampled Jacobians does not apply.
    @Test("large blocks: beyond the dense limit")
    func largeBlocks() throws {
        let json =
            #"{"kind":"jacobians","players":[{"name":"x","dim":4000},{"name":"y","#
            + #""dim":3000}],"constants":[{"curvature":{"x":1,"y":1},"own_size":{"x":5,"y":5},"#
            + #""coupling":{"x":{"y":0.5},"y":{"x":0.5}}}]}"#
        let c = try Certifier().certify(try game(json))
        #expect(c.status == .certified)
        expectClose(c.contractionRate, 0.5, 1e-12)
        expectClose(c.lipschitz, 5.5, 1e-12)
    }

    @Test("bad constants are bad input naming the JSON path")
    func badInput() throws {
        let p = Self.two
        let cases: [(String, InputError)] = [
            (
                #"{"kind":"jacobians",\#(p),"jacobians":[[[1,0],[0,1]]],"constants":[]}"#,
                InputError(
                    path: "constants",
                    message:
                        "\"constants\" cannot be combined with \"jacobians\" or \"enclosure\": give the "
                        + "Jacobians or their block constants, not both"
                )
            ),
            (
                #"{"kind":"jacobians",\#(p),"constants":[]}"#,
                InputError(path: "constants", message: "expected at least one point's block constants, got none")
            ),
            (
                #"{"kind":"jacobians",\#(p),"constants":[{"curvature":{"x":1},"own_size":{"x":1,"y":1}}]}"#,
                InputError(path: "constants[0].curvature", message: "missing the value of player \"y\"")
            ),
            (
                #"{"kind":"jacobians",\#(p),"constants":[{"curvature":{"x":1,"z":1},"own_size":{"x":1,"y":1}}]}"#,
                InputError(path: "constants[0].curvature.z", message: "unknown player \"z\" (players: \"x\", \"y\")")
            ),
            (
                #"{"kind":"jacobians",\#(p),"constants":[{"curvature":{"x":1,"y":1},"own_size":{"x":-1,"y":1}}]}"#,
                InputError(path: "constants[0].own_size.x", message: "expected a norm (>= 0), got -1.0")
            ),
            (
                #"{"kind":"jacobians",\#(p),"constants":[{"curvature":{"x":2,"y":1},"own_size":{"x":1,"y":1}}]}"#,
                InputError(
                    path: "constants[0]",
                    message:
                        "player \"x\": |curvature| = 2.0 exceeds own_size = 1.0, impossible since "
                        + "|lambda_min(sym J_ii)| <= ||J_ii||"
                )
            ),
            (
                #"{"kind":"jacobians",\#(p),"constants":[{"curvature":{"x":1,"y":1},"#
                    + #""own_size":{"x":1,"y":1},"coupling":{"x":{"x":1}}}]}"#,
                InputError(
                    path: "constants[0].coupling.x.x", message: "a player's own block is own_size, not a coupling")
            ),
            (
                #"{"kind":"jacobians",\#(p),"constants":[{"curvature":{"x":1,"y":1},"#
                    + #""own_size":{"x":1,"y":1},"coupling":{"x":{"y":-1}}}]}"#,
                InputError(path: "constants[0].coupling.x.y", message: "expected a norm (>= 0), got -1.0")
            ),
            (
                #"{"kind":"jacobians",\#(p),"constants":[{"curvature":{"x":1,"y":1},"#
                    + #""own_size":{"x":1,"y":1},"hessian":1}]}"#,
                InputError(
                    path: "constants[0].hessian",
                    message: "unknown key \"hessian\" (allowed here: curvature, own_size, coupling)")
            ),
            (
                #"{"kind":"jacobians",\#(p),"constants":[{"curvature":{"x":1,"y":1},"own_size":{"x":1,"y":1e200}}]}"#,
                InputError(
                    path: "constants[0].own_size.y",
                    message: "number 1e+200 is too large (magnitudes up to 1e+100 are accepted)")
            ),
        ]
        for (json, error) in cases {
            #expect(throws: error) { try game(json) }
        }
    }
}
