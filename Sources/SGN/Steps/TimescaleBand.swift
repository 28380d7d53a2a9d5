import Foundation

/// The weight ratios for which the SGN margin stays at or above a target (docs/method.md §6).
public enum TimescaleBand {
    /// Two players, ratio `r = w_2/w_1`: closed form. Returns nil when the band is empty;
    /// `upper` nil means unbounded above.
    public static func twoPlayer(_ c: BlockConstants, target: Double = 0) -> (lower: Double, upper: Double?)? {
        precondition(c.playerCount == 2)
        let mu1 = c.curvature[0] - target
        let mu2 = c.curvature[1] - target
        guard mu1 > 0, mu2 > 0 else { return nil }
        let l12 = c.coupling(0, 1)
        let l21 = c.coupling(1, 0)
        let p = mu1 * mu2
        // Condition: L12/s + L21 s ≤ 2√P with s = √r, i.e. L21 s² − 2√P s + L12 ≤ 0.
        if l21 == 0 {
            if l12 == 0 { return (0, nil) }
            let s = l12 / (2 * p.squareRoot())
            return (s * s, nil)
        }
        let disc = p - l12 * l21
        guard disc >= 0 else { return nil }
        let sp = p.squareRoot()
        let sd = disc.squareRoot()
        let upper = (sp + sd) / l21
        // r₋ = (√P − √(P − L12 L21))² / L21², computed without cancellation as L12²/(√P + √D)².
        let lowerS = l12 / (sp + sd)
        return (lowerS * lowerS, upper * upper)
    }

    /// For each player, the interval of factors t by which its weight can be multiplied (the
    /// others fixed) while the SGN margin stays above `target`. The feasible set is an interval
    /// because `α*(w) > α` is the linear matrix inequality `W(Γ−αI) + (Γ−αI)ᵀW ≻ 0` in w.
    /// Returns nil entries for unbounded ends; nil overall when the start is not feasible.
    /// Largest number of players for which per-player bands are computed.
    public static let maxPlayers = Limits.bandPlayers

    public static func perPlayer(
        _ gamma: ComparisonMatrix, weights w: [Double], target: Double = 0,
        limit: Double = 1e12
    ) throws -> [(lower: Double?, upper: Double?)]? {
        let n = w.count
        // Scratch reused by every trial (about 90 per player): the weights and the matrix.
        var v = w
        var s = Matrix(rows: n, cols: n)
        func feasible(_ i: Int, _ t: Double) throws -> Bool {
            v[i] = w[i] * t
            defer { v[i] = w[i] }
            // α*(v) > target ⟺ the symmetrised matrix minus target·I is positive definite.
            gamma.symmetrized(weights: v, into: &s)
            for k in 0..<n { s[k, k] -= target }
            if n <= Limits.smallCholeskyOrder { return SmallBlock.isPositiveDefinite(&s) }
            return LAPACK.cholesky(s) != nil
        }
        var out: [(lower: Double?, upper: Double?)] = []
        for i in w.indices {
            guard try feasible(i, 1) else { return nil }
            func edge(_ direction: Double) throws -> Double? {
                // Grow log t until infeasible (or the limit), then bisect.
                var inside = 0.0
                var step = 0.25
                var outside: Double? = nil
                while abs(inside) < log(limit) {
                    let trial = inside + direction * step
                    if try feasible(i, exp(trial)) {
                        inside = trial
                        step *= 2
                    } else {
                        outside = trial
                        break
                    }
                }
                guard var out = outside else { return nil }
                for _ in 0..<60 {
                    let mid = 0.5 * (inside + out)
                    if try feasible(i, exp(mid)) { inside = mid } else { out = mid }
                    if abs(out - inside) < Tolerance.bandBisectionLog { break }
                }
                return exp(inside)
            }
            out.append((try edge(-1), try edge(1)))
        }
        return out
    }
}
