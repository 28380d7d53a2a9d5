/// `--rigorous`: turns a certificate of a game with an exact Jacobian (`Game.exactJacobian`:
/// quadratic games) into a proof despite floating point, or says why it cannot be one
/// (docs/robustness.md).
///
/// Three verdicts:
/// - `certified`: a guaranteed lower bound on the margin of the certifying rung, at the weights
///   exactly as printed, is positive. For the sgn rung the block constants are guaranteed bounds
///   too (`μ̂_i ≤ λmin(sym J_ii)`, `L̂_ij ≥ ‖J_ij‖`), and the SGN theorem holds with any such bounds
///   (the cross terms are bounded by `L̂_ij‖δ_i‖‖δ_j‖` with non-negative norms).
/// - `refuted`: a verified fact rules out a positive margin for every block metric `diag(w_i I)`:
///   some player's `λmin(sym J_ii) ≤ 0` (the metric leaves own blocks unscaled, so the margin is at
///   most that), or `det J ≤ 0` / `tr J ≤ 0` (then J has an eigenvalue with real part ≤ 0, and every
///   margin is at most the real part of every eigenvalue).
/// - `undecided`: neither could be verified (e.g. a margin too close to zero for the rounding
///   allowance, or a game too large for the exact checks).
public struct RigorReport: Sendable, Equatable {
    public enum Verdict: String, Sendable { case certified, refuted, undecided }

    public struct Check: Sendable, Equatable {
        /// What was checked, e.g. `curvature`, `coupling`, `margin`, `determinant`.
        public var name: String
        /// Whether the check's outcome is a proof (false: a guaranteed but crude fallback was used).
        public var rigorous: Bool
        public var passed: Bool
        public var detail: String
    }

    public var verdict: Verdict
    /// Rung whose margin was proven (certified only).
    public var rung: Certificate.Rung?
    /// Guaranteed lower bound on that rung's margin at the printed weights.
    public var provenMargin: Double?
    public var reason: String?
    public var checks: [Check]
    /// What the verdict does not cover (`rigor.not_rigorous`): always `RigorReport.notRigorous`
    /// when made; as stated when read back, for `sgn verify` to compare.
    public var notRigorous: [String] = RigorReport.notRigorous
}

public enum RigorousCertifier {
    /// What the constants of a game without an exact Jacobian are, for the undecided reason.
    static func describe(_ estimation: Estimation) -> String {
        switch estimation {
        case .exact: return "exact constants, but no rigorous check of their computation"
        case .sampled: return "sampled constants, which are estimates"
        case .proven:
            return
                """
                constants proven on their region (constants.estimation), but the margins computed from them are not \
                re-checked rigorously
                """
        }
    }

    /// Checks `certificate` (from the floating-point pipeline) against the game's exact Jacobian:
    /// guaranteed block constants, then a proof of the certifying rung's margin, else a verified
    /// obstruction, else undecided.
    public static func check(_ certificate: Certificate, game: any Game) -> RigorReport {
        let exact: BlockMatrix?
        do {
            exact = try game.exactJacobian()
        } catch {
            return RigorReport(
                verdict: .undecided, rung: nil, provenMargin: nil, reason: "the Jacobian could not be formed",
                checks: [])
        }
        guard let j = exact else {
            // Quadratic games are the shipped class with an exact Jacobian (`Game.exactJacobian`).
            return RigorReport(
                verdict: .undecided, rung: nil, provenMargin: nil,
                reason:
                    """
                    rigorous mode covers quadratic games only: \(game.kind) games have \
                    \(Self.describe(certificate.estimation))
                    """,
                checks: [])
        }
        let guaranteed = guaranteedConstants(j, certificate: certificate)
        var checks = guaranteed.checks
        if certificate.status == .certified, let rung = certificate.certifiedBy {
            let proof = proveMargin(j, rung: rung, constants: guaranteed.constants, certificate: certificate)
            checks.append(proof.check)
            if let (provenRung, margin) = proof.proven {
                return RigorReport(
                    verdict: .certified, rung: provenRung, provenMargin: margin, reason: nil, checks: checks)
            }
        }

        // No proof: look for a verified obstruction.
        if let (reason, check) = refutation(j, mu: guaranteed.constants.curvature, names: game.playerNames) {
            checks.append(check)
            return RigorReport(verdict: .refuted, rung: nil, provenMargin: nil, reason: reason, checks: checks)
        }
        let why =
            certificate.status == .certified
            ? "the floating-point margin could not be proven positive with rounding errors accounted for"
            : """
            not certified in floating point, and no obstruction could be verified (no own block without curvature, det \
            J > 0 or too large to compute exactly, tr J > 0)
            """
        return RigorReport(verdict: .undecided, rung: nil, provenMargin: nil, reason: why, checks: checks)
    }

