import BigInt

/// Floating-point checks whose positive answers are proofs: every rounding error is bounded
/// (IEEE double, round to nearest, unit roundoff u = 2⁻⁵³) and absorbed before deciding.
///
/// The workhorse is `provesPositiveDefinite`, a Cholesky test with a rounding-error allowance in
/// the style of Rump ("Verification of positive definiteness", BIT 46, 2006): if the
/// floating-point Cholesky factorisation of `B = Ã − cI` runs to completion, then
/// `R̃ᵀR̃ = B + ΔB` with `|ΔB| ≤ γ_{n+1}|R̃ᵀ||R̃|` (Demmel; Higham, *Accuracy and Stability*,
/// Thm 10.3), and `‖|R̃ᵀ||R̃|‖₂ ≤ ‖R̃‖²_F ≤ tr(B)/(1 − γ_{n+1})`, so
/// `λmin(B) ≥ −γ_{n+1} tr(B)/(1 − γ_{n+1})`. With `c` above that plus the error of `Ã`, the exact
/// matrix is positive definite. The factorisation is our own plain loop (not LAPACK's blocked
/// one), so the analysis above is the analysis of the code that runs.
public enum RigorousArithmetic {
    /// Unit roundoff of IEEE double with round to nearest.
    public static let u = 0x1p-53

    /// `γ_k = k u / (1 − k u)`, rounded up generously.
    public static func gamma(_ k: Int) -> Double {
        let ku = Double(k) * u
        return ku / (1 - ku) * (1 + 1e-10)
    }

    /// Largest matrix order the rigorous checks factor (O(n³) in plain Swift).
    public static let maxOrder = Limits.rigorousOrder

    /// True only if the exact symmetric matrix `A − shift·I` is positive definite, where the exact
    /// `A` is within `error` (spectral norm) of the symmetric floating-point matrix `a`.
    ///
    /// - Parameters:
    ///   - a: symmetric approximation (only the lower triangle is read).
    ///   - error: an upper bound on `‖A − a‖₂` (e.g. the Frobenius norm of an entrywise bound).
    ///   - shift: subtracted from the diagonal; its rounding is directed so that the checked
    ///     matrix is never larger than `a − shift·I`.
    /// - Complexity: O(n³/3) flops.
    public static func provesPositiveDefinite(_ a: Matrix, error: Double, shift: Double = 0) -> Bool {
        let n = a.rows
        guard n > 0, n <= maxOrder, error.isFinite, error >= 0, shift.isFinite else { return false }
        var trace = 0.0
        for k in 0..<n {
            guard a[k, k].isFinite else { return false }
            trace += Swift.max(a[k, k] - shift, 0)
        }
        // tr(B⁺) ≤ Σ max(a_kk − shift, 0), each term rounded at most twice: inflate.
        trace = trace * (1 + 4 * Double(n + 2) * u)
        // Underflow allowance: every operation can add an absolute error below 2⁻¹⁰²²; far
        // smaller than anything else here because inputs are at least 1e-100 in magnitude.
        let underflow = Double(4 * (n + 2) * (n + 2)) * 0x1p-1022
        let c = (2 * gamma(n + 1) * trace + error + underflow) * (1 + 1e-12)
        guard c.isFinite else { return false }
        let total = (shift + c).nextUp
        var b = a
        for k in 0..<n {
            b[k, k] = (a[k, k] - total).nextDown
        }
        return choleskyCompletes(b)
    }

    /// Whether the plain (unblocked, column-by-column) floating-point Cholesky factorisation of
    /// the symmetric matrix `a` runs to completion with positive finite pivots. Reads the lower
    /// triangle.
    static func choleskyCompletes(_ a: Matrix) -> Bool {
        let n = a.rows
        var l = a.values  // column-major; column j of L overwrites the lower part of column j
        for j in 0..<n {
            var d = l[j * n + j]
            for k in 0..<j {
                let x = l[k * n + j]
                d -= x * x
            }
            guard d > 0, d.isFinite else { return false }
            let r = d.squareRoot()
            l[j * n + j] = r
            for i in (j + 1)..<n {
                var s = l[j * n + i]
                for k in 0..<j { s -= l[k * n + i] * l[k * n + j] }
                let v = s / r
                guard v.isFinite else { return false }
                l[j * n + i] = v
            }
        }
        return true
    }

    /// Frobenius norm rounded up (an upper bound on the exact one for these entries).
    static func frobeniusUpper(_ values: [Double]) -> Double {
        var s = 0.0
        for x in values { s += x * x }
        return (s.squareRoot() * (1 + Double(values.count + 4) * 2 * u)).nextUp
    }

    // MARK: block constants

    /// A guaranteed lower bound on `λmin(sym H)`, from the floating estimate `estimate`.
    /// Returns the bound and whether a Cholesky proof established it (otherwise a cruder but
    /// still guaranteed bound `−‖sym H‖_F` was used).
    public static func curvatureLowerBound(_ h: Matrix, estimate: Double) -> (value: Double, tight: Bool) {
        if h.rows == 1 { return (h[0, 0], true) }  // exact: no arithmetic
        let s = h.symmetricPart
        // fl((a + b)/2) is within u|s| of the exact entry (halving is exact barring underflow).
        let err = frobeniusUpper(s.values.map { 2 * u * abs($0) })
        let scale = Swift.max(frobeniusUpper(s.values), Double.leastNormalMagnitude)
        for relative in Tolerance.proofBackoffs {
            let candidate = (estimate - relative * scale).nextDown
            if provesPositiveDefinite(s, error: err, shift: candidate) { return (candidate, true) }
        }
        return ((-(scale + err) * (1 + 1e-12)).nextDown, false)
    }

