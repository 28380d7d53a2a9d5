import Foundation

/// The full-metric rung (docs/method.md, "The full-metric rung"): a quadratic Lyapunov metric
/// `‖x‖_P² = xᵀ P x`, `P = L Lᵀ`, for unconstrained games with an exact Jacobian.
///
/// With `a = min Re λ(J) > 0` and a shift `σ = θ a`, `P` solves
/// `(J − σI)ᵀ P + P (J − σI) = 2I`, which has a positive definite solution because every
/// eigenvalue of `J − σI` has positive real part. In the metric of P the margin is
/// `α_P = λmin(sym(Lᵀ J L^{-ᵀ})) = σ + 1/λmax(P) > σ` and `β_P = ‖Lᵀ J L^{-ᵀ}‖₂`; both are
/// computed from the printed factor L, like every other rung. So every game whose J has all
/// eigenvalues in the open right half-plane gets a positive margin, at least `θ·a`.
public struct LyapunovMetric: Sendable {
    /// Lower Cholesky factor of P (normalised so that P's largest diagonal entry is 1).
    public var cholesky: Matrix
    /// The shift σ used to build P.
    public var shift: Double
    /// `α_P` and `β_P` in the metric of P.
    public var margin: Double
    public var lipschitz: Double
    /// `√cond(P)`: the Euclidean transient growth the metric allows.
    public var conditionFactor: Double

    /// Largest state dimension for which the rung runs (dense Schur decompositions).
    public static let sizeLimit = Limits.lyapunovOrder
    /// Shifts tried, as fractions θ of `min Re λ(J)`; the one with the best objective wins, and
    /// among those within the rung tie tolerance the smallest θ (the best-conditioned P).
    public static let shiftFractions = [0.5, 0.9, 0.99]

    /// Why the rung does not apply to this game, or nil when it does.
    public static func skipReason(_ game: any Game, estimation: Estimation, size: Int) -> String? {
        // The reason names what the constants are (`constants.estimation`): earlier versions
        // said "sampled" for proven constants too.
        switch estimation {
        case .exact: break
        case .sampled:
            return "the full-metric rung needs an exact Jacobian (this game's constants are sampled)"
        case .proven:
            return
                "the full-metric rung needs an exact Jacobian (this game's constants are proven bounds over its "
                + "region, not one exact Jacobian)"
        }
        if Certifier.isConstrained(game) {
            return
                "the full-metric rung is not used for boxed games: projection onto a box is not "
                + "non-expansive in a non-diagonal metric"
        }
        if size > sizeLimit { return "the full-metric rung is dense only (dimension \(size) > \(sizeLimit))" }
        return nil
    }

    /// `Lᵀ J L^{-ᵀ}`: J in the metric of `P = L Lᵀ` (nil when L is singular).
    public static func transformed(_ j: Matrix, cholesky l: Matrix) -> Matrix? {
        // X = L^{-1} Jᵀ L, and Lᵀ J L^{-ᵀ} = Xᵀ.
        LAPACK.solve(l, j.transposed * l)?.transposed
    }

    /// Margin and Lipschitz constant of J in the metric of `L Lᵀ`.
    public static func measure(_ j: Matrix, cholesky l: Matrix) throws -> (margin: Double, lipschitz: Double)? {
        guard let k = transformed(j, cholesky: l), k.values.allSatisfy(\.isFinite) else { return nil }
        return (try LAPACK.symmetricEigenvalues(k.symmetricPart).first ?? 0, try LAPACK.spectralNorm(k))
    }

    /// The best metric over `shiftFractions` for `objective`, or nil when `limit = min Re λ(J)` is
    /// not positive or no P could be factored.
    public static func find(_ j: Matrix, limit a: Double, objective: Objective) throws -> LyapunovMetric? {
        guard a > 0, a.isFinite else { return nil }
        let n = j.rows
        var best: (metric: LyapunovMetric, score: Double)? = nil
        for theta in shiftFractions {
            let sigma = theta * a
            var shifted = j
            for i in 0..<n { shifted[i, i] -= sigma }
            guard var p = try? LAPACK.lyapunov(shifted, Matrix.scalar(2, size: n)) else { continue }
            let top = (0..<n).map { p[$0, $0] }.max() ?? 0
            guard top > 0, top.isFinite else { continue }
            p = (1 / top) * p
            guard let l = LAPACK.cholesky(p), let m = try measure(j, cholesky: l) else { continue }
            let eigen = try LAPACK.symmetricEigenvalues(p)
            guard let lo = eigen.first, let hi = eigen.last, lo > 0 else { continue }
            let metric = LyapunovMetric(
                cholesky: l, shift: sigma, margin: m.margin, lipschitz: m.lipschitz,
                conditionFactor: (hi / lo).squareRoot())
            let score = objective.value(margin: m.margin, lipschitz: m.lipschitz)
            if let b = best, score <= b.score + Tolerance.rungTieRelative * max(abs(score), abs(b.score)) { continue }
            best = (metric, score)
        }
        return best?.metric
    }
}