    /// Guaranteed block constants (used by the sgn rung, and reported): lower bounds on
    /// `λmin(sym J_ii)` and upper bounds on `‖J_ij‖`, tight when Cholesky verifies them near the
    /// certificate's estimates, crude but still guaranteed otherwise.
    static func guaranteedConstants(_ j: BlockMatrix, certificate: Certificate) -> (
        constants: BlockConstants, checks: [RigorReport.Check]
    ) {
        var mu = [Double]()
        var muTight = true
        for (i, h) in j.diagonal.enumerated() {
            let estimate = certificate.constants.curvature[i]
            let b = RigorousArithmetic.curvatureLowerBound(h, estimate: estimate)
            mu.append(b.value)
            muTight = muTight && b.tight
        }
        var coupling: [[(col: Int, value: Double)]] = []
        var lTight = true
        for i in j.dims.indices {
            var row: [(col: Int, value: Double)] = []
            for (c, block) in j.offDiagonal[i] {
                let estimate = certificate.constants.coupling(i, c)
                let b = RigorousArithmetic.couplingUpperBound(block, estimate: estimate)
                if b.value > 0 { row.append((c, b.value)) }
                lTight = lTight && b.tight
            }
            coupling.append(row)
        }
        let checks: [RigorReport.Check] = [
            .init(
                name: "curvature", rigorous: true, passed: muTight,
                // 1e-7: the widest of `Tolerance.proofBackoffs`, which `curvatureLowerBound` tries.
                detail: muTight
                    ? "lower bounds on lambda_min(sym J_ii) verified by Cholesky within 1e-7 relative of the estimates"
                    : "some lower bound fell back to -||sym J_ii||_F (still guaranteed, but crude)"),
            .init(
                name: "coupling", rigorous: true, passed: lTight,
                detail: lTight
                    ? "upper bounds on ||J_ij|| verified (L^2 I - J_ij^T J_ij positive definite by Cholesky)"
                    : "some upper bound fell back to min(||J_ij||_F, sqrt(||J_ij||_1 ||J_ij||_inf)) (guaranteed, crude)"
            ),
        ]
        return (BlockConstants(curvature: mu, ownSize: certificate.constants.ownSize, coupling: coupling), checks)
    }