    /// A guaranteed upper bound on `‖C‖₂`, from the floating estimate `estimate`, and whether a
    /// Cholesky proof of `L²I − CᵀC ⪰ 0` established it (otherwise `min(‖C‖_F, √(‖C‖₁‖C‖∞))`).
    public static func couplingUpperBound(_ c: Matrix, estimate: Double) -> (value: Double, tight: Bool) {
        if c.values.count == 1 { return (abs(c.values[0]), true) }
        let frobenius = frobeniusUpper(c.values)
        // Vectors: the spectral norm is the Euclidean norm.
        if c.rows == 1 || c.cols == 1 { return (frobenius, true) }
        // Gram matrix on the smaller side: same non-zero spectrum.
        let t = c.rows < c.cols ? c.transposed : c  // t is m×k with k ≤ m; G = tᵀt is k×k
        let k = t.cols
        let m = t.rows
        if k <= maxOrder {
            var g = Matrix(rows: k, cols: k)
            var ga = Matrix(rows: k, cols: k)
            for a in 0..<k {
                for b in 0...a {
                    var s = 0.0
                    var sa = 0.0
                    for r in 0..<m {
                        s += t[r, a] * t[r, b]
                        sa += abs(t[r, a] * t[r, b])
                    }
                    g[a, b] = s
                    g[b, a] = s
                    ga[a, b] = sa
                    ga[b, a] = sa
                }
            }
            // |fl(dot) − dot| ≤ γ_m Σ|x_r y_r|, and fl of that sum is itself within γ_m.
            let err = frobeniusUpper(ga.values.map { 2 * gamma(m) * $0 })
            let negated = -1.0 * g
            for relative in Tolerance.proofBackoffs {
                let l = (estimate * (1 + relative)).nextUp
                let l2 = (l * l).nextDown  // a smaller L² only makes the check harder
                if provesPositiveDefinite(negated, error: err, shift: -l2) { return (l, true) }
            }
        }
        var norm1 = 0.0
        var normInf = 0.0
        for col in 0..<c.cols {
            var s = 0.0
            for r in 0..<c.rows { s += abs(c[r, col]) }
            norm1 = Swift.max(norm1, s)
        }
        for r in 0..<c.rows {
            var s = 0.0
            for col in 0..<c.cols { s += abs(c[r, col]) }
            normInf = Swift.max(normInf, s)
        }
        let mixed = ((norm1 * normInf).squareRoot() * (1 + Double(c.rows + c.cols + 4) * 2 * u)).nextUp
        return (Swift.min(frobenius, mixed), false)
    }

    // MARK: exact arithmetic

    /// The sign (−1, 0, 1) of the exact determinant of `a`, whose entries are read as the
    /// exact rationals they are (every double is `m·2^e`), by fraction-free Bareiss elimination
    /// over big integers. Nil when the matrix is too large for exact arithmetic to be quick.
    /// With `symmetrized`, the matrix is `a + aᵀ`, formed exactly.
    public static func exactDeterminantSign(
        _ a: Matrix, symmetrized: Bool = false, maxOrder: Int = Limits.exactDeterminantOrder
    ) -> Int? {
        let n = a.rows
        guard a.isSquare, n >= 1, n <= maxOrder, a.values.allSatisfy(\.isFinite) else { return nil }
        // Common scale: multiply every entry by 2^s so all become integers (sign unchanged).
        var minExponent = Int.max
        for x in a.values where x != 0 {
            minExponent = Swift.min(minExponent, Int(x.exponent) - (x.significandWidth))
        }
        if minExponent == Int.max { return 0 }
        func integer(_ x: Double) -> BigInt {
            if x == 0 { return 0 }
            // x = ±(1.f)·2^e = ±M·2^(e − w) with M = 2^w·(1.f) an integer of w+1 bits.
            let w = x.significandWidth
            let mant = BigInt(Int64((abs(x).significand * Double(sign: .plus, exponent: w, significand: 1))))
            let shift = Int(x.exponent) - w - minExponent
            let v = mant << shift
            return x < 0 ? -v : v
        }
        var m = (0..<n).map { r in
            (0..<n).map { c in symmetrized ? integer(a[r, c]) + integer(a[c, r]) : integer(a[r, c]) }
        }
        var sign = 1
        var previous = BigInt(1)
        for k in 0..<(n - 1) {
            if m[k][k] == 0 {
                guard let p = ((k + 1)..<n).first(where: { m[$0][k] != 0 }) else { return 0 }
                m.swapAt(k, p)
                sign = -sign
            }
            for i in (k + 1)..<n {
                for j in (k + 1)..<n {
                    m[i][j] = (m[i][j] * m[k][k] - m[i][k] * m[k][j]) / previous
                }
                m[i][k] = 0
            }
            previous = m[k][k]
        }
        let d = m[n - 1][n - 1]
        return d == 0 ? 0 : (d.sign == .minus ? -sign : sign)
    }
}
