import Foundation

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
        let floor = max(vmax * Tolerance.scaleFloor, Double.leastNormalMagnitude)
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
