/// Linear algebra whose answers hold for every matrix of an interval matrix (row-major
/// `[Interval]`): enclosures of linear-system solutions with proven non-singularity, and proofs
/// of positive definiteness. docs/enclosures.md gives the arguments.
public enum IntervalLinearAlgebra {
    /// Encloses `{x : A x = b, A ∈ 𝐀, b ∈ 𝐛}` for each right-hand side, or nil when the
    /// non-singularity of every A in 𝐀 is not proven.
    ///
    /// Method (a Krawczyk step with a floating-point preconditioner): R ≈ mid(𝐀)⁻¹ and
    /// x̃ ≈ R mid(𝐛) in floating point; then in interval arithmetic `𝐳 = R(𝐛 − 𝐀x̃)` and
    /// `𝐂 = I − R𝐀`. If `c = ‖𝐂‖∞ < 1` every RA is non-singular (so is every A), and every
    /// solution satisfies `x − x̃ = R(b − Ax̃) + (I − RA)(x − x̃)`, hence `‖x − x̃‖∞ ≤ ‖𝐳‖∞/(1 − c)`
    /// and `x − x̃ ∈ 𝐳 + 𝐂·[−e, e]ⁿ` (intersected with the ball) — the enclosure returned.
    public static func solve(_ a: [Interval], size n: Int, rhs: [[Interval]]) -> [[Interval]]? {
        guard n > 0, a.count == n * n else { return nil }
        let mid = a.map(\.value)
        guard mid.allSatisfy(\.isFinite), let lu = LUFactors(mid, size: n) else { return nil }
        // R = mid(A)⁻¹ column by column (row-major storage).
        var r = [Double](repeating: 0, count: n * n)
        for c in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[c] = 1
            let col = lu.solve(e)
            for i in 0..<n { r[i * n + c] = col[i] }
        }
        guard r.allSatisfy(\.isFinite) else { return nil }
        // C = I − R A and its ∞-norm (upper bound).
        var cm = [Interval](repeating: Interval(0), count: n * n)
        var cNorm = Interval(0)
        for i in 0..<n {
            var rowSum = Interval(0)
            for j in 0..<n {
                var s = Interval(i == j ? 1 : 0)
                for k in 0..<n where r[i * n + k] != 0 { s = s - r[i * n + k] * a[k * n + j] }
                cm[i * n + j] = s
                rowSum = rowSum + Interval(s.magnitude)
            }
            cNorm = Interval(Swift.max(cNorm.upper, rowSum.upper))
        }
        guard cNorm.upper < 1 else { return nil }
        let denominator = Interval(1) - cNorm  // encloses 1 − c from below by its lower end
        return rhs.map { b in
            let xt = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + r[i * n + $1] * b[$1].value } }
            // residual b − A x̃ in interval arithmetic, then z = R·residual.
            let residual = (0..<n).map { i in
                (0..<n).reduce(b[i]) { $0 - a[i * n + $1] * Interval(xt[$1]) }
            }
            let z = (0..<n).map { i in
                (0..<n).reduce(Interval(0)) { $0 + r[i * n + $1] * residual[$1] }
            }
            let zNorm = z.reduce(0.0) { Swift.max($0, $1.magnitude) }
            let e = (Interval(zNorm) / denominator).upper
            guard e.isFinite else { return [Interval](repeating: .entire, count: n) }
            let ball = Interval(lower: -e, upper: e)
            return (0..<n).map { i in
                var d = z[i]
                for j in 0..<n { d = d + cm[i * n + j] * ball }
                let refined = d.intersection(ball) ?? ball
                return Interval(xt[i]) + refined
            }
        }
    }

    /// True only if every symmetric matrix A with entries in the symmetric interval matrix `m`
    /// (n×n row-major; the lower triangle is read) has `A − shift·I` positive definite.
    ///
    /// Midpoint–radius: with a = mid(m) and R the entrywise radius, `‖A − a‖₂ ≤ ‖R‖₂`, bounded by
    /// the smaller of `‖R‖_F` and R's largest row sum (R is symmetric, so `‖R‖₂ ≤ ‖R‖∞`); then
    /// `a − shift·I` minus that bound is proven positive definite by the Cholesky test with a
    /// rounding allowance (`RigorousArithmetic.provesPositiveDefinite`).
    public static func provesPositiveDefinite(_ m: [Interval], size n: Int, shift: Double = 0) -> Bool {
        guard n > 0, m.count == n * n, m.allSatisfy(\.isFinite) else { return false }
        var a = Matrix(rows: n, cols: n)
        var radii = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                let x = m[i * n + j]
                let c = x.value
                a[i, j] = c
                a[j, i] = c
                radii[i * n + j] = x.radius
                radii[j * n + i] = x.radius
            }
        }
        var rowSum = 0.0
        for i in 0..<n {
            var s = Interval(0)
            for j in 0..<n { s = s + Interval(radii[i * n + j]) }
            rowSum = Swift.max(rowSum, s.upper)
        }
        let error = Swift.min(RigorousArithmetic.frobeniusUpper(radii), rowSum)
        return RigorousArithmetic.provesPositiveDefinite(a, error: error, shift: shift)
    }
}

