import Testing

@testable import SGN

/// The reference values of docs/method.md §9, to 1e-6 or better.
@Suite("Reference values (docs/method.md §9)")
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

/// The scaled family `J(λ) = [[1, 10λ], [0.05λ, 1]]` of docs/method.md §9.
@Suite("Scaled family thresholds")
struct ScaledFamilyTests {
    func family(_ l: Double) -> QuadraticGame { scalarGame([[1, 10 * l], [0.05 * l, 1]]) }

    /// Euclidean monotone only for λ < 0.199 (λmin(sym J) = 1 − 5.025λ).
    @Test(arguments: [0.1, 0.19, 0.2, 0.5, 1.0])
    func euclideanThreshold(lambda: Double) throws {
        let c = try Certifier().certify(family(lambda))
        expectClose(c.margins[.euclidean], 1 - 5.025 * lambda)
        #expect((c.margins[.euclidean]! > 0) == (lambda < 1 / 5.025))
    }

    /// SGN certifies exactly for λ < 1/√0.5, where the true dynamics lose stability.
    @Test(arguments: [0.5, 1.2, 1.41, 1.4142, 1.4143, 1.5])
    func sgnThreshold(lambda: Double) throws {
        let c = try Certifier().certify(family(lambda))
        let edge = 1 / 0.5.squareRoot()
        #expect((c.status == .certified) == (lambda < edge))
        expectClose(c.margins[.sgn], 1 - lambda * 0.5.squareRoot())
        // The true eigenvalues are 1 ± λ√0.5: certified iff the smallest is positive.
        let e = try LAPACK.eigen(Matrix(rowMajor: [[1, 10 * lambda], [0.05 * lambda, 1]]))
        #expect((e.real.min()! > 0) == (c.status == .certified))
    }

    /// The certified steps stay below the true stability limits of the mini-toy: Euler
    /// 2/(1+√0.5) = 1.171573, RK4 ≈ 1.6316.
    @Test func stepsBelowTrueLimits() throws {
        let c = try Certifier().certify(family(1))
        let steps = try #require(c.steps)
        #expect(steps.euler.max < 2 / (1 + 0.5.squareRoot()))
        expectClose(2 / (1 + 0.5.squareRoot()), 1.171573, 1e-6)
        func rk4Radius(_ h: Double) -> Double {
            // Eigenvalues of J are real: 1 ± √0.5; RK4 multiplies each mode by P(−hλ).
            [1 + 0.5.squareRoot(), 1 - 0.5.squareRoot()].map { l in
                let z = -h * l
                return abs(1 + z + z * z / 2 + z * z * z / 6 + z * z * z * z / 24)
            }.max()!
        }
        #expect(rk4Radius(try #require(steps.rk4.max)) < 1)
        #expect(rk4Radius(1.63) < 1)
        #expect(rk4Radius(1.64) > 1)
    }
}
