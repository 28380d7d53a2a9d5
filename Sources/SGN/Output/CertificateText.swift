import Foundation

extension Certificate {
    /// A short human-readable rendering (`--format text`).
    public var text: String {
        let f = Certificate.short
        var lines: [String] = []
        let verdict = status == .certified ? "CERTIFIED by the \(certifiedBy!.rawValue) rung" : "NOT CERTIFIED"
        lines.append("\(gameName) (\(kind), \(players.count) players, dims \(dims.map(String.init).joined(separator: ","))): \(verdict)")
        if let reason { lines.append("  reason: \(reason)") }
        lines.append("  margins: " + Rung.allCases.map { "\($0.rawValue) \(margins[$0].map(f) ?? "n/a")" }.joined(separator: ", "))
        if let rho = gainSpectralRadius { lines.append("  gain spectral radius: \(f(rho))") }
        let shown = zip(players, weights).prefix(8).map { "\($0)=\(f($1))" }.joined(separator: " ")
        if examined { lines.append("  weights: \(shown)\(players.count > 8 ? " …" : "")") }
        if let rate = contractionRate { lines.append("  contraction rate: \(f(rate)), lipschitz: \(f(lipschitz))") }
        if let steps {
            lines.append("  euler: max \(f(steps.euler.max)), recommended \(f(steps.euler.recommended)), factor \(f(steps.euler.factor))")
            lines.append("  rk4: max \(f(steps.rk4.max)), guideline \(f(steps.rk4.guideline))")
        }
        if let b = timescaleBand {
            lines.append("  timescale band \(players[1])/\(players[0]): [\(f(b.lower)), \(b.upper.map(f) ?? "inf")], optimum \(f(b.optimum))")
        }
        if let r = basinRadius {
            let coordinates = region.kind == "logit_box" ? "max-norm, logits" : "max-norm, feasible starts"
            lines.append("  basin: every start within \(f(r)) (\(coordinates)) of the equilibrium")
        }
        if let e = equilibrium { lines.append("  equilibrium residual: \(f(e.residual))") }
        if case let .sampled(count, seed, _) = estimation {
            lines.append("  constants: sampled estimates (\(count) points, seed \(seed))")
        }
        if case let .proven(boxes, gap) = estimation {
            lines.append("  constants: proven on the region (\(boxes) sub-boxes, gap \(f(gap)))")
        }
        return lines.joined(separator: "\n")
    }

    /// Six significant digits: for people; the JSON has every digit.
    static func short(_ x: Double) -> String { String(format: "%.6g", x) }

    /// One line for batch summaries.
    public var summaryLine: String {
        let f = Certificate.short
        if status == .certified {
            return "certified (\(certifiedBy!.rawValue), rate \(f(contractionRate!)), euler step \(f(steps!.euler.recommended)))"
        }
        let headline = reason.map { ": " + ($0.split(separator: ":").first.map(String.init) ?? $0) } ?? ""
        return "not certified\(headline)"
    }
}
