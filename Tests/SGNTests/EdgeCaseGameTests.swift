import Foundation
import Testing

@testable import SGN

/// Edge-case games (issue 6): each with its expected verdict, certifying rung or reason, and the
/// `--rigorous` verdict.
@Suite("Edge-case games")
struct EdgeCaseGameTests {
    struct Outcome {
        var certificate: Certificate
        var rigorous: Certificate
        var rigor: RigorReport { rigorous.rigor! }
    }

    static func run(_ json: String) throws -> Outcome {
        let g = try game(json)
        return Outcome(certificate: try Certifier().certify(g), rigorous: try Certifier(rigorous: true).certify(g))
    }

    static func players(_ list: String...) -> String {
        "{\"kind\": \"quadratic\", \"players\": [\(list.joined(separator: ", "))]}"
    }

    /// Independent players: every rung gives min μ; the simplest (Euclidean) certifies.
    @Test func zeroCoupling() throws {
        let o = try Self.run(
            Self.players(
                #"{"name": "a", "dim": 1, "hessian": 1}"#, #"{"name": "b", "dim": 2, "hessian": 3}"#,
                #"{"name": "c", "dim": 1, "hessian": 2}"#))
        #expect(o.certificate.status == .certified)
        #expect(o.certificate.certifiedBy == .euclidean)
        #expect(o.certificate.contractionRate == 1)
        #expect(o.certificate.gainSpectralRadius == 0)
        #expect(o.rigor.verdict == .certified)
    }

    /// A one-way chain a ← b ← c with strong couplings: Γ is reducible, the optimum (min μ = 1) is a
    /// supremum; extreme but finite weights come close, and the proof holds at the printed weights.
    /// (Also the shape of the fuzzer's first crash: the weight search ran off to infinite weights.)
    @Test func oneWayChain() throws {
        let o = try Self.run(
            Self.players(
                #"{"name": "a", "dim": 1, "hessian": 1, "coupling": {"b": 5}}"#,
                #"{"name": "b", "dim": 1, "hessian": 1, "coupling": {"c": 5}}"#,
                #"{"name": "c", "dim": 1, "hessian": 1}"#))
        #expect(o.certificate.status == .certified)
        #expect(!o.certificate.irreducible)
        #expect(try #require(o.certificate.contractionRate) > 0.999)
        #expect(o.certificate.weights.allSatisfy { $0 > 0 && $0.isFinite })
        #expect(o.rigor.verdict == .certified)
    }

    /// Two separate coupled pairs (a reducible graph with two components): certified.
    @Test func disconnectedGroups() throws {
        let o = try Self.run(
            Self.players(
                #"{"name": "a", "dim": 1, "hessian": 1, "coupling": {"b": 10}}"#,
                #"{"name": "b", "dim": 1, "hessian": 1, "coupling": {"a": 0.05}}"#,
                #"{"name": "c", "dim": 1, "hessian": 2, "coupling": {"d": 1}}"#,
                #"{"name": "d", "dim": 1, "hessian": 2, "coupling": {"c": 1}}"#))
        #expect(o.certificate.status == .certified)
        #expect(!o.certificate.irreducible)
        expectClose(o.certificate.margins[.sgn], 1 - 0.5.squareRoot(), 1e-6)
        #expect(o.rigor.verdict == .certified)
    }

    /// One player: positive definite own block certifies; an indefinite one is refuted by its own block.
    @Test func singlePlayer() throws {
        let good = try Self.run(Self.players(#"{"name": "p", "hessian": [[2, 1, 0], [-1, 2, 0], [0, 0, 0.5]]}"#))
        #expect(good.certificate.status == .certified)
        expectClose(good.certificate.contractionRate, 0.5)
        #expect(good.rigor.verdict == .certified)
        let bad = try Self.run(Self.players(#"{"name": "p", "hessian": [[1, 0], [0, -1]]}"#))
        #expect(bad.certificate.status == .notCertified)
        #expect(bad.certificate.reason?.contains("no curvature for p") == true)
        #expect(bad.rigor.verdict == .refuted)
    }

    /// Players of dimension 1 and 200 in one game, coupled by a row and a column vector.
    @Test func dimensionsOneAndTwoHundred() throws {
        let row = "[[" + (0..<200).map { $0 % 2 == 0 ? "0.05" : "-0.05" }.joined(separator: ",") + "]]"
        let col = "[" + (0..<200).map { _ in "[0.05]" }.joined(separator: ",") + "]"
        let o = try Self.run(
            Self.players(
                #"{"name": "s", "dim": 1, "hessian": 1, "coupling": {"v": \#(row)}}"#,
                #"{"name": "v", "dim": 200, "hessian": 2, "coupling": {"s": \#(col)}}"#))
        #expect(o.certificate.status == .certified)
        #expect(o.certificate.dims == [1, 200])
        expectClose(o.certificate.constants.coupling(0, 1), (200 * 0.0025).squareRoot(), 1e-12)
        #expect(o.rigor.verdict == .certified)
    }

    /// ρ(G) = 1 − 1e-9 certifies (margin 1e-9, well above the tolerance 1e-10·β);
    /// ρ(G) = 1 + 1e-9 does not, and det J < 0 refutes it exactly.
    @Test func gainRadiusAroundOne() throws {
        let below = 1 - 1e-9
        let above = 1 + 1e-9
        let inside = try Self.run(
            Self.players(
                #"{"name": "x", "dim": 1, "hessian": 1, "coupling": {"y": \#(below)}}"#,
                #"{"name": "y", "dim": 1, "hessian": 1, "coupling": {"x": \#(below)}}"#))
        expectClose(inside.certificate.gainSpectralRadius, below, 1e-15)
        #expect(inside.certificate.status == .certified)
        expectClose(inside.certificate.contractionRate, 1e-9, 1e-6)
        #expect(inside.rigor.verdict == .certified)
        let outside = try Self.run(
            Self.players(
                #"{"name": "x", "dim": 1, "hessian": 1, "coupling": {"y": \#(above)}}"#,
                #"{"name": "y", "dim": 1, "hessian": 1, "coupling": {"x": \#(above)}}"#))
        #expect(outside.certificate.status == .notCertified)
        #expect(outside.certificate.reason?.contains("rho(G) = 1.000000001 >= 1") == true)
        #expect(outside.rigor.verdict == .refuted)
        #expect(outside.rigor.reason?.contains("det J < 0") == true)
    }

    /// A margin of 1e-14 (β ≈ 2): below the tolerance, not certified; rigorous mode cannot
    /// refute a stable game either: undecided.
    @Test func marginOfOneEMinusFourteen() throws {
        let l = 1 - 1e-14
        let o = try Self.run(
            Self.players(
                #"{"name": "x", "dim": 1, "hessian": 1, "coupling": {"y": \#(l)}}"#,
                #"{"name": "y", "dim": 1, "hessian": 1, "coupling": {"x": \#(l)}}"#))
        #expect(o.certificate.status == .notCertified)
        #expect(o.certificate.reason?.contains("within the numerical tolerance") == true)
        #expect(o.rigor.verdict == .undecided)
        #expect(o.rigorous.status == .notCertified)
    }

    /// Couplings 1e12 beside 1e-13: ρ(G) = √0.1; the weights (ratio 1e25) tame the big coupling.
    @Test func hugeBesideTinyCoupling() throws {
        let o = try Self.run(
            Self.players(
                #"{"name": "x", "dim": 1, "hessian": 1, "coupling": {"y": 1e12}}"#,
                #"{"name": "y", "dim": 1, "hessian": 1, "coupling": {"x": 1e-13}}"#))
        #expect(o.certificate.status == .certified)
        #expect(o.certificate.certifiedBy == .sgn)
        expectClose(o.certificate.contractionRate, 1 - 0.1.squareRoot(), 1e-9)
        expectClose(o.certificate.weights[1] / o.certificate.weights[0], 1e25, 1e-9)
        #expect(o.rigor.verdict == .certified)
    }

    /// Exactly singular own block: no block-diagonal metric works (the weighted optimum is proven
    /// ≤ 0), but J's eigenvalues (2.005, 0.99, 0.00504) all have positive real part, so the
    /// full-metric rung certifies, with a rate below min Re λ, and --rigorous proves it.
    @Test func singularOwnBlock() throws {
        let o = try Self.run(
            Self.players(
                #"{"name": "x", "hessian": [[1, 1], [1, 1]], "coupling": {"y": [[0.1], [0]]}}"#,
                #"{"name": "y", "dim": 1, "hessian": 1, "coupling": {"x": [[0, 0.1]]}}"#))
        #expect(o.certificate.weightedUpperBound! <= 1e-12)
        #expect(o.certificate.certifiedBy == .lyapunov)
        let limit = try #require(o.certificate.spectralLimit)
        #expect(limit > 0.005 && limit < 0.0051)
        #expect(o.certificate.contractionRate! >= 0.99 * limit * (1 - 1e-9) && o.certificate.contractionRate! <= limit)
        #expect(o.rigor.verdict == .certified)
    }

    /// The tandem game J = [[2, 2], [2, 2]]: every margin 0, never certified; exactly singular.
    @Test func tandem() throws {
        let o = try Self.run(
            Self.players(
                #"{"name": "x", "dim": 1, "hessian": 2, "coupling": {"y": 2}}"#,
                #"{"name": "y", "dim": 1, "hessian": 2, "coupling": {"x": 2}}"#))
        #expect(o.certificate.status == .notCertified)
        #expect(o.certificate.margins.values.allSatisfy { $0 <= 1e-15 })
        #expect(o.rigor.verdict == .refuted)
        #expect(o.rigor.reason?.contains("exactly singular") == true)
    }

    /// Skew-symmetric coupling: the sgn rung fails (ρ(G) = 10) but the Euclidean rung proves margin 1.
    @Test func skewSymmetricCoupling() throws {
        let o = try Self.run(
            Self.players(
                #"{"name": "x", "dim": 1, "hessian": 1, "coupling": {"y": 10}}"#,
                #"{"name": "y", "dim": 1, "hessian": 1, "coupling": {"x": -10}}"#))
        #expect(o.certificate.status == .certified)
        #expect(o.certificate.certifiedBy == .euclidean)
        #expect(try #require(o.certificate.margins[.sgn]) < 0)
        expectClose(o.certificate.contractionRate, 1)
        #expect(o.rigor.verdict == .certified)
        #expect(o.rigor.rung == .euclidean)
        // A three-player skew ring with blocks.
        let ring = try Self.run(
            Self.players(
                #"{"name": "a", "hessian": [[1, 0], [0, 1]], "coupling": {"b": [[0, 5], [-5, "#
                    + #"0]], "c": [[3, 0], [0, 3]]}}"#,
                #"{"name": "b", "hessian": [[1, 0], [0, 1]], "coupling": {"a": [[0, 5], [-5, 0]]}}"#,
                #"{"name": "c", "hessian": [[1, 0], [0, 1]], "coupling": {"a": [[-3, 0], [0, -3]]}}"#))
        #expect(ring.certificate.status == .certified)
        expectClose(ring.certificate.contractionRate, 1)
    }

    /// A box that pins a player completely (lower = upper): its coordinates cannot move, so its
    /// missing curvature and its couplings do not matter; the other player certifies the game.
    @Test func pinnedPlayer() throws {
        let o = try Self.run(
            Self.players(
                #"{"name": "x", "dim": 1, "hessian": 1, "coupling": {"y": 3}}"#,
                #"{"name": "y", "dim": 1, "hessian": 0, "coupling": {"x": -3}, "lower": 2, "upper": 2}"#))
        #expect(o.certificate.status == .certified)
        expectClose(o.certificate.contractionRate, 1)
        #expect(o.certificate.equilibrium?.point == [[-6], [2]])
        #expect(o.rigor.verdict == .certified)
        // Pinning one coordinate of a player removes that direction only.
        let partial = try Self.run(
            Self.players(#"{"name": "x", "hessian": [[1, 0], [0, -1]], "lower": [-1, 0], "upper": [1, 0]}"#))
        #expect(partial.certificate.status == .certified)
        expectClose(partial.certificate.contractionRate, 1)
        // Without the pin the same player is refuted.
        let free = try Self.run(
            Self.players(#"{"name": "x", "hessian": [[1, 0], [0, -1]], "lower": [-1, -1], "upper": [1, 1]}"#))
        #expect(free.certificate.status == .notCertified)
    }

    /// An unstable game with no simple obstruction (eigenvalues −0.1 ± 5i and 10: tr > 0, det > 0,
    /// every own block curved): not certified, and rigorous mode honestly says undecided.
    @Test func unstableWithoutObstruction() throws {
        // J = blockdiag([[−0.1, 5], [−5, −0.1]], 10) split so each player's own block is curved.
        let json = Self.players(
            #"{"name": "a", "dim": 1, "hessian": 0.1, "coupling": {"b": 5}}"#,
            #"{"name": "b", "dim": 1, "hessian": 0.1, "coupling": {"a": -5, "c": 1}}"#,
            #"{"name": "c", "dim": 1, "hessian": 10, "coupling": {"a": 30}}"#)
        let o = try Self.run(json)
        let j = try #require(try game(json) as? QuadraticGame).jacobian.dense()
        #expect(try LAPACK.eigen(j).real.contains { $0 <= 0 })
        #expect(o.certificate.status == .notCertified)
        #expect(o.rigor.verdict == .undecided)
    }
}