    /// A proven positive margin for the certifying rung at the printed weights (the sgn rung
    /// falls back to the full metric margin at the same weights), with its `margin` check.
    static func proveMargin(
        _ j: BlockMatrix, rung: Certificate.Rung, constants: BlockConstants, certificate: Certificate
    ) -> (proven: (rung: Certificate.Rung, margin: Double)?, check: RigorReport.Check) {
        let w = certificate.weights
        let sgnCheck = { () -> (Double?, String) in
            provenSGNMargin(ComparisonMatrix(constants), weights: w, estimate: certificate.margins[.sgn] ?? 0)
        }
        let fullCheck = { () -> (Double?, String) in
            provenMetricMargin(j, weights: w, estimate: certificate.contractionRate ?? 0)
        }
        let lyapunovCheck = { () -> (Double?, String) in
            guard let l = certificate.lyapunov?.cholesky else { return (nil, "lyapunov: no metric stated") }
            return provenLyapunovMargin(j.dense(), cholesky: l, estimate: certificate.contractionRate ?? 0)
        }
        let attempts: [(Certificate.Rung, () -> (Double?, String))]
        switch rung {
        case .sgn: attempts = [(.sgn, sgnCheck), (.weighted, fullCheck)]
        case .euclidean, .weighted: attempts = [(rung, fullCheck)]
        case .lyapunov: attempts = [(rung, lyapunovCheck)]
        }
        var failures: [String] = []
        for (checkedRung, attempt) in attempts {
            let (margin, detail) = attempt()
            if let margin, margin > 0 {
                return ((checkedRung, margin), .init(name: "margin", rigorous: true, passed: true, detail: detail))
            }
            failures.append(detail)
        }
        return (nil, .init(name: "margin", rigorous: true, passed: false, detail: failures.joined(separator: "; ")))
    }

