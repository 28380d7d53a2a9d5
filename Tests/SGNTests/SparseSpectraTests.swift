import Testing

@testable import SGN

/// The iterative (Krylov + Collatz–Wielandt) path against dense LAPACK on mid-size games.
@Suite("Sparse spectra")
struct SparseSpectraTests {
    static let game = GameGenerators.network(players: 60, dim: 2, degree: 4, coupling: 0.6, seed: 7)

    /// Compressed rows multiply like the dense matrix they stand for, and transpose correctly.
    @Test func compressedRowsProducts() {
        let rows = CollatzWielandt.Rows(diagonal: [1, 2, 3], off: [[(1, -1)], [(0, 2), (2, 5)], []])
        #expect(rows.times([1, 1, 1]) == [0, 9, 3])
        #expect(rows.transposed().times([1, 1, 1]) == [3, 1, 8])
    }

    /// Lanczos finds λmin of a symmetric matrix to its tolerance.
    @Test func lanczosMatchesDense() throws {
        let j = Self.game.jacobian
        let dense = try LAPACK.symmetricEigenvalues(j.dense().symmetricPart)[0]
        let pair = try SparseSpectra.smallestSymmetricEigenvalueEstimate(j, maxProducts: 5000)
        expectClose(pair.value, dense, 1e-7)
    }

    /// Iterative margins are lower bounds on the dense (exact) ones, iterative Lipschitz
    /// constants upper bounds; both within a modest factor.
    @Test func roundingDirection() throws {
        let j = Self.game.jacobian
        for w in [[Double](repeating: 1, count: 60), (0..<60).map { 0.5 + Double($0 % 7) / 7 }] {
            let a = j.weighted(by: w)
            let exactMargin = try LAPACK.symmetricEigenvalues(a.dense().symmetricPart)[0]
            let exactNorm = try LAPACK.spectralNorm(a.dense())
            let margin = try SparseSpectra.smallestSymmetricEigenvalue(a)
            let norm = try SparseSpectra.spectralNormUpperBound(a)
            #expect(margin <= exactMargin)
            #expect(margin > 0.5 * exactMargin)
            #expect(norm >= exactNorm)
            #expect(norm < 1.5 * exactNorm)
        }
    }

    /// The sparse SGN rung (Arnoldi Perron vectors, Collatz–Wielandt margin) agrees with the
    /// dense one and never exceeds it; the gain spectral radius bound is above the exact one.
    @Test func comparisonMatrixAgreesWithDense() throws {
        let gamma = ComparisonMatrix(try BlockConstants(Self.game.jacobian))
        let dense = try OptimalWeights.compute(gamma)
        let components = gamma.stronglyConnectedComponents()
        let sparse = try OptimalWeights.computeSparse(gamma, components: components)
        #expect(sparse.margin <= dense.margin + 1e-12)
        expectClose(sparse.margin, dense.margin, 1e-5)
        expectClose(sparse.bound, dense.bound, 1e-7)
        let denseMarginAtSparse = try LAPACK.symmetricEigenvalues(gamma.symmetrized(weights: sparse.weights))[0]
        #expect(sparse.margin <= denseMarginAtSparse)
        let rho = try #require(try gamma.gainSpectralRadius())
        let rhoSparse = try gamma.sparseGainSpectralRadius()
        #expect(rhoSparse >= rho)
        expectClose(rhoSparse, rho, 1e-6)
    }

    /// GMRES solves the equilibrium system to the dense solution.
    @Test func gmresMatchesDense() throws {
        let j = Self.game.jacobian
        let b = Self.game.linearTerm.map { -$0 }
        let dense = try #require(LAPACK.solve(j.dense(), b))
        let x = try #require(EquilibriumSolver.krylovSolve(j, rhs: b))
        let err = zip(x, dense).map { abs($0 - $1) }.max()!
        #expect(err < 1e-9)
    }

    /// Closed forms for 2×2 blocks agree with LAPACK.
    @Test func smallBlockClosedForms() throws {
        let m = Matrix(rowMajor: [[1.5, -0.3], [0.7, 0.9]])
        expectClose(try SmallBlock.norm(m), try LAPACK.spectralNorm(m), 1e-14)
        expectClose(try SmallBlock.lambdaMinSymmetric(m), try LAPACK.symmetricEigenvalues(m.symmetricPart)[0], 1e-14)
    }
}

@Suite("Krylov basics")
struct KrylovBasicsTests {
    /// Lanczos and Arnoldi recover the extreme eigenvalue of a small diagonal-plus-path matrix.
    @Test func extremeEigenvalues() throws {
        let n = 50
        let rows = CollatzWielandt.Rows(
            diagonal: (0..<n).map { 1 + Double($0) / 10 },
            off: (0..<n).map { i in [(i + 1) % n, (i + n - 1) % n].map { ($0, -0.2) } })
        var dense = Matrix(rows: n, cols: n)
        for i in 0..<n {
            dense[i, i] = rows.diagonal[i]
            dense[i, (i + 1) % n] = -0.2
            dense[i, (i + n - 1) % n] = -0.2
        }
        let exact = try LAPACK.symmetricEigenvalues(dense)[0]
        let l = try Krylov.lanczos(n: n, basis: 10) { rows.times($0) }
        expectClose(l.value, exact, 1e-8)
        let a = try Krylov.arnoldi(n: n, smallestReal: true, basis: 10) { rows.times($0) }
        expectClose(a.value, exact, 1e-8)
        #expect(CollatzWielandt.lowerBound(rows, l) <= exact)
        expectClose(CollatzWielandt.lowerBound(rows, l), exact, 1e-4)
    }
}
