import Foundation

/// Matrix-free Krylov methods for large sparse problems: restarted Lanczos (symmetric extreme
/// eigenpairs), restarted Arnoldi (the real extreme eigenpair of a nonsymmetric matrix, used
/// for Perron vectors) and restarted GMRES (linear systems). Each works on a closure `apply`
/// computing `y = A x`; storage is `O(basis · n)`, never `O(n²)`.
///
/// These routines produce *estimates* (Ritz values, approximate vectors). Whatever a
/// certificate relies on is turned into a proven bound afterwards by `CollatzWielandt`.
public enum Krylov {
    static func debugLog(_ s: @autoclosure () -> String) { Trace.log(s()) }

    public struct Eigenpair: Sendable {
        public var value: Double
        public var vector: [Double]
        /// `‖A v − θ v‖₂` for the unit vector v: an eigenvalue of A lies within this distance of θ
        /// (symmetric A).
        public var residual: Double
        /// Matrix–vector products used.
        public var products: Int
    }

    /// Sizes up to which Lanczos reorthogonalises fully; above it, locally (see `lanczos`).
    public static let fullReorthogonalisationLimit = 4096

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
        n: Int, largest: Bool = false, start: [Double]? = nil, basis: Int = 24,
        tolerance: Double = Tolerance.iterativeRelative, maxProducts: Int = 3000,
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
                if b <= 1e-14 * max(abs(a), 1e-300) {
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

    /// The normalised Ritz vector `Σ y_k v_k` of a Krylov cycle (sign flipped to a positive sum
    /// when `positive`) and its true residual `‖A u − θ u‖₂`, recomputed with one product so that
    /// it holds whatever orthogonality the basis lost.
    private static func ritzPair(
        _ basis: [[Double]], _ y: [Double], _ theta: Double, positive: Bool,
        apply: ([Double]) -> [Double]
    ) -> (vector: [Double], residual: Double) {
        var ritz = [Double](repeating: 0, count: basis[0].count)
        for k in y.indices { axpy(y[k], basis[k], &ritz) }
        if positive && ritz.reduce(0, +) < 0 { ritz = ritz.map { -$0 } }
        ritz = normalised(ritz)
        var r = apply(ritz)
        axpy(-theta, ritz, &r)
        return (ritz, norm(r))
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
        return (e.values[idx], (0..<size).map { e.vectors[$0, idx] }, max(e.values.map(abs).max() ?? 0, 1e-300))
    }

    /// The eigenpair of a nonsymmetric operator with the smallest (or largest) real eigenvalue,
    /// by restarted Arnoldi. Meant for Z-matrices and nonnegative matrices, whose extreme real
    /// eigenvalue (the Perron root) is real with a positive eigenvector when irreducible; the
    /// vector returned is real. The residual is `‖A v − θ v‖₂`.
    public static func arnoldi(
        n: Int, smallestReal: Bool, start: [Double]? = nil, basis: Int = 24,
        tolerance: Double = Tolerance.iterativeRelative, maxProducts: Int = 4000,
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
                if b <= 1e-14 * max(h.maxAbs, 1e-300) {
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
        let scale = max(zip(e.real, e.imaginary).map { ($0 * $0 + $1 * $1).squareRoot() }.max() ?? 0, 1e-300)
        let real = e.real.indices.filter { abs(e.imaginary[$0]) <= 1e-10 * scale }
        let pool = real.isEmpty ? Array(e.real.indices) : real
        let idx = smallestReal ? pool.min { e.real[$0] < e.real[$1] }! : pool.max { e.real[$0] < e.real[$1] }!
        return (e.real[idx], (0..<size).map { e.right![$0, idx] }, scale)
    }

    public struct Solution: Sendable {
        public var x: [Double]
        /// `‖b − A x‖₂ / ‖b‖₂` as recomputed at the end.
        public var relativeResidual: Double
        public var products: Int
        public var converged: Bool
    }

    /// Restarted right-preconditioned GMRES(`restart`) for `A x = b`: minimises the residual
    /// over the Krylov space of `A M⁻¹`, with `precondition` applying `M⁻¹`.
    public static func gmres(
        b: [Double], restart: Int = 40, tolerance: Double = Tolerance.krylovSolveRelative,
        maxProducts: Int = 5000, apply: ([Double]) -> [Double],
        precondition: ([Double]) -> [Double] = { $0 }
    ) -> Solution {
        let n = b.count
        let bnorm = norm(b)
        var x = [Double](repeating: 0, count: n)
        if bnorm == 0 { return Solution(x: x, relativeResidual: 0, products: 0, converged: true) }
        var products = 0
        var r = b
        while true {
            let beta = norm(r)
            if beta <= tolerance * bnorm || products >= maxProducts { break }
            let m = min(restart, n)
            var vs: [[Double]] = [r.map { $0 / beta }]
            var zs: [[Double]] = []
            var h = [[Double]](repeating: [Double](repeating: 0, count: m), count: m + 1)
            var cs = [Double](repeating: 0, count: m)
            var sn = [Double](repeating: 0, count: m)
            var g = [Double](repeating: 0, count: m + 1)
            g[0] = beta
            var k = 0
            while k < m {
                let z = precondition(vs[k])
                zs.append(z)
                var w = apply(z)
                products += 1
                for j in 0...k {
                    let c = dot(w, vs[j])
                    h[j][k] = c
                    axpy(-c, vs[j], &w)
                }
                let hn = norm(w)
                h[k + 1][k] = hn
                for j in 0..<k {
                    let t = cs[j] * h[j][k] + sn[j] * h[j + 1][k]
                    h[j + 1][k] = -sn[j] * h[j][k] + cs[j] * h[j + 1][k]
                    h[j][k] = t
                }
                let d = (h[k][k] * h[k][k] + h[k + 1][k] * h[k + 1][k]).squareRoot()
                cs[k] = d == 0 ? 1 : h[k][k] / d
                sn[k] = d == 0 ? 0 : h[k + 1][k] / d
                h[k][k] = d
                h[k + 1][k] = 0
                g[k + 1] = -sn[k] * g[k]
                g[k] = cs[k] * g[k]
                k += 1
                if abs(g[k]) <= tolerance * bnorm || hn == 0 || products >= maxProducts { break }
                vs.append(w.map { $0 / hn })
            }
            // Back substitution for the k×k triangular system.
            var y = [Double](repeating: 0, count: k)
            for i in stride(from: k - 1, through: 0, by: -1) {
                var s = g[i]
                for j in (i + 1)..<k { s -= h[i][j] * y[j] }
                y[i] = h[i][i] == 0 ? 0 : s / h[i][i]
            }
            for i in 0..<k { axpy(y[i], zs[i], &x) }
            let ax = apply(x)
            products += 1
            for i in 0..<n { r[i] = b[i] - ax[i] }
        }
        let rel = norm(r) / bnorm
        debugLog("gmres n=\(n) products=\(products) relative residual=\(rel)")
        return Solution(x: x, relativeResidual: rel, products: products, converged: rel <= tolerance)
    }

    /// Conjugate gradients for a symmetric positive definite operator, from x = 0, stopping at
    /// relative residual `tolerance` or `maxProducts` products. Used only to produce positive
    /// test vectors for Collatz–Wielandt bounds, where a rough solve is enough.
    public static func conjugateGradient(
        b: [Double], start: [Double]? = nil, tolerance: Double = 1e-2,
        maxProducts: Int = 400, apply: ([Double]) -> [Double]
    ) -> [Double] {
        var x = start ?? [Double](repeating: 0, count: b.count)
        var r = b
        if start != nil { axpy(-1, apply(x), &r) }
        var p = r
        var rr = dot(r, r)
        let stop = tolerance * tolerance * dot(b, b)
        var products = 0
        defer { debugLog("cg n=\(b.count) products=\(products)") }
        for _ in 0..<maxProducts {
            if rr <= stop { break }
            products += 1
            let ap = apply(p)
            let pap = dot(p, ap)
            guard pap > 0 else { break }
            let a = rr / pap
            axpy(a, p, &x)
            axpy(-a, ap, &r)
            let next = dot(r, r)
            let beta = next / rr
            rr = next
            for i in p.indices { p[i] = r[i] + beta * p[i] }
        }
        return x
    }

    /// Modified Gram–Schmidt of `w` against the orthonormal `basis`, with a second pass only
    /// when the first removed most of w (Daniel–Gragg–Kaufman–Stewart: ‖w‖ fell below 1/√2 of
    /// its size), which is when rounding leaves w measurably non-orthogonal. Returns the total
    /// coefficient removed along each basis vector.
    @discardableResult
    static func orthogonalise(_ w: inout [Double], against basis: [[Double]]) -> [Double] {
        var coefficients = [Double](repeating: 0, count: basis.count)
        var before = norm(w)
        for pass in 0..<2 {
            for (j, q) in basis.enumerated() {
                let c = dot(w, q)
                coefficients[j] += c
                axpy(-c, q, &w)
            }
            let after = norm(w)
            if pass == 0 && after > 0.7071 * before { break }
            before = after
        }
        return coefficients
    }

    // MARK: vector helpers

    @inline(__always) static func dot(_ a: [Double], _ b: [Double]) -> Double { LAPACK.dot(a, b) }

    @inline(__always) static func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) { LAPACK.axpy(a, x, &y) }

    static func norm(_ a: [Double]) -> Double { dot(a, a).squareRoot() }

    static func normalised(_ a: [Double]) -> [Double] {
        let s = norm(a)
        return s > 0 ? a.map { $0 / s } : a
    }

    /// A deterministic start vector with no special structure (positive, so that it is never
    /// orthogonal to a Perron vector).
    static func seededStart(_ n: Int) -> [Double] {
        var rng = SeededGenerator(seed: 0x5EED)
        return (0..<n).map { _ in rng.uniform(0.5, 1.5) }
    }
}

/// Proven eigenvalue bounds for Z-matrices and nonnegative matrices from any positive vector
/// (Collatz–Wielandt). For a Z-matrix `A = sI − P` (P ≥ 0) and any `v > 0`:
/// `min_i (Av)_i / v_i ≤ τ(A) ≤ max_i (Av)_i / v_i`, where τ(A) is A's smallest real
/// eigenvalue (= λmin(A) when A is symmetric). For `P ≥ 0`:
/// `min_i (Pv)_i / v_i ≤ ρ(P) ≤ max_i (Pv)_i / v_i`. The closer v is to the Perron vector, the
/// tighter the bracket; *any* positive v gives valid bounds, so approximate (iterative) vectors
/// cost accuracy, never correctness.
///
/// Rounding: each ratio is widened by `(k + 8)·u·(|A| v)_i / v_i` (k = entries in the row,
/// u = unit roundoff), which covers the floating-point error of the row sum, of the entries
/// themselves (each a product of a few rounded factors) and of the division.
public enum CollatzWielandt {
    /// A sparse row-major matrix given as `diagonal` plus off-diagonal entries per row, stored
    /// in compressed rows.
    public struct Rows: Sendable {
        public var diagonal: [Double]
        var rowStart: [Int]
        var cols: [Int32]
        var vals: [Double]
        public var count: Int { diagonal.count }

