import Foundation

extension Certificate {
    /// A short human-readable rendering (`--format text`).
    public var text: String {
        let f = Certificate.short
        var lines: [String] = []
        let verdict = status == .certified ? "CERTIFIED by the \(certifiedBy!.rawValue) rung" : "NOT CERTIFIED"
        lines.append(
            """
            \(gameName) (\(kind), \(counted(players.count, "player")), dims \
            \(dims.map(String.init).joined(separator: ","))): \
            \(verdict)
            """
        )
        if let reason { lines.append("  reason: \(reason)") }
        // The full-metric rung is a last resort: shown only when it was evaluated.
        let rungs = Rung.allCases.filter { $0 != .lyapunov || margins[$0] != nil }
        lines.append(
            "  margins: " + rungs.map { "\($0.rawValue) \(margins[$0].map(f) ?? "n/a")" }.joined(separator: ", "))
        if let rho = gainSpectralRadius { lines.append("  gain spectral radius: \(f(rho))") }
        let shown = zip(players, weights).prefix(8).map { "\($0)=\(f($1))" }.joined(separator: " ")
        if certifiedBy == .lyapunov, let l = lyapunov {
            lines.append(
                "  metric: full Lyapunov metric P = L·Lᵀ (metric.lyapunov), condition factor \(f(l.conditionFactor))")
        } else if examined {
            lines.append("  weights: \(shown)\(players.count > 8 ? " …" : "")")
        }
        if let rate = contractionRate { lines.append("  contraction rate: \(f(rate)), lipschitz: \(f(lipschitz))") }
        lines += dynamicsLines
        if let e = equilibrium {
            lines.append("  equilibrium residual: \(f(e.residual))\(e.branch.map { " (\($0.rawValue) branch)" } ?? "")")
            if let policies = e.policies, policies.allSatisfy({ $0.count == 1 }) {
                lines.append(
                    "  equilibrium policies: "
                        + zip(players, policies).map { "\($0)=(\($1[0].map(f).joined(separator: ", ")))" }.joined(
                            separator: " "))
            }
        }
        lines += provenanceLines
        return lines.joined(separator: "\n")
    }

    /// Step sizes, the timescale band and the basin.
    var dynamicsLines: [String] {
        let f = Certificate.short
        var lines: [String] = []
        if let steps {
            lines.append(
                """
                  euler: max \(f(steps.euler.max)), recommended \(f(steps.euler.recommended)), factor \
                \(f(steps.euler.factor))
                """
            )
            if let max = steps.rk4.max, let guideline = steps.rk4.guideline {
                lines.append("  rk4: max \(f(max)), guideline \(f(guideline))")
            } else {
                lines.append("  rk4: no step stated (\(steps.rk4.guarantee.prose))")
            }
        }
        if let b = timescaleBand {
            lines.append(
                """
                  timescale band w_\(players[1])/w_\(players[0]) (a ratio of metric weights, not of step sizes: every \
                player uses the same step h): [\(f(b.lower)), \(b.upper.map(f) ?? "inf")], optimum \(f(b.optimum))
                """
            )
        }
        if let r = basinRadius {
            let coordinates: String
            switch region {
            case .logitBox: coordinates = "max-norm, logits"
            case .global, .box, .variableBox, .sampledPoints, .enclosure: coordinates = "max-norm, feasible starts"
            }
            lines.append("  basin: every start within \(f(r)) (\(coordinates)) of the equilibrium")
        }
        return lines
    }

    /// How the constants were obtained, and what `--rigorous` proved.
    var provenanceLines: [String] {
        let f = Certificate.short
        var lines: [String] = []
        if case let .sampled(count, seed, _) = estimation {
            lines.append("  constants: sampled estimates (\(counted(count, "point")), seed \(seed))")
            if let reason = proof?.reason { lines.append("  proof: \(reason)") }
        }
        if case let .proven(method, boxes, gap) = estimation {
            let subdivision =
                boxes.map { b in ", \(counted(b, "sub-box", "sub-boxes"))" + (gap.map { ", gap \(f($0))" } ?? "") }
                ?? ""
            lines.append("  constants: proven on the region (\(method.prose)\(subdivision))")
        }
        if let rigor {
            let proven = rigor.provenMargin.map { ", proven \(rigor.rung?.rawValue ?? "") margin >= \(f($0))" } ?? ""
            lines.append("  rigor: \(rigor.verdict.rawValue)\(proven)\(rigor.reason.map { ": \($0)" } ?? "")")
            for c in rigor.checks {
                lines.append(
                    """
                        \(c.passed ? "ok  " : "FAIL") \(c.name) (\(c.rigorous ? "rigorous" : "not rigorous")): \
                    \(c.detail)
                    """
                )
            }
        }
        return lines
    }

    /// Six significant digits: for people; the JSON has every digit.
    static func short(_ x: Double) -> String { String(format: "%.6g", x) }

    /// One line for batch summaries.
    public var summaryLine: String {
        let f = Certificate.short
        if status == .certified {
            return
                """
                certified (\(certifiedBy!.rawValue), rate \(f(contractionRate!)), euler step \
                \(f(steps!.euler.recommended)))
                """
        }
        // The whole reason (its first line): a prefix cut at the first colon can read as a
        // different reason ("not certified: rigorous mode").
        let headline =
            reason.map { ": " + String($0.split(separator: "\n", omittingEmptySubsequences: false).first ?? "") } ?? ""
        return "not certified\(headline)"
    }
}
