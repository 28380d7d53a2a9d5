import Testing

@testable import SGN

/// Direct tests of the primitives behind `--rigorous`: a positive answer must be a proof, so
/// every test pins a matrix whose exact answer is known and checks the primitive never claims
/// more, and claims it when the margin is comfortably above the rounding allowance.
@Suite("Rigorous arithmetic")
struct RigorousArithmeticTests {
    static func sym(_ rows: [[Double]]) -> Matrix {
        Matrix(rows: rows.count, cols: rows.count, values: (0..<rows.count).flatMap { c in rows.map { $0[c] } })
    }

    /// γ_k bounds k·u/(1 − k·u) from above and grows with k.
    @Test func gammaIsAnUpperBound() {
        for k in [1, 2, 10, 1000, 1_000_000] {
            let ku = Double(k) * RigorousArithmetic.u
            #expect(RigorousArithmetic.gamma(k) >= ku / (1 - ku))
            #expect(RigorousArithmetic.gamma(k) <= 1.001 * ku / (1 - ku))
        }
        #expect(RigorousArithmetic.gamma(3) > RigorousArithmetic.gamma(2))
    }

    /// `[[a, b], [b, a]]` has eigenvalues a ± b exactly: shifts just below λmin are proven,
    /// shifts at or above it never are.
    @Test func positiveDefiniteAroundTheExactEigenvalue() {
        let a = Self.sym([[1, 0.5], [0.5, 1]])  // eigenvalues 0.5 and 1.5
        #expect(RigorousArithmetic.provesPositiveDefinite(a, error: 0))
        #expect(RigorousArithmetic.provesPositiveDefinite(a, error: 0, shift: 0.5 - 1e-12))
        #expect(!RigorousArithmetic.provesPositiveDefinite(a, error: 0, shift: 0.5))
        #expect(!RigorousArithmetic.provesPositiveDefinite(a, error: 0, shift: 0.5 + 1e-15))
        // The error bound is absorbed: ‖A − a‖₂ ≤ 0.3 leaves λmin(A) ≥ 0.2 only.
        #expect(RigorousArithmetic.provesPositiveDefinite(a, error: 0.3, shift: 0.19))
        #expect(!RigorousArithmetic.provesPositiveDefinite(a, error: 0.3, shift: 0.2))
    }

    /// Exactly singular and indefinite matrices are never proven definite, nor are matrices
    /// with non-finite entries or arguments.
    @Test func singularIndefiniteAndNonFiniteAreRefused() {
        #expect(!RigorousArithmetic.provesPositiveDefinite(Self.sym([[1, 1], [1, 1]]), error: 0))
        #expect(!RigorousArithmetic.provesPositiveDefinite(Self.sym([[1, 2], [2, 1]]), error: 0))
        #expect(!RigorousArithmetic.provesPositiveDefinite(Self.sym([[0]]), error: 0))
        #expect(!RigorousArithmetic.provesPositiveDefinite(Self.sym([[.nan, 0], [0, 1]]), error: 0))
        #expect(!RigorousArithmetic.provesPositiveDefinite(Self.sym([[1]]), error: .infinity))
        #expect(!RigorousArithmetic.provesPositiveDefinite(Self.sym([[1]]), error: 0, shift: .nan))
        // λmin = 1e-20 is far below the rounding allowance of a matrix of scale 1: not claimed.
        #expect(!RigorousArithmetic.provesPositiveDefinite(Self.sym([[1, 0], [0, 1e-20]]), error: 0))
    }

    /// The Hilbert matrix of order 6 is positive definite with λmin ≈ 1.08e-7: proven at zero
    /// shift, refused at a shift above λmin (the order-6 Hilbert λmin is 1.0827994845e-7).
    @Test func hilbertMatrix() {
        let n = 6
        let h = Self.sym((0..<n).map { i in (0..<n).map { j in 1 / Double(i + j + 1) } })
        // Entries 1/(i+j+1) are rounded: ‖H − fl(H)‖₂ ≤ ‖·‖_F ≤ n·u.
        let err = Double(n) * RigorousArithmetic.u
        #expect(RigorousArithmetic.provesPositiveDefinite(h, error: err, shift: 1.0e-7))
        #expect(!RigorousArithmetic.provesPositiveDefinite(h, error: err, shift: 1.09e-7))
    }