        public init(diagonal: [Double], off: [[(col: Int, value: Double)]]) {
            self.diagonal = diagonal
            var start = [Int](repeating: 0, count: diagonal.count + 1)
            for i in off.indices { start[i + 1] = start[i] + off[i].count }
            var c = [Int32]()
            var v = [Double]()
            c.reserveCapacity(start.last!)
            v.reserveCapacity(start.last!)
            for row in off {
                for (j, a) in row {
                    c.append(Int32(j))
                    v.append(a)
                }
            }
            rowStart = start
            cols = c
            vals = v
        }

        init(diagonal: [Double], rowStart: [Int], cols: [Int32], vals: [Double]) {
            self.diagonal = diagonal
            self.rowStart = rowStart
            self.cols = cols
            self.vals = vals
        }

        /// Largest number of off-diagonal entries in a row.
        var maxRowLength: Int {
            var m = 0
            for i in 0..<count { m = max(m, rowStart[i + 1] - rowStart[i]) }
            return m
        }

        public func times(_ v: [Double]) -> [Double] {
            LAPACK.sparseRowsTimes(diagonal: diagonal, rowStart: rowStart, cols: cols, vals: vals, v)
        }

        public func transposed() -> Rows {
            let n = count
            var start = [Int](repeating: 0, count: n + 1)
            for k in cols.indices { start[Int(cols[k]) + 1] += 1 }
            for i in 0..<n { start[i + 1] += start[i] }
            var fill = start
            var c = [Int32](repeating: 0, count: cols.count)
            var v = [Double](repeating: 0, count: vals.count)
            for i in 0..<n {
                for k in rowStart[i]..<rowStart[i + 1] {
                    let j = Int(cols[k])
                    c[fill[j]] = Int32(i)
                    v[fill[j]] = vals[k]
                    fill[j] += 1
                }
            }
            return Rows(diagonal: diagonal, rowStart: start, cols: c, vals: v)
        }
    }

