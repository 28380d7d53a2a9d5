import Foundation

/// Restarted Arnoldi: the extreme real eigenpair of a nonsymmetric operator (see `Krylov`).
extension Krylov {
    /// The eigenpair of a nonsymmetric operator with the smallest (or largest) real eigenvalue,
    /// by restarted Arnoldi. Meant for Z-matrices and nonnegative matrices, whose extreme real
    /// eigenvalue (the Perron root) is real with a positive eigenvector when irreducible; the
    /// vector returned is real. The residual is `‖A v − θ v‖₂`.
    public static func arnoldi(
        n: Int, smallestReal: Bool, start: [Double]? = nil, basis: Int = Limits.krylovBasis,
        tolerance: Double = Tolerance.iterativeRelative, maxProducts: Int = Limits.arnoldiProducts,
        apply: ([Double]) -> [Double]
    ) throws -> Eigenpair {
        precondition(n >= 1)
        var v = normalised(start ?? [Double](repeating: 1, count: n))
        var products = 0
        var best = Eigenpair(value: 0, vector: v, residual: .infinity, products: 0)
        let m = min(basis, n)
        while true {
            var vs: [[Double]] = [v]
            var h = Matrix(rows: m + 1, cols: m)
            var size = 0
            var exhausted = false
            for k in 0..<m {
                var w = apply(vs[k])
                products += 1
                let c = orthogonalise(&w, against: vs)
                for j in c.indices { h[j, k] = c[j] }
                let b = norm(w)
                h[k + 1, k] = b
                size = k + 1
                if b <= Tolerance.krylovBreakdownRelative * max(h.maxAbs, Tolerance.scaleFloor) {
                    exhausted = true
                    break
                }
                if k == m - 1 || products >= maxProducts { break }
                // As in `lanczos`: stop the cycle once the Ritz estimate h_{k+1,k}·|y_k| is converged.
                if (k + 1) % 4 == 0 {
                    let ritz = try hessenbergRitz(h, size: size, smallestReal: smallestReal)
                    if abs(b * ritz.vector[k]) <= 0.5 * tolerance * ritz.scale { break }
                }
                vs.append(w.map { $0 / b })
            }
            let (theta, y, scale) = try hessenbergRitz(h, size: size, smallestReal: smallestReal)
            // A Perron vector has one sign: the sum is made positive.
            let (ritz, res) = ritzPair(vs, y, theta, positive: true, apply: apply)
            products += 1
            if res < best.residual { best = Eigenpair(value: theta, vector: ritz, residual: res, products: products) }
            best.products = products
            if res <= tolerance * scale || exhausted || products >= maxProducts {
                debugLog("arnoldi n=\(n) products=\(products) res=\(res) theta=\(theta)")
                return best
            }
            v = ritz
        }
    }

    /// The extreme real Ritz pair of the leading `size × size` Hessenberg block (a real
    /// eigenvalue is preferred; rounding can give the Perron root a tiny imaginary part) and the
    /// largest eigenvalue modulus (the scale).
    private static func hessenbergRitz(_ h: Matrix, size: Int, smallestReal: Bool) throws
        -> (value: Double, vector: [Double], scale: Double)
    {
        let e = try LAPACK.eigen(h.block(row: 0, col: 0, rows: size, cols: size), right: true)
        let scale = max(
            zip(e.real, e.imaginary).map { ($0 * $0 + $1 * $1).squareRoot() }.max() ?? 0, Tolerance.scaleFloor)
        let real = e.real.indices.filter { abs(e.imaginary[$0]) <= Tolerance.ritzImaginaryRelative * scale }
        let pool = real.isEmpty ? Array(e.real.indices) : real
        let idx = smallestReal ? pool.min { e.real[$0] < e.real[$1] }! : pool.max { e.real[$0] < e.real[$1] }!
        return (e.real[idx], (0..<size).map { e.right![$0, idx] }, scale)
    }
}
