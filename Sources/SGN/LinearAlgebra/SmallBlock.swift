/// Spectral quantities of the small per-player blocks, with closed forms for 1×1 and 2×2
/// blocks (the common case in large network games, where a LAPACK call per block would cost
/// more than the arithmetic) and LAPACK otherwise.
public enum SmallBlock {
    /// `λmin(sym(A))` of a square block.
    public static func lambdaMinSymmetric(_ a: Matrix) throws -> Double {
        if a.rows == 1 { return a.values[0] }
        if a.rows == 2 {
            let p = a.values[0], r = a.values[3], q = 0.5 * (a.values[1] + a.values[2])
            let half = 0.5 * (p - r)
            return 0.5 * (p + r) - (half * half + q * q).squareRoot()
        }
        return try LAPACK.symmetricEigenvalues(a.symmetricPart).first ?? 0
    }

    /// `‖A‖₂` of a block of any shape.
    public static func norm(_ a: Matrix) throws -> Double {
        if a.values.count == 1 { return abs(a.values[0]) }
        if a.rows == 2 && a.cols == 2 {
            let v = a.values
            let s = v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + v[3] * v[3]
            let det = v[0] * v[3] - v[1] * v[2]
            let disc = max(0, (s - 2 * det) * (s + 2 * det))
            return (0.5 * (s + disc.squareRoot())).squareRoot()
        }
        if a.rows == 1 || a.cols == 1 { return a.frobeniusNorm }
        return try LAPACK.spectralNorm(a)
    }
}
