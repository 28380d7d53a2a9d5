/// LU factors (partial pivoting) of `I − γP_π` and of its transpose at one point, reused by
/// every directional derivative taken there.
public struct SystemFactors: Sendable {
    public let forward: LUFactors
    public let transposed: LUFactors

    init?(system m: [Double], size n: Int) {
        var mt = m
        for r in 0..<n { for c in 0..<n { mt[r * n + c] = m[c * n + r] } }
        guard let f = LUFactors(m, size: n), let t = LUFactors(mt, size: n) else { return nil }
        forward = f
        transposed = t
    }
}

/// `P A = L U` of a real square matrix (row-major), for repeated O(n²) solves.
public struct LUFactors: Sendable {
    let n: Int
    /// L below the diagonal (unit diagonal implied), U on and above it, row-major.
    var lu: [Double]
    /// Row `k` of the factored matrix is row `pivots[k]` of A.
    var pivots: [Int]

    /// Nil when A is singular.
    init?(_ a: [Double], size n: Int) {
        self.n = n
        lu = a
        pivots = Array(0..<n)
        for col in 0..<n {
            var p = col
            for r in (col + 1)..<n where abs(lu[r * n + col]) > abs(lu[p * n + col]) { p = r }
            guard lu[p * n + col] != 0 else { return nil }
            if p != col {
                for c in 0..<n { lu.swapAt(col * n + c, p * n + c) }
                pivots.swapAt(col, p)
            }
            let d = lu[col * n + col]
            for r in (col + 1)..<n {
                let f = lu[r * n + col] / d
                lu[r * n + col] = f
                if f == 0 { continue }
                for c in (col + 1)..<n { lu[r * n + c] -= f * lu[col * n + c] }
            }
        }
    }

    /// `A⁻¹ b`.
    func solve(_ b: [Double]) -> [Double] {
        var x = pivots.map { b[$0] }
        for r in 0..<n { for c in 0..<r { x[r] -= lu[r * n + c] * x[c] } }
        for r in stride(from: n - 1, through: 0, by: -1) {
            for c in (r + 1)..<n { x[r] -= lu[r * n + c] * x[c] }
            x[r] /= lu[r * n + r]
        }
        return x
    }
}

/// Gaussian elimination with partial pivoting over any `GradientScalar` (so derivatives flow
/// through the solve). Systems here are `I − γP` or its transpose, nonsingular for γ < 1.
enum LinearSolve {
    /// Solves `A X = B` for row-major `a` (size×size) and each right-hand side in `rhs`.
    static func solve<T: GradientScalar>(_ a: [T], size n: Int, rhs: [[T]]) -> [[T]] {
        var m = a
        var b = rhs
        for col in 0..<n {
            var pivot = col
            for r in (col + 1)..<n where abs(m[r * n + col].value) > abs(m[pivot * n + col].value) { pivot = r }
            if pivot != col {
                for c in 0..<n { m.swapAt(col * n + c, pivot * n + c) }
                for k in b.indices { b[k].swapAt(col, pivot) }
            }
            let p = m[col * n + col]
            for r in (col + 1)..<n {
                let factor = m[r * n + col] / p
                for c in col..<n { m[r * n + c] = m[r * n + c] - factor * m[col * n + c] }
                for k in b.indices { b[k][r] = b[k][r] - factor * b[k][col] }
            }
        }
        for k in b.indices {
            for r in stride(from: n - 1, through: 0, by: -1) {
                var s = b[k][r]
                for c in (r + 1)..<n { s = s - m[r * n + c] * b[k][c] }
                b[k][r] = s / m[r * n + r]
            }
        }
        return b
    }
}
