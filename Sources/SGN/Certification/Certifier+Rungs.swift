/// The ladder of rungs (docs/method.md §3), each a named step of `Certifier.certify`.
extension Certifier {
    /// The rungs evaluated on one analysis.
    struct Ladder {
        /// Rung 1, unit weights (nil for a set of block constants only: no margins in a metric).
        var euclidean: Candidate?
        /// Rung 2, from the block constants alone.
        var sgn: Candidate
        /// Rung 3's exact margin at its weights, and the proven upper bound on the best weights
        /// (`GlobalWeights`), when the rung was evaluated.
        var weightedMargin: Double? = nil
        var weightedUpperBound: Double? = nil
        /// Rung 4, the full metric, or why it was not used.
        var lyapunov: LyapunovMetric? = nil
        var lyapunovSkipped: String? = nil
        /// min Re λ(J) of an exact dense Jacobian: no metric gives a larger margin.
        var spectralLimit: Double? = nil
        /// Every rung evaluated, in ladder order.
        var candidates: [Candidate]
        /// The equilibrium when it was computed beside the first two rungs (`.some(nil)`: none).
        var earlyEquilibrium: Equilibrium??
    }

    /// Every rung, in order; the full metric only when no block-diagonal rung certifies.
    func climb(_ game: any Game, _ analysis: Analysis) throws -> Ladder {
        let first = try firstRungs(game, analysis)
        var ladder = Ladder(
            euclidean: first.euclidean, sgn: first.sgn, candidates: [first.euclidean, first.sgn].compactMap { $0 },
            earlyEquilibrium: first.equilibrium)
        if let euclidean = first.euclidean, let exactAtSGN = first.exactAtSGN {
            let weighted = try weightedRung(analysis, euclidean: euclidean, sgn: first.sgn, exactAtSGN: exactAtSGN)
            ladder.candidates.append(weighted.candidate)
            ladder.weightedMargin = weighted.candidate.margin
            ladder.weightedUpperBound = weighted.upperBound
        }
        try lyapunovRung(game, analysis, &ladder)
        return ladder
    }

    /// Rungs 1 and 2 (and the exact margin at the SGN weights, where rung 3 may start). They are
    /// independent: on the iterative path each is seconds of Krylov work, so they run side by
    /// side, and so does the equilibrium when it does not need the certified step.
    func firstRungs(_ game: any Game, _ analysis: Analysis) throws -> (
        euclidean: Candidate?, sgn: Candidate, exactAtSGN: Double?, equilibrium: Equilibrium??
    ) {
        let spectra = analysis.spectra
        let ones = analysis.unitWeights
        let objective = self.objective
        let concurrent = !spectra.usesDense
        let (first, second) = try Parallel.both(concurrently: concurrent) {
            () throws -> (Candidate?, Equilibrium??) in
            // Rung 1: Euclidean (identity weights in the game's geometry).
            let lipschitz = analysis.euclideanLipschitz
            let euclidean = try analysis.hasMargins ? spectra.margin(weights: ones) : nil
            let candidate = euclidean.map { margin in
                Candidate(
                    rung: .euclidean, weights: ones, margin: margin, lipschitz: lipschitz,
                    score: objective.value(margin: margin, lipschitz: lipschitz))
            }
            let equilibrium: Equilibrium?? =
                concurrent && !game.equilibriumUsesStep ? .some(game.equilibrium(certifiedStep: nil)) : nil
            return (candidate, equilibrium)
        } _: { () throws -> (Candidate, Double?) in
            let candidate = try sgnRung(analysis)
            let start = candidate.weights == analysis.sgn.weights ? analysis.sgn.perronVector : nil
            return (
                candidate, analysis.hasMargins ? try spectra.margin(weights: candidate.weights, start: start) : nil
            )
        }
        return (first.0, second.0, second.1, first.1)
    }

    /// Rung 2: SGN, from the block constants alone; for the euler and rk4 objectives the weights
    /// are searched locally from the SGN weights on Γ's margin.
    func sgnRung(_ analysis: Analysis) throws -> Candidate {
        let sgn = analysis.sgn
        let gamma = analysis.gamma
        let spectra = analysis.spectra
        let objective = self.objective
        var candidate = Candidate(
            rung: .sgn, weights: sgn.weights, margin: sgn.margin,
            lipschitz: try spectra.lipschitz(weights: sgn.weights), score: 0)
        candidate.score = objective.value(margin: candidate.margin, lipschitz: candidate.lipschitz)
        if objective != .rate && sgn.margin > 0 {
            let found = try WeightSearch.maximize(from: sgn.weights) { w in
                objective.value(margin: try gamma.margin(weights: w), lipschitz: try spectra.lipschitz(weights: w))
            }
            if found.value > candidate.score {
                candidate = Candidate(
                    rung: .sgn, weights: found.weights, margin: try gamma.margin(weights: found.weights),
                    lipschitz: try spectra.lipschitz(weights: found.weights), score: found.value)
            }
        }
        return candidate
    }

