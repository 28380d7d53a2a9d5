import Foundation

/// Restarted Lanczos: extreme eigenpairs of a symmetric operator (see `Krylov`).
extension Krylov {
    /// Sizes up to which Lanczos reorthogonalises fully; above it, locally (see `lanczos`).
    public static let fullReorthogonalisationLimit = Limits.fullReorthogonalisationOrder

    /// Smallest (`largest == false`) or largest eigenpair of a symmetric operator by Lanczos,
    /// explicitly restarted from the current Ritz vector. Stops when the residual is below
    /// `tolerance · scale` (scale = largest |Ritz value| seen).
    ///
    /// Reorthogonalisation: full (against every basis vector, a second pass only when the first
    /// cancelled most of w) up to `fullReorthogonalisationLimit`; above it, local — against the
    /// restart vector and the two latest vectors. Full reorthogonalisation costs O(m²n) memory
    /// traffic per cycle and dominated large games; plain Lanczos loses orthogonality mainly in
    /// the direction of the converging Ritz vector, which is the restart vector. Either way the
    /// residual returned is recomputed from the operator, and every bound built on the result is
    /// proven afterwards, so this trades products for accuracy, never correctness.
    public static func lanczos(
        n: Int, largest: Bool = false, start: [Double]? = nil, basis: Int = Limits.krylovBasis,
        tolerance: Double = Tolerance.iterativeRelative, maxProducts: Int = Limits.lanczosProducts,
        apply: ([Double]) -> [Double]
    ) throws -> Eigenpair {
        precondition(n >= 1)
        var v = normalised(start ?? seededStart(n))
        var products = 0
        var best = Eigenpair(value: 0, vector: v, residual: .infinity, products: 0)
        let full = n <= fullReorthogonalisationLimit
        // Without full reorthogonalisation a longer cycle costs only memory (up to 2^24 stored
        // entries), and each restart discards less.
        let m = min(full ? basis : max(basis, min(96, (1 << 24) / n)), n)
        while true {
            var vs: [[Double]] = [v]
            var alpha: [Double] = []
            var beta: [Double] = []
            var exhausted = false
            for k in 0..<m {
                var w = apply(vs[k])
                products += 1
                let a = dot(w, vs[k])
                alpha.append(a)
                if full {
                    orthogonalise(&w, against: vs)
                } else {
                    axpy(-a, vs[k], &w)
                    if k > 0 { axpy(-beta[k - 1], vs[k - 1], &w) }
                    for q in k >= 2 ? [0, k - 1, k] : Array(0...k) {
                        let c = dot(w, vs[q])
                        axpy(-c, vs[q], &w)
                    }
                }
                let b = norm(w)
                beta.append(b)
                if b <= Tolerance.krylovBreakdownRelative * max(abs(a), Tolerance.scaleFloor) {
                    exhausted = true
                    break
                }
                if k == m - 1 || products >= maxProducts { break }
                // Every few steps, the Ritz pair's residual estimate β_k·|s_k| (free: T is tiny)
                // ends the cycle as soon as it is converged, rather than after m products.
                if (k + 1) % 4 == 0 {
                    let ritz = try tridiagonalRitz(alpha, beta, largest: largest)
                    if abs(b * ritz.vector[k]) <= 0.5 * tolerance * ritz.scale { break }
                }
                vs.append(w.map { $0 / b })
            }
            let (theta, y, scale) = try tridiagonalRitz(alpha, beta, largest: largest)
            let (ritz, res) = ritzPair(vs, y, theta, positive: false, apply: apply)
            products += 1
            if res < best.residual { best = Eigenpair(value: theta, vector: ritz, residual: res, products: products) }
            best.products = products
            if res <= tolerance * scale || exhausted || products >= maxProducts {
                debugLog("lanczos n=\(n) products=\(products) res=\(res) theta=\(theta)")
                return best
            }
            v = ritz
        }
    }

    /// A start for CG on `(σI − A) v = 1` (or `(A − σI) v = 1`) when `u` is a Ritz vector of A
    /// at distance `gap = |θ − σ|` from the shift: the solution's dominant part `u (u·1)/gap`.
    static func shiftedSolveStart(_ u: [Double], gap: Double) -> [Double] {
        let weight = dot(u, [Double](repeating: 1, count: u.count)) / max(gap, Double.leastNormalMagnitude)
        return u.map { $0 * weight }
    }

    /// The extreme eigenpair of the Lanczos tridiagonal matrix (diagonal `alpha`, off-diagonal
    /// the first `alpha.count − 1` entries of `beta`) and its largest |eigenvalue| (the scale).
    private static func tridiagonalRitz(_ alpha: [Double], _ beta: [Double], largest: Bool) throws
        -> (value: Double, vector: [Double], scale: Double)
    {
        let size = alpha.count
        var t = Matrix(rows: size, cols: size)
        for k in 0..<size {
            t[k, k] = alpha[k]
            if k + 1 < size {
                t[k, k + 1] = beta[k]
                t[k + 1, k] = beta[k]
            }
        }
        let e = try LAPACK.symmetricEigen(t)
        let idx = largest ? size - 1 : 0
        return (
            e.values[idx], (0..<size).map { e.vectors[$0, idx] },
            max(e.values.map(abs).max() ?? 0, Tolerance.scaleFloor)
        )
    }
}