    static let unitRoundoff = Double.ulpOfOne / 2

    /// A proven lower bound on `λmin(S)` for a symmetric Z-matrix S, from a Lanczos pair
    /// (θ, u): the best of the Collatz–Wielandt bound at |u| and at the *verified shift*
    /// `v = (S − ℓI)⁻¹ 1` for ℓ just below θ (solved roughly by CG; whenever v > 0 and
    /// `(S − ℓI)v > 0`, S − ℓI is an M-matrix and the bound exceeds ℓ). The shifted vector has
    /// no tiny entries, which keeps the bound tight when the Perron vector is localised.
    public static func lowerBound(_ s: Rows, _ pair: Krylov.Eigenpair) -> Double {
        var best = bracket(s, pair.vector).lower
        let scale = max(s.diagonal.map(abs).max() ?? 0, abs(pair.value), Double.leastNormalMagnitude)
        var delta = Tolerance.verifiedShiftRelative * scale
        for _ in 0..<6 {
            let ell = pair.value - pair.residual - delta
            if ell <= best { break }
            // Warm start: (S − ℓI)⁻¹1 is dominated by the Ritz direction u, with weight
            // (u·1)/(θ − ℓ); CG then only has to resolve the better-conditioned rest.
            let v = Krylov.conjugateGradient(
                b: [Double](repeating: 1, count: s.count),
                start: Krylov.shiftedSolveStart(pair.vector, gap: pair.value - ell)
            ) { x in
                let y = s.times(x)
                return zip(y, x).map { $0 - ell * $1 }
            }
            if v.allSatisfy({ $0 > 0 }) {
                let b = bracket(s, v).lower
                best = max(best, b)
                Trace.log("verified shift: delta \(delta) bound \(b) ell \(ell)")
                if b >= ell { break }
            }
            delta *= 10
        }
        return best
    }