    /// Rung 3: the exact margin in the metric, searched from the best of the first two rungs'
    /// weights. Dense games of up to `GlobalWeights.maxPlayers` players get the global optimum of
    /// the rate with a proven upper bound (GlobalWeights.swift), started from the SGN weights, so
    /// that `verify` can rerun the same search; the euler/rk4 objectives refine it locally. The
    /// iterative path keeps the local search (each evaluation is Krylov work).
    func weightedRung(_ analysis: Analysis, euclidean: Candidate, sgn: Candidate, exactAtSGN: Double) throws -> (
        candidate: Candidate, upperBound: Double?
    ) {
        let spectra = analysis.spectra
        let n = analysis.playerCount
        let objective = self.objective
        let startScores = [
            (analysis.unitWeights, objective.value(margin: euclidean.margin, lipschitz: analysis.euclideanLipschitz)),
            (sgn.weights, objective.value(margin: exactAtSGN, lipschitz: sgn.lipschitz)),
        ]
        let start = startScores.max { $0.1 < $1.1 }!.0
        let global =
            n >= 2 && n <= GlobalWeights.maxPlayers && spectra.usesDense
            ? try GlobalWeights.maximize(analysis.set, starts: [analysis.sgn.weights]) : nil
        var localStart = start
        if let global, objective != .rate {
            let g = objective.value(margin: global.margin, lipschitz: try spectra.lipschitz(weights: global.weights))
            if g > startScores.map(\.1).max()! { localStart = global.weights }
        }
        // A search rarely revisits a point, so its evaluations bypass the cache; without a search
        // (too many players) the start's margin is the one already cached.
        let searching = n >= 2 && n <= WeightSearch.maxPlayers
        let weighted: (weights: [Double], value: Double)
        if let global, objective == .rate {
            weighted = (global.weights, global.margin)
        } else {
            weighted = try WeightSearch.maximize(from: localStart) { w in
                // The rate objective ignores β: skip its singular values (the dearer half of each
                // evaluation, multiplied by every sampled Jacobian of a sampled game).
                objective == .rate
                    ? try spectra.margin(weights: w, remember: !searching)
                    : objective.value(
                        margin: try spectra.margin(weights: w, remember: !searching),
                        lipschitz: try spectra.lipschitz(weights: w, remember: !searching))
            }
        }
        let margin = try spectra.margin(weights: weighted.weights)
        let lipschitz = try spectra.lipschitz(weights: weighted.weights)
        let candidate = Candidate(
            rung: .weighted, weights: weighted.weights, margin: margin, lipschitz: lipschitz,
            score: objective.value(margin: margin, lipschitz: lipschitz))
        return (candidate, global.map { max($0.upperBound, margin) })
    }

    /// Rung 4, the last resort: a full Lyapunov metric, for unconstrained games with an exact
    /// Jacobian whose eigenvalues all have positive real part (LyapunovMetric.swift). It is
    /// evaluated only when no block-diagonal rung certifies (docs/method.md, "When it is used").
    func lyapunovRung(_ game: any Game, _ analysis: Analysis, _ ladder: inout Ladder) throws {
        let set = analysis.set
        let size = set.dims.reduce(0, +)
        var skipped =
            analysis.hasMargins
            ? LyapunovMetric.skipReason(game, estimation: set.estimation, size: size)
            : Self.notEvaluatedReason
        let limit =
            set.estimation == .exact && analysis.spectra.usesDense ? try Verifier.spectralAbscissaBound(set) : nil
        ladder.spectralLimit = limit
        if skipped == nil,
            ladder.candidates.contains(where: { c in
                c.margin > Tolerance.marginThreshold(scale: c.lipschitz) && c.lipschitz > 0 && c.lipschitz.isFinite
            })
        {
            skipped = "not needed: a block-diagonal rung certifies (the full metric is the last resort)"
        }
        if skipped == nil, let limit {
            if limit > Tolerance.marginThreshold(scale: analysis.euclideanLipschitz) {
                ladder.lyapunov = try LyapunovMetric.find(set.jacobians[0].dense(), limit: limit, objective: objective)
                if ladder.lyapunov == nil { skipped = "no positive definite Lyapunov metric could be computed" }
            } else {
                skipped =
                    """
                    min Re(eigenvalue of J) = \(JSONWriter.format(limit)) is not above the margin tolerance: no metric \
                    gives a margin that certifies
                    """
            }
        }
        if let l = ladder.lyapunov {
            ladder.candidates.append(
                Candidate(
                    rung: .lyapunov, weights: analysis.unitWeights, margin: l.margin, lipschitz: l.lipschitz,
                    score: objective.value(margin: l.margin, lipschitz: l.lipschitz)))
        }
        ladder.lyapunovSkipped = skipped
    }
}