    /// Largest proven lower bound on `λmin(S(w))` for the SGN matrix built from guaranteed constants.
    static func provenSGNMargin(_ gamma: ComparisonMatrix, weights w: [Double], estimate: Double) -> (Double?, String) {
        let n = gamma.playerCount
        if n == 1 { return (gamma.constants.curvature[0], "single player: margin = guaranteed curvature bound") }
        guard n <= RigorousArithmetic.maxOrder else {
            return (nil, "sgn: \(n) players exceed the rigorous limit \(RigorousArithmetic.maxOrder)")
        }
        let s = gamma.symmetrized(weights: w)
        // Each off-diagonal term L √(w_i/w_j) carries ≤ 4u relative error (divide, root,
        // multiply, accumulate), halving is exact.
        var e = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for (jj, l) in gamma.constants.coupling[i] {
                let t = abs(0.5 * l * (w[i] / w[jj]).squareRoot())
                e[jj * n + i] += 8 * RigorousArithmetic.u * t
                e[i * n + jj] += 8 * RigorousArithmetic.u * t
            }
        }
        let err = RigorousArithmetic.frobeniusUpper(e)
        return proveShift(
            s, error: err, estimate: estimate, label: "sgn margin at the printed weights from guaranteed constants")
    }

    /// Largest proven lower bound on `λmin(sym(M^{1/2} J M^{-1/2}))` at the printed weights.
    static func provenMetricMargin(_ j: BlockMatrix, weights w: [Double], estimate: Double) -> (Double?, String) {
        let n = j.size
        guard n <= RigorousArithmetic.maxOrder else {
            return (nil, "metric margin: dimension \(n) exceeds the rigorous limit \(RigorousArithmetic.maxOrder)")
        }
        let k = j.weighted(by: w).dense()
        var s = k
        var e = [Double](repeating: 0, count: n * n)
        for c in 0..<n {
            for r in 0..<n {
                s[r, c] = 0.5 * (k[r, c] + k[c, r])
                // scaled entries: ≤ 4u relative each; their half-sum adds u|s|.
                e[c * n + r] = 6 * RigorousArithmetic.u * (abs(k[r, c]) + abs(k[c, r]))
            }
        }
        let err = RigorousArithmetic.frobeniusUpper(e)
        return proveShift(
            s, error: err, estimate: estimate, label: "lambda_min(sym(M^1/2 J M^-1/2)) at the printed weights")
    }

    /// A proven lower bound on the margin in the metric `P = L Lᵀ` of the printed factor L:
    /// `α_P ≥ t` exactly when `S_t = ½(PJ + JᵀP) − tP ⪰ 0`, which is shown by a Cholesky
    /// factorisation of `S_t` computed in floating point with an allowance for every rounding
    /// in forming P, PJ and S_t (entrywise `γ = 4(n+2)u` times the products of absolute values).
    static func provenLyapunovMargin(_ j: Matrix, cholesky l: Matrix, estimate: Double) -> (Double?, String) {
        let n = j.rows
        guard n <= RigorousArithmetic.maxOrder else {
            return (nil, "lyapunov margin: dimension \(n) exceeds the rigorous limit \(RigorousArithmetic.maxOrder)")
        }
        let abs = { (m: Matrix) in Matrix(rows: m.rows, cols: m.cols, values: m.values.map { Swift.abs($0) }) }
        let p = l * l.transposed
        let pj = p * j
        let gamma = 4 * Double(n + 2) * RigorousArithmetic.u
        let absP = abs(l) * abs(l).transposed  // bounds |P| and the rounding of P
        let absPJ = (absP * abs(j))
        var label = "lambda_min(P^-1/2 sym(P J) P^-1/2) at the printed Cholesky factor"
        var tried: [Double] = []
        let scale = Swift.max(RigorousArithmetic.frobeniusUpper(pj.values), Double.leastNormalMagnitude)
        for relative in Tolerance.rigorousLyapunovBackoffs {
            let t = (estimate - relative * scale).nextDown
            guard t > 0 else { break }
            tried.append(t)
            var s = Matrix(rows: n, cols: n)
            var e = [Double](repeating: 0, count: n * n)
            for c in 0..<n {
                for r in 0..<n {
                    s[r, c] = 0.5 * (pj[r, c] + pj[c, r]) - t * p[r, c]
                    // rounding of P (γ|L||L|ᵀ), of PJ (γ(|P|+γ|L||L|ᵀ)|J|) and of forming S_t.
                    e[c * n + r] =
                        2 * gamma * (absPJ[r, c] + absPJ[c, r]) + 2 * gamma * t * absP[r, c]
                        + 4 * RigorousArithmetic.u * Swift.abs(s[r, c])
                }
            }
            let err = RigorousArithmetic.frobeniusUpper(e)
            if RigorousArithmetic.provesPositiveDefinite(s, error: err, shift: 0) {
                label +=
                    " >= \(JSONWriter.format(t)) (Cholesky of S_t with rounding allowance \(JSONWriter.format(err)))"
                return (t, label)
            }
        }
        if tried.isEmpty {
            return (nil, "\(label): estimate \(JSONWriter.format(estimate)) is too close to zero for a proof")
        }
        return (nil, "\(label): no positive lower bound could be proven")
    }

    /// Tries shifts just below `estimate`; returns the largest one proven (a lower bound on λmin).
    static func proveShift(_ s: Matrix, error: Double, estimate: Double, label: String) -> (Double?, String) {
        let scale = Swift.max(RigorousArithmetic.frobeniusUpper(s.values), Double.leastNormalMagnitude)
        var tried: [Double] = []
        for relative in Tolerance.rigorousShiftBackoffs {
            let candidate = (estimate - relative * scale).nextDown
            guard candidate > 0 else { break }
            tried.append(candidate)
            if RigorousArithmetic.provesPositiveDefinite(s, error: error, shift: candidate) {
                return (
                    candidate,
                    """
                    \(label) >= \(JSONWriter.format(candidate)) (Cholesky with rounding allowance \
                    \(JSONWriter.format(error)))
                    """
                )
            }
        }
        if tried.isEmpty {
            return (
                nil,
                """
                \(label): estimate \(JSONWriter.format(estimate)) is too close to zero for a proof at this scale \
                (\(JSONWriter.format(scale)))
                """
            )
        }
        return (
            nil, "\(label): no positive lower bound could be proven (rounding allowance \(JSONWriter.format(error)))"
        )
    }

    /// A verified reason that no block metric can give a positive margin, if one is found.
    static func refutation(_ j: BlockMatrix, mu: [Double], names: [String]) -> (String, RigorReport.Check)? {
        // 1. An own block without curvature: x = eigenvector of sym J_ii, xᵀ sym(J_ii) x ≤ 0
        //    with the rounding error of the quadratic form added.
        for (i, h) in j.diagonal.enumerated() {
            // Exactly: det(J_ii + J_iiᵀ) ≤ 0 means a real eigenvalue ≤ 0 of the symmetric part.
            if h.rows > 1, let sign = RigorousArithmetic.exactDeterminantSign(h, symmetrized: true), sign <= 0 {
                let reason =
                    """
                    player \(names[i]) has no curvature: det(J_\(names[i]) + J_\(names[i])^T) \
                    \(sign == 0 ? "= 0" : "< 0") in exact rational arithmetic, so lambda_min(sym J_\(names[i])) <= 0 \
                    and no weights give a positive margin
                    """
                return (reason, .init(name: "own_block", rigorous: true, passed: true, detail: reason))
            }
            guard h.rows <= RigorousArithmetic.maxOrder else { continue }
            let s = h.symmetricPart
            let x: [Double]
            if h.rows == 1 {
                x = [1]
            } else {
                guard let eig = try? LAPACK.symmetricEigen(s) else { continue }
                x = (0..<h.rows).map { eig.vectors[$0, 0] }
            }
            let d = x.count
            var q = 0.0
            var qa = 0.0
            for c in 0..<d {
                for r in 0..<d {
                    q += x[r] * s[r, c] * x[c]
                    qa += abs(x[r] * s[r, c] * x[c])
                }
            }
            // fl(sym) entries ≤ u|s| off; products 2u; sum γ_{d²}.
            let bound = qa == 0 ? 0 : (RigorousArithmetic.gamma(d * d + 4) * 2 * qa).nextUp
            if q + bound <= 0 {
                let reason =
                    """
                    player \(names[i]) has no curvature: v^T sym(J_\(names[i])) v <= 0 verified for v an eigenvector \
                    (value \(JSONWriter.format(q)), rounding bound \(JSONWriter.format(bound))), so no weights give a \
                    positive margin
                    """
                return (reason, .init(name: "own_block", rigorous: true, passed: true, detail: reason))
            }
        }
        // 2. det J ≤ 0, exactly: a real eigenvalue ≤ 0 (complex pairs contribute |λ|² > 0).
        if j.size <= Limits.exactDeterminantOrder, let sign = RigorousArithmetic.exactDeterminantSign(j.dense()),
            sign <= 0
        {
            let reason =
                sign == 0
                ? """
                J is exactly singular (det J = 0 in exact rational arithmetic): 0 is an eigenvalue, so no metric gives \
                a positive margin
                """
                : """
                det J < 0 in exact rational arithmetic: J has a negative real eigenvalue, so no metric gives a \
                positive margin
                """
            return (reason, .init(name: "determinant", rigorous: true, passed: true, detail: reason))
        }
        // 3. tr J ≤ 0 (sum of the real parts of the eigenvalues), with the rounding of the sum.
        var trace = 0.0
        var absTrace = 0.0
        for h in j.diagonal {
            for k in 0..<h.rows {
                trace += h[k, k]
                absTrace += abs(h[k, k])
            }
        }
        if trace + RigorousArithmetic.gamma(j.size + 1) * absTrace <= 0 {
            let reason =
                """
                tr J = \(JSONWriter.format(trace)) <= 0 verified: some eigenvalue has real part <= 0, so no metric \
                gives a positive margin
                """
            return (reason, .init(name: "trace", rigorous: true, passed: true, detail: reason))
        }
        return nil
    }

    /// The certificate as `--rigorous` reports it: `certified` only with a proof.
    public static func apply(_ report: RigorReport, to certificate: Certificate) -> Certificate {
        var c = certificate
        c.rigor = report
        if c.status == .certified && report.verdict != .certified {
            Certifier.withdraw(&c, reason: "rigorous mode: \(report.reason ?? "no proof")")
        } else if c.status == .notCertified, report.verdict == .refuted, let r = report.reason {
            c.reason = [c.reason, "verified: \(r)"].compactMap { $0 }.joined(separator: "; ")
        }
        return c
    }
}