extension IntervalLinearAlgebra {
    /// The largest t (found by bracketing and bisection) for which `A − t·B ≻ 0` is proven for
    /// every symmetric A in 𝐀 and B in 𝐁 (n×n row-major, lower triangles read), or −∞ when no
    /// t is proven. With B positive definite this is a lower bound on the smallest generalised
    /// eigenvalue of (A, B) over the interval matrices; no interval square roots are involved.
    ///
    /// - Parameters:
    ///   - estimate: an upper guess (e.g. the generalised eigenvalue of the midpoints); the
    ///     search starts just below it.
    ///   - scale: the size of the problem's eigenvalues, for the first bracket step.
    ///   - bisections: refinements after bracketing (relative precision about 2^-bisections of
    ///     the bracket).
    public static func largestProvenShift(
        _ a: [Interval], _ b: [Interval], size n: Int, estimate: Double,
        scale: Double, bisections: Int = 14
    ) -> Double {
        largestProvenShift([(a, b)], size: n, estimate: estimate, scale: scale, bisections: bisections)
    }

    /// The largest t for which `A − t·B ≻ 0` is proven for every pencil of the list at once
    /// (the vertices of an affine enclosure, docs/enclosures.md), or −∞. The pencil that failed
    /// last is tried first.
    public static func largestProvenShift(
        _ pencils: [(a: [Interval], b: [Interval])], size n: Int, estimate: Double,
        scale: Double, bisections: Int = 14
    ) -> Double {
        guard estimate.isFinite, scale.isFinite, scale > 0, !pencils.isEmpty else { return -.infinity }
        var order = Array(pencils.indices)
        func holds(_ t: Double) -> Bool {
            let tt = Interval(t)
            var m = [Interval](repeating: Interval(0), count: n * n)
            for (position, p) in order.enumerated() {
                let (a, b) = pencils[p]
                for i in 0..<n { for j in 0...i { m[i * n + j] = a[i * n + j] - tt * b[i * n + j] } }
                if !provesPositiveDefinite(m, size: n) {
                    order.swapAt(0, position)
                    return false
                }
            }
            return true
        }
        var step = 1e-6 * scale
        var high = estimate
        var low = estimate - step
        var found = false
        for _ in 0..<60 {
            if holds(low) {
                found = true
                break
            }
            high = low
            step *= 4
            low = estimate - step
            if !low.isFinite { break }
        }
        guard found else { return -.infinity }
        for _ in 0..<bisections {
            let mid = low / 2 + high / 2
            if mid <= low || mid >= high { break }
            if holds(mid) { low = mid } else { high = mid }
        }
        return low
    }
}