    /// `(lower, upper)` with lower ≤ τ(A) ≤ upper (A a Z-matrix) or lower ≤ ρ(A) ≤ upper
    /// (A nonnegative), from the positive vector `v` (entries ≤ 0 are raised to a tiny positive
    /// floor first, which keeps the bounds valid).
    public static func bracket(_ a: Rows, _ v: [Double]) -> (lower: Double, upper: Double) {
        let vmax = v.map(abs).max() ?? 1
        let floor = max(vmax * 1e-300, Double.leastNormalMagnitude)
        let p = v.map { max(abs($0), floor) }
        var lo = Double.infinity
        var hi = -Double.infinity
        for i in 0..<a.count {
            var s = a.diagonal[i] * p[i]
            var absolute = abs(a.diagonal[i]) * p[i]
            for k in a.rowStart[i]..<a.rowStart[i + 1] {
                let x = a.vals[k]
                let pj = p[Int(a.cols[k])]
                s += x * pj
                absolute += abs(x) * pj
            }
            let ratio = s / p[i]
            let slack = Double(a.rowStart[i + 1] - a.rowStart[i] + 8) * unitRoundoff * absolute / p[i]
            lo = min(lo, ratio - slack)
            hi = max(hi, ratio + slack)
        }
        return (lo, hi)
    }
}
