import Foundation

/// Geometry of one softmax policy `π = softmax(θ)` over `A` actions (docs/markov-games.md).
///
/// Logits are defined up to an added constant, so the policy only sees the tangent space of
/// sum-zero directions. Its orthonormal basis here is the Helmert basis: column k (0-based,
/// k < A−1) is `(1, …, 1, −(k+1), 0, …, 0)/√((k+1)(k+2))` with k+1 ones. It is fixed, so
/// tangent coordinates are reproducible and depend on nothing but A.
public enum SoftmaxGeometry {
    /// The A×(A−1) orthonormal basis `U` of the sum-zero directions.
    public static func tangentBasis(actions a: Int) -> Matrix {
        precondition(a >= 2)
        var u = Matrix(rows: a, cols: a - 1)
        for k in 0..<(a - 1) {
            let m = Double(k + 1)
            let s = 1 / (m * (m + 1)).squareRoot()
            for r in 0...k { u[r, k] = s }
            u[k + 1, k] = -m * s
        }
        return u
    }

    /// `softmax(θ)` computed stably (largest logit subtracted first).
    public static func policy(_ logits: ArraySlice<Double>) -> [Double] {
        let m = logits.max() ?? 0
        let e = logits.map { exp($0 - m) }
        let z = e.reduce(0, +)
        return e.map { $0 / z }
    }

    /// The restricted Fisher matrix `F̃ = Uᵀ (diag π − π πᵀ) U`, (A−1)×(A−1), positive definite
    /// when every probability is positive. `vᵀ F̃ v` is the variance under π of the sum-zero
    /// vector `U v`.
    ///
    /// Formed without cancellation: a variance does not change when a constant is subtracted,
    /// so with `m` the most probable action and `D = U − 1·U_m` (row m of U subtracted from every
    /// row), `F̃ = Dᵀ diag π D − (Dᵀπ)(Dᵀπ)ᵀ`. Row m of D is zero, so both terms only see the
    /// other actions: the subtracted term is O((1 − π_m)²) against O(1 − π_m) for the first, and
    /// the result keeps its relative accuracy when the policy is nearly deterministic (the
    /// direct `UᵀdiagπU − (Uᵀπ)(πᵀU)` loses it all: for two actions it is 0.5 − 0.5(π₀ − π₁)²).
    public static func fisher(policy p: [Double], basis u: Matrix) -> Matrix {
        let a = p.count
        let k = a - 1
        var m = 0
        for r in 1..<a where p[r] > p[m] { m = r }
        var d = Matrix(rows: a, cols: k)
        for c in 0..<k { for r in 0..<a { d[r, c] = r == m ? 0 : u[r, c] - u[m, c] } }
        var pd = [Double](repeating: 0, count: k)
        for c in 0..<k { for r in 0..<a { pd[c] += p[r] * d[r, c] } }
        var f = Matrix(rows: k, cols: k)
        for c in 0..<k {
            for r in 0...c {
                var s = 0.0
                for t in 0..<a { s += d[t, r] * p[t] * d[t, c] }
                s -= pd[r] * pd[c]
                f[r, c] = s
                f[c, r] = s
            }
        }
        return f
    }

    /// `F̃^{1/2}` and `F̃^{−1/2}` of a symmetric positive definite matrix, by its
    /// eigen-decomposition; nil when it is not numerically positive definite.
    public static func squareRoots(_ f: Matrix) throws -> (root: Matrix, inverseRoot: Matrix, eigenvalues: [Double])? {
        if f.rows == 1 {
            let v = f[0, 0]
            guard v > 0 else { return nil }
            return (
                Matrix(rows: 1, cols: 1, values: [v.squareRoot()]),
                Matrix(rows: 1, cols: 1, values: [1 / v.squareRoot()]), [v]
            )
        }
        let e = try LAPACK.symmetricEigen(f)
        guard let smallest = e.values.first, smallest > 0 else { return nil }
        let n = f.rows
        var root = Matrix(rows: n, cols: n)
        var inverse = Matrix(rows: n, cols: n)
        for k in 0..<n {
            let s = e.values[k].squareRoot()
            for c in 0..<n {
                let vc = e.vectors[c, k]
                for r in 0..<n {
                    let t = e.vectors[r, k] * vc
                    root[r, c] += s * t
                    inverse[r, c] += t / s
                }
            }
        }
        return (root, inverse, e.values)
    }

    /// Rigorous range of one probability over a logit box: if every logit of θ lies within r of
    /// the centre's, then `π_a(θ) = 1/(1 + Σ_{b≠a} e^{θ_b − θ_a})` with each difference within
    /// 2r of the centre's, so `π_a ∈ [1/(1 + e^{2r}(1/π°_a − 1)), 1/(1 + e^{−2r}(1/π°_a − 1))]`.
    public static func probabilityRange(centre p: Double, radius r: Double) -> (lower: Double, upper: Double) {
        let odds = 1 / p - 1
        return (1 / (1 + exp(2 * r) * odds), 1 / (1 + exp(-2 * r) * odds))
    }

    /// Half the oscillation `(max − min)/2` of a vector: its ∞-norm distance to the constants,
    /// i.e. the ∞-norm of a logit displacement once the shift the policy cannot see is removed.
    public static func quotientMaxNorm(_ v: ArraySlice<Double>) -> Double {
        guard let lo = v.min(), let hi = v.max() else { return 0 }
        return (hi - lo) / 2
    }
}
