import Foundation
import SGN
import Testing

/// A game class defined outside the library, with the public API only: two scalar players whose
/// pseudo-gradient is `F(x) = J x` for a fixed J. It implements `Game` and nothing else — no
/// dynamics, no proof, no further equilibria — which shows that a new game class is one file:
/// the shared pipeline, `--rigorous` (through `exactJacobian`) and the full-metric rung need no
/// edit elsewhere.
struct LinearTestGame: Game {
    let jacobian: BlockMatrix

    init(_ j: [[Double]]) {
        let block = { (r: Int, c: Int) in Matrix(rowMajor: [[j[r][c]]]) }
        jacobian = BlockMatrix(
            diagonal: [block(0, 0), block(1, 1)], offDiagonal: [[(1, block(0, 1))], [(0, block(1, 0))]])
    }

    var name: String { "linear-test" }
    var kind: String { "linear-test" }
    var playerNames: [String] { ["p", "q"] }
    var dims: [Int] { [1, 1] }
    var geometry: String? { nil }
    var region: RegionReport { .global }
    func jacobians() throws -> JacobianSet { JacobianSet(jacobians: [jacobian], estimation: .exact) }
    func exactJacobian() throws -> BlockMatrix? { jacobian }
    func equilibrium(certifiedStep step: Double?) -> Equilibrium? { Equilibrium(point: [[0], [0]], residual: 0) }
    func basinRadius(weights: [Double]) -> Double? { nil }
}

@Suite("A game class is one file: a minimal Game defined in the tests")
struct MinimalGameTests {
    /// J = [[2, 1], [−1, 1]]: sym J = diag(2, 1), so the euclidean margin is exactly 1, and no
    /// block metric does better (its off-diagonal entry (√(w_p/w_q) − √(w_q/w_p))/2 only lowers
    /// λmin). β = ‖J‖₂ = √((7 + √13)/2) (JᵀJ = [[5, 1], [1, 2]]). Block constants μ = (2, 1),
    /// L_pq = L_qp = 1, so ρ(G) = √(1·1/(2·1)) = √½, and the SGN margin at the optimal weights
    /// is λmin([[2, −1], [−1, 1]]) = (3 − √5)/2.
    @Test func certifiesThroughTheSharedPipeline() throws {
        let c = try Certifier().certify(LinearTestGame([[2, 1], [-1, 1]]))
        #expect(c.status == .certified)
        #expect(c.certifiedBy == .euclidean)
        #expect(c.kind == "linear-test")
        expectClose(c.contractionRate, 1, 1e-12)
        expectClose(c.lipschitz, ((7 + 13.0.squareRoot()) / 2).squareRoot(), 1e-12)
        expectClose(c.gainSpectralRadius, 0.5.squareRoot(), 1e-12)
        expectClose(c.margins[.sgn], (3 - 5.0.squareRoot()) / 2, 1e-9)
        #expect(c.constants.curvature == [2, 1])
        #expect(c.steps != nil)
        #expect(c.rigor == nil)
    }

    /// `--rigorous` reads the class's `exactJacobian`: the margin 1 is proven (a lower bound just
    /// below it), and a Jacobian with det J = 1 − 4 < 0 is refuted in exact arithmetic.
    @Test func rigorousModeUsesTheExactJacobian() throws {
        let proven = try Certifier(rigorous: true).certify(LinearTestGame([[2, 1], [-1, 1]]))
        let report = try #require(proven.rigor)
        #expect(report.verdict == .certified)
        #expect(proven.status == .certified)
        let margin = try #require(report.provenMargin)
        #expect(margin > 1 - 1e-9 && margin <= 1)

        let refuted = try Certifier(rigorous: true).certify(LinearTestGame([[1, 2], [2, 1]]))
        #expect(refuted.status == .notCertified)
        #expect(refuted.rigor?.verdict == .refuted)
        #expect(refuted.rigor?.checks.contains { $0.name == "determinant" && $0.passed } == true)
    }

    /// J = [[0, ½], [−½, 0.3]] (a linearised Dirac GAN): every block-diagonal margin is 0 (the first
    /// own block is 0), min Re λ(J) = 0.15, and the full metric certifies from the exact set.
    @Test func fullMetricRung() throws {
        let c = try Certifier(rigorous: true).certify(LinearTestGame([[0, 0.5], [-0.5, 0.3]]))
        expectClose(c.spectralLimit, 0.15, 1e-12)
        #expect(c.certifiedBy == .lyapunov)
        #expect(c.rigor?.verdict == .certified)
        let rate = try #require(c.contractionRate)
        #expect(rate > 0.99 * 0.15 && rate <= 0.15)
    }

    /// No `GameDynamics`: simulate and the trajectory and steps charts say so cleanly, the band
    /// chart (constants only) is drawn, and the game has one equilibrium.
    @Test func noDynamics() throws {
        let g = LinearTestGame([[2, 1], [-1, 1]])
        let c = try Certifier().certify(g)
        do {
            _ = try Simulator(game: g, certificate: c)
            Issue.record("a game without dynamics was simulated")
        } catch {
            #expect(error.message.contains("has no dynamics to simulate"))
        }
        let plotter = Plotter(game: g, certificate: c)
        #expect(try plotter.chart(.trajectory).reason == "this game kind (linear-test) has no dynamics to simulate")
        #expect(try plotter.chart(.steps).svg == nil)
        #expect(try plotter.chart(.band).svg != nil)
        #expect(g.gamesPerEquilibrium().count == 1)
    }
}
