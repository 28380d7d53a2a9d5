/// Proven constants (docs/markov-games.md, "Proven constants"), a named step of
/// `Certifier.certify`: the sampled values are the targets; on success every stated constant,
/// margin and β is a bound on the whole region.
extension Certifier {
    /// Replaces the statement's sampled figures by bounds proven on the region, when the game is
    /// sampled and certified and the proof is attempted (`--estimation`, the work limit) and
    /// succeeds; otherwise records why not (`statement.proof`), and with `--estimation proven`
    /// withdraws the verdict.
    func proveConstants(_ game: any Game, _ analysis: Analysis, _ ladder: Ladder, _ s: inout Statement) throws {
        guard estimationMode != .sampled, case .sampled = analysis.set.estimation, s.certified,
            let euclideanMargin = ladder.euclidean?.margin
        else { return }
        Trace.log("certify: proof")
        let ones = analysis.unitWeights
        // Built only from what the certificate states (its weights) and the sampled set, so that
        // `verify` rebuilds the same request and re-runs the same proof.
        let request = BoundRequest(
            constants: analysis.constants, marginWeights: [ones, s.best.weights],
            marginTargets: [euclideanMargin, try analysis.spectra.margin(weights: s.best.weights)],
            lipschitzWeights: [ones, s.best.weights],
            lipschitzTargets: [analysis.euclideanLipschitz, s.best.lipschitz])
        let work = game.proofWorkPerBox
        let attempt = estimationMode == .proven || work <= RegionProof.autoWorkLimit
        if !attempt {
            s.proof = .init(
                boxes: nil, gap: nil,
                reason:
                    """
                    proof not attempted by default: a sub-box costs \(work) work units, above the automatic \
                    limit of \(RegionProof.autoWorkLimit); use --estimation proven
                    """
            )
        }
        var failure: String? = nil
        switch attempt ? game.proveRegion(request, budget: proofBudget) : nil {
        case let .proven(b)?:
            failure = try adopt(b, ladder, &s)
        case let .incomplete(reason, boxes)?:
            failure = "proof not completed: \(reason) (\(counted(boxes, "sub-box", "sub-boxes")))"
        case nil:
            break
        }
        if let failure {
            s.proof = .init(
                boxes: nil, gap: nil, reason: largestProvenRadius(game, request, rung: s.best.rung, failure))
            if estimationMode == .proven && s.certified {
                s.certified = false
            }
        }
    }

    /// States the proven bounds when they still give the best rung a positive margin; otherwise
    /// why not. `margins.weighted` of a weighted rung that does not certify becomes the larger of
    /// the proven euclidean and SGN margins (its own weights are not stated, so nothing about them
    /// was proven; a sampled value there could exceed the proven rate).
    func adopt(_ b: ProvenBounds, _ ladder: Ladder, _ s: inout Statement) throws -> String? {
        let provenGamma = ComparisonMatrix(b.constants)
        let sgnMargin = try provenGamma.margin(weights: ladder.sgn.weights)
        var provenMargins: [Certificate.Rung: Double] = [.euclidean: b.margins[0], .sgn: sgnMargin]
        // The weighted rung's own weights are stated only when it certifies; otherwise the proven
        // statement is the larger of the two proven margins at stated weights, a lower bound on
        // the region's weighted optimum (unit weights and the SGN weights are both candidates).
        provenMargins[.weighted] =
            s.best.rung == .weighted
            ? b.margins[1] : ladder.weightedMargin.map { _ in max(b.margins[0], sgnMargin) }
        let rate = provenMargins[s.best.rung]!
        let beta = b.lipschitz[1]
        let provenThreshold = Tolerance.marginThreshold(scale: beta)
        guard rate > provenThreshold && beta.isFinite else {
            return
                """
                the bounds proven on the region (\(counted(b.boxes, "sub-box", "sub-boxes"))) do not establish a \
                positive margin for the \(s.best.rung.rawValue) rung: proven margin >= \(rate), beta <= \(beta)
                """
        }
        s.constants = b.constants
        s.gamma = provenGamma
        s.rho = try provenGamma.gainSpectralRadius()
        s.sgn = try OptimalWeights.compute(provenGamma)
        s.margins = provenMargins
        s.euclideanLipschitz = b.lipschitz[0]
        s.best.margin = rate
        s.best.lipschitz = beta
        s.threshold = provenThreshold
        s.certified = true
        s.estimation = .proven(method: RegionProof.method, subBoxes: b.boxes, gap: b.gap)
        s.proof = .init(boxes: b.boxes, gap: b.gap, reason: nil)
        return nil
    }

    /// The reason of a failed proof, with the largest radius that is proven: the region's radius
    /// halved a few times within the budget.
    func largestProvenRadius(_ game: any Game, _ request: BoundRequest, rung: Certificate.Rung, _ failure: String)
        -> String
    {
        guard let r = game.region.radius else { return failure }
        var note = failure
        var radius = r
        for _ in 0..<RegionProof.halvings {
            radius /= 2
            if case let .proven(b)? = game.proveRegion(
                request, budget: max(1, proofBudget / RegionProof.halvings), radius: radius),
                b.margins[rung == .euclidean ? 0 : 1] > Tolerance.marginThreshold(scale: b.lipschitz[1])
            {
                return note
                    + """
                    ; proven with a positive margin on the box of radius \(radius) \
                    (\(counted(b.boxes, "sub-box", "sub-boxes"))): try --radius \(radius)
                    """
            }
        }
        note += "; not proven on radius \(radius) either"
        return note
    }
}
