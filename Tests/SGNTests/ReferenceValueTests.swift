import Testing
@testable import SGN

/// The reference values of SGN-METHOD §9, to 1e-6 or better.
@Suite("Reference values (SGN-METHOD §9)")
struct ReferenceValueTests {
    @Test func miniToy() throws {
        let c = try Certifier().certify(scalarGame([[1, 10], [0.05, 1]]))
        #expect(c.status == .certified)
        #expect(c.certifiedBy == .sgn)
        expectClose(c.margins[.euclidean], -4.025)
        expectClose(c.gainSpectralRadius, 0.5.squareRoot())
        expectClose(c.margins[.sgn], 1 - 0.5.squareRoot())
        expectClose(c.weights[1] / c.weights[0], 200, 1e-9)
        expectClose(c.lipschitz, 1 + 0.5.squareRoot())
        expectClose(c.steps?.euler.max, 0.201010, 1e-6)
        expectClose(c.steps?.rk4.guideline, 1.464466, 1e-6)
        expectClose(c.timescaleBand?.lower, 34.3146, 1e-6)
        expectClose(c.timescaleBand?.upper, 1165.685, 1e-6)
    }
}