    /// A lower curvature bound is never above the exact λmin(sym H), even from an estimate that
    /// is too high, and is tight (to 1e-12) from a correct estimate.
    @Test func curvatureBoundNeverAboveTruth() {
        // sym H = [[1, 0.5], [0.5, 1]] for H = [[1, 1], [0, 1]]: λmin = 0.5 exactly.
        let h = Matrix(rows: 2, cols: 2, values: [1, 0, 1, 1])
        for estimate in [0.5, 0.5 + 1e-9, 0.5 + 1e-4, 0.49] {
            let bound = RigorousArithmetic.curvatureLowerBound(h, estimate: estimate)
            #expect(bound.value <= 0.5, "estimate \(estimate) gave \(bound.value)")
        }
        let tight = RigorousArithmetic.curvatureLowerBound(h, estimate: 0.5)
        #expect(tight.tight)
        #expect(tight.value >= 0.5 - 1e-12)
        // An estimate far too high falls back to −‖sym H‖_F, still a bound.
        let crude = RigorousArithmetic.curvatureLowerBound(h, estimate: 10)
        #expect(!crude.tight)
        #expect(crude.value <= -1.58)
    }

    /// An upper coupling bound is never below the exact ‖C‖₂, even from an estimate that is
    /// too low, and is tight from a correct estimate.
    @Test func couplingBoundNeverBelowTruth() {
        let c = Matrix(rows: 2, cols: 2, values: [3, 0, 0, 4])  // ‖C‖₂ = 4
        for estimate in [4, 4 - 1e-9, 3.9, 1] {
            let bound = RigorousArithmetic.couplingUpperBound(c, estimate: Double(estimate))
            #expect(bound.value >= 4, "estimate \(estimate) gave \(bound.value)")
        }
        let tight = RigorousArithmetic.couplingUpperBound(c, estimate: 4)
        #expect(tight.tight)
        #expect(tight.value <= 4 * (1 + 1e-12))
        // A 2×3 block: ‖[[1, 2, 2], [0, 0, 0]]‖₂ = 3 (a rank-one row of norm 3).
        let r = Matrix(rows: 2, cols: 3, values: [1, 0, 2, 0, 2, 0])
        let rb = RigorousArithmetic.couplingUpperBound(r, estimate: 3)
        #expect(rb.value >= 3 && rb.value <= 3 * (1 + 1e-12))
    }

    /// Exact determinant signs where floating point cannot tell: det of a matrix one ulp from
    /// singular, an exactly singular matrix, a permutation needing a pivot, and a symmetrised
    /// skew matrix (exactly zero).
    @Test func exactDeterminantSigns() {
        let eps = 0x1p-52
        // det [[1, 1 + ε], [1, 1]] = −ε.
        #expect(RigorousArithmetic.exactDeterminantSign(Matrix(rows: 2, cols: 2, values: [1, 1, 1 + eps, 1])) == -1)
        // det [[1 + ε, 1], [1, 1 − ε/2]] = ε/2 − ε²/2 > 0.
        #expect(
            RigorousArithmetic.exactDeterminantSign(Matrix(rows: 2, cols: 2, values: [1 + eps, 1, 1, 1 - eps / 2])) == 1
        )
        #expect(RigorousArithmetic.exactDeterminantSign(Matrix(rows: 2, cols: 2, values: [1, 2, 2, 4])) == 0)
        let permutation = Matrix(rows: 3, cols: 3, values: [0, 1, 0, 1, 0, 0, 0, 0, 1])
        #expect(RigorousArithmetic.exactDeterminantSign(permutation) == -1)
        let skew = Matrix(rows: 2, cols: 2, values: [0, -1, 1, 0])
        #expect(RigorousArithmetic.exactDeterminantSign(skew) == 1)
        #expect(RigorousArithmetic.exactDeterminantSign(skew, symmetrized: true) == 0)
        // Tiny and huge scales in one matrix: det [[1e-300, 0], [0, 1e300]] = 1 > 0.
        #expect(RigorousArithmetic.exactDeterminantSign(Matrix(rows: 2, cols: 2, values: [1e-300, 0, 0, 1e300])) == 1)
        #expect(RigorousArithmetic.exactDeterminantSign(Matrix(rows: 1, cols: 1, values: [.nan])) == nil)
    }
}
