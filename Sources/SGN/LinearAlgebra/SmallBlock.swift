/// Spectral quantities of the small per-player blocks, with closed forms for 1×1 and 2×2
/// blocks (the common case in large network games, where a LAPACK call per block would cost
/// more than the arithmetic) and LAPACK otherwise.
public enum SmallBlock {
    /// `λmin(sym(A))` of a square block.
    public static func lambdaMinSymmetric(_ a: Matrix) throws -> Double {
        if a.rows == 1 { return a.values[0] }
        if a.rows == 2 {
            let p = a.values[0]
            let r = a.values[3]
            let q = 0.5 * (a.values[1] + a.values[2])
            let half = 0.5 * (p - r)
            return 0.5 * (p + r) - (half * half + q * q).squareRoot()
        }
        return try LAPACK.symmetricEigenvalues(a.symmetricPart).first ?? 0
    }

    /// Whether the symmetric matrix `a` (lower triangle read) is positive definite, by an
    /// unblocked Cholesky factorisation in place (`a` is overwritten). For the small orders of
    /// repeated feasibility tests (at most `Limits.smallCholeskyOrder`), where a LAPACK call costs
    /// more than its n³/6 multiplications. The column-by-column order of LAPACK's unblocked
    /// `dpotf2`: a pivot is its diagonal entry minus the inner product of its row with itself, the
    /// column below it the entries minus the products with the earlier columns, times the pivot's
    /// reciprocal. A pivot that is not positive (or NaN) fails the test.
    public static func isPositiveDefinite(_ a: inout Matrix) -> Bool {
        precondition(a.isSquare)
        let n = a.rows
        for j in 0..<n {
            var dot = 0.0
            for k in 0..<j { dot += a.values[k * n + j] * a.values[k * n + j] }
            let d = a.values[j * n + j] - dot
            guard d > 0 else { return false }
            let pivot = d.squareRoot()
            a.values[j * n + j] = pivot
            let r = 1 / pivot
            for i in (j + 1)..<n {
                var x = a.values[j * n + i]
                for k in 0..<j { x -= a.values[k * n + j] * a.values[k * n + i] }
                a.values[j * n + i] = x * r
            }
        }
        return true
    }

    /// `‖A‖₂` of the 2×2 matrix with column-major entries a, b, c, d.
    @inline(__always) public static func norm2x2(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> Double {
        let s = a * a + b * b + c * c + d * d
        let det = a * d - b * c
        let disc = max(0, (s - 2 * det) * (s + 2 * det))
        return (0.5 * (s + disc.squareRoot())).squareRoot()
    }

    /// `‖(s·A + t·Bᵀ)‖₂` for blocks A (r×c) and B (c×r); either may be absent. (1×1 and 2×2 sums
    /// reach `norm`'s closed forms; the sparse comparison matrix has its own allocation-free
    /// path for those and calls this only for larger blocks.)
    public static func normOfSum(_ a: Matrix?, _ s: Double, _ b: Matrix?, _ t: Double) throws -> Double {
        var m: Matrix
        switch (a, b) {
        case let (a?, b?): m = s * a + t * b.transposed
        case let (a?, nil): m = s * a
        case let (nil, b?): m = t * b.transposed
        default: return 0
        }
        return try norm(m)
    }

    /// `‖A‖₂` of a block of any shape.
    public static func norm(_ a: Matrix) throws -> Double {
        if a.values.count == 1 { return abs(a.values[0]) }
        if a.rows == 2 && a.cols == 2 {
            let v = a.values
            return norm2x2(v[0], v[1], v[2], v[3])
        }
        if a.rows == 1 || a.cols == 1 { return a.frobeniusNorm }
        return try LAPACK.spectralNorm(a)
    }
}
