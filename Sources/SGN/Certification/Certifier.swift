/// Runs the whole pipeline for one game: constants → comparison matrix → weights for each rung
/// of the ladder → the best rung → steps, bands, equilibrium → `Certificate`.
public struct Certifier: Sendable {
    public static let version = "1.0.0"

    public var objective: Objective
    /// Prove the verdict despite floating point (`--rigorous`, RigorousCertifier.swift).
    public var rigorous: Bool
    /// Whether to prove the sampled constants on the whole region (`--estimation`).
    public var estimationMode: EstimationMode
    /// Work budget of that proof, in sub-boxes.
    public var proofBudget: Int

    public init(
        objective: Objective = .rate, rigorous: Bool = false, estimationMode: EstimationMode = .auto,
        proofBudget: Int = RegionProof.certifyBudget
    ) {
        self.objective = objective
        self.rigorous = rigorous
        self.estimationMode = estimationMode
        self.proofBudget = proofBudget
    }

    struct Candidate {
        var rung: Certificate.Rung
        var weights: [Double]
        var margin: Double
        var lipschitz: Double
        var score: Double
    }

    public func certify(_ game: any Game) throws -> Certificate {
        Trace.log("certify: start")
        let set: JacobianSet
        do {
            set = try game.jacobians()
        } catch let blocked as GameNotCertifiable {
            return notExamined(game, blocked)
        }
        let analysis = try Analysis(set)
        Trace.log("certify: analysis done")
        var constants = analysis.constants
        let sampledGamma = analysis.gamma
        let sampledConstants = constants
        var gamma = sampledGamma
        let spectra = analysis.spectra
        let n = constants.playerCount
        let ones = [Double](repeating: 1, count: n)
        let objective = self.objective
        // A set of block constants only (no Jacobians) has the sgn rung and a β bound, but no
        // margins in a metric: the euclidean, weighted and lyapunov rungs are not evaluated.
        let hasMargins = spectra.evaluatesMargins

        // Rungs 1 and 2 (and τ(Γ)'s neighbour ρ(G)) are independent: on the iterative path each
        // is seconds of Krylov work, so they run side by side.
        let concurrent = !spectra.usesDense
        let (first, second) = try Parallel.both(concurrently: concurrent) {
            () throws -> (Candidate?, Double, Double?, Equilibrium??) in
            // Rung 1: Euclidean (identity weights in the game's geometry).
            let lipschitz = analysis.euclideanLipschitz
            let euclidean = try hasMargins ? spectra.margin(weights: ones) : nil
            let candidate = euclidean.map { margin in
                Candidate(
                    rung: .euclidean, weights: ones, margin: margin, lipschitz: lipschitz,
                    score: objective.value(margin: margin, lipschitz: lipschitz))
            }
            // The equilibrium, when it does not need the certified step, is independent work too.
            let equilibrium: Equilibrium?? =
                concurrent && !game.equilibriumUsesStep ? .some(game.equilibrium(certifiedStep: nil)) : nil
            return (candidate, lipschitz, analysis.gainSpectralRadius, equilibrium)
        } _: { () throws -> (SGNWeights, Candidate, Double?) in
            // Rung 2: SGN, from the block constants alone.
            let sgn = analysis.sgn
            var candidate = Candidate(
                rung: .sgn, weights: sgn.weights, margin: sgn.margin,
                lipschitz: try spectra.lipschitz(weights: sgn.weights), score: 0)
            candidate.score = objective.value(margin: candidate.margin, lipschitz: candidate.lipschitz)
            if objective != .rate && sgn.margin > 0 {
                let found = try WeightSearch.maximize(from: sgn.weights) { w in
                    objective.value(
                        margin: try sampledGamma.margin(weights: w), lipschitz: try spectra.lipschitz(weights: w))
                }
                if found.value > candidate.score {
                    candidate = Candidate(
                        rung: .sgn, weights: found.weights, margin: try sampledGamma.margin(weights: found.weights),
                        lipschitz: try spectra.lipschitz(weights: found.weights), score: found.value)
                }
            }
            // The exact margin at the SGN weights: where rung 3 may start.
            let start = candidate.weights == sgn.weights ? sgn.perronVector : nil
            return (sgn, candidate, hasMargins ? try spectra.margin(weights: candidate.weights, start: start) : nil)
        }
        let (euclidean, euclideanLipschitz, sampledRho, earlyEquilibrium) = first
        var rho = sampledRho
        let (sgn, sgnCandidate, exactAtSGN) = second
        var candidates = [euclidean, sgnCandidate].compactMap { $0 }
        var weightedMargin: Double? = nil
        var weightedUpperBound: Double? = nil
        if let euclidean, let exactAtSGN {
            // Rung 3: the exact margin in the metric, searched from the best of the two starts.
            let startScores = [
                (ones, objective.value(margin: euclidean.margin, lipschitz: euclideanLipschitz)),
                (sgnCandidate.weights, objective.value(margin: exactAtSGN, lipschitz: sgnCandidate.lipschitz)),
            ]
            let start = startScores.max { $0.1 < $1.1 }!.0
            // Dense games of up to GlobalWeights.maxPlayers players get the global optimum of the rate
            // with a proven upper bound (GlobalWeights.swift), started from the SGN weights (and unit
            // weights), so that `verify` can rerun the same search; the euler/rk4 objectives refine
            // it locally. The iterative path keeps the local search (each evaluation is Krylov work).
            let global =
                n >= 2 && n <= GlobalWeights.maxPlayers && spectra.usesDense
                ? try GlobalWeights.maximize(set, starts: [sgn.weights]) : nil
            var localStart = start
            if let global, objective != .rate {
                let g = objective.value(
                    margin: global.margin, lipschitz: try spectra.lipschitz(weights: global.weights))
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
            let weightedLipschitz = try spectra.lipschitz(weights: weighted.weights)
            candidates.append(
                Candidate(
                    rung: .weighted, weights: weighted.weights, margin: margin,
                    lipschitz: weightedLipschitz,
                    score: objective.value(margin: margin, lipschitz: weightedLipschitz)))
            weightedMargin = margin
            weightedUpperBound = global.map { max($0.upperBound, margin) }
        }

        // Rung 4, the last resort: a full Lyapunov metric, for unconstrained games with an exact
        // Jacobian whose eigenvalues all have positive real part (LyapunovMetric.swift). It is
        // evaluated only when no block-diagonal rung certifies (docs/method.md, "When it is used").
        let size = set.dims.reduce(0, +)
        var lyapunovSkipped =
            hasMargins
            ? LyapunovMetric.skipReason(game, estimation: set.estimation, size: size)
            : Self.notEvaluatedReason
        let limit = set.estimation == .exact && spectra.usesDense ? try Verifier.spectralAbscissaBound(set) : nil
        var lyapunov: LyapunovMetric? = nil
        if lyapunovSkipped == nil,
            candidates.contains(where: { c in
                c.margin > Tolerance.marginThreshold(scale: c.lipschitz) && c.lipschitz > 0 && c.lipschitz.isFinite
            })
        {
            lyapunovSkipped = "not needed: a block-diagonal rung certifies (the full metric is the last resort)"
        }
        if lyapunovSkipped == nil, let limit {
            if limit > Tolerance.marginThreshold(scale: euclideanLipschitz) {
                lyapunov = try LyapunovMetric.find(set.jacobians[0].dense(), limit: limit, objective: objective)
                if lyapunov == nil { lyapunovSkipped = "no positive definite Lyapunov metric could be computed" }
            } else {
                lyapunovSkipped =
                    "min Re(eigenvalue of J) = \(JSONWriter.format(limit)) is not above the margin tolerance: no metric gives a margin that certifies"
            }
        }
        if let l = lyapunov {
            candidates.append(
                Candidate(
                    rung: .lyapunov, weights: ones, margin: l.margin, lipschitz: l.lipschitz,
                    score: objective.value(margin: l.margin, lipschitz: l.lipschitz)))
        }

        // Best rung; near-ties go to the simpler (earlier) rung.
        var best = candidates[0]
        for c in candidates.dropFirst() {
            let gap = Tolerance.rungTieRelative * max(abs(best.score), abs(c.score))
            if c.score > best.score + gap { best = c }
        }
        // Scale of the computation that produced the margin: β in the certifying metric (every
        // entry of the matrices whose eigenvalues give the margin is at most β in magnitude).
        var threshold = Tolerance.marginThreshold(scale: best.lipschitz)
        var certified = best.margin > threshold && best.lipschitz > 0 && best.lipschitz.isFinite

        var estimation = set.estimation
        var margins: [Certificate.Rung: Double] = [
            .euclidean: euclidean?.margin, .sgn: sgnCandidate.margin,
            .weighted: weightedMargin, .lyapunov: lyapunov?.margin,
        ].compactMapValues { $0 }
        var euclideanLipschitzStated = euclideanLipschitz
        var sgnStated = sgn
        var proofReport: Certificate.ProofReport? = nil
        var proofFailure: String? = nil
        // Proven constants (docs/markov-games.md, "Proven constants"): the sampled values are the
        // targets; on success every stated constant, margin and β is a bound on the whole region.
        if estimationMode != .sampled, case .sampled = set.estimation, certified,
            let euclideanMargin = euclidean?.margin
        {
            Trace.log("certify: proof")
            // Built only from what the certificate states (its weights) and the sampled set, so
            // that `verify` rebuilds the same request and re-runs the same proof.
            let request = BoundRequest(
                constants: constants, marginWeights: [ones, best.weights],
                marginTargets: [euclideanMargin, try spectra.margin(weights: best.weights)],
                lipschitzWeights: [ones, best.weights], lipschitzTargets: [euclideanLipschitz, best.lipschitz])
            let work = game.proofWorkPerBox
            let attempt = estimationMode == .proven || work <= RegionProof.autoWorkLimit
            if !attempt {
                proofReport = .init(
                    boxes: nil, gap: nil,
                    reason:
                        "proof not attempted by default: a sub-box costs \(work) enclosure columns, above the automatic limit of \(RegionProof.autoWorkLimit); use --estimation proven"
                )
            }
            switch attempt ? game.proveRegion(request, budget: proofBudget) : nil {
            case let .proven(b)?:
                let provenGamma = ComparisonMatrix(b.constants)
                let sgnMargin = try provenGamma.margin(weights: sgnCandidate.weights)
                // margins.weighted of a weighted rung that does not certify stays the sampled value
                // (its weights are not stated, so nothing about them was proven).
                var provenMargins: [Certificate.Rung: Double] = [.euclidean: b.margins[0], .sgn: sgnMargin]
                provenMargins[.weighted] = best.rung == .weighted ? b.margins[1] : weightedMargin
                let rate = provenMargins[best.rung]!
                let beta = b.lipschitz[1]
                let provenThreshold = Tolerance.marginThreshold(scale: beta)
                if rate > provenThreshold && beta.isFinite {
                    constants = b.constants
                    gamma = provenGamma
                    rho = try gamma.gainSpectralRadius()
                    sgnStated = try OptimalWeights.compute(gamma)
                    margins = provenMargins
                    euclideanLipschitzStated = b.lipschitz[0]
                    best.margin = rate
                    best.lipschitz = beta
                    threshold = provenThreshold
                    certified = true
                    estimation = .proven(method: RegionProof.method, subBoxes: b.boxes, gap: b.gap)
                    proofReport = .init(boxes: b.boxes, gap: b.gap, reason: nil)
                } else {
                    proofFailure =
                        "the bounds proven on the region (\(b.boxes) sub-boxes) do not establish a positive margin for the \(best.rung.rawValue) rung: proven margin >= \(rate), beta <= \(beta)"
                }
            case let .incomplete(reason, boxes)?:
                proofFailure = "proof not completed: \(reason) (\(boxes) sub-boxes)"
            case nil:
                break
            }
            if let failure = proofFailure {
                // The largest radius that is proven: halve the radius a few times within the budget.
                var note = failure
                if let r = game.region.radius {
                    var radius = r
                    for _ in 0..<RegionProof.halvings {
                        radius /= 2
                        if case let .proven(b)? = game.proveRegion(
                            request, budget: max(1, proofBudget / RegionProof.halvings), radius: radius),
                            b.margins[best.rung == .euclidean ? 0 : 1]
                                > Tolerance.marginThreshold(scale: b.lipschitz[1])
                        {
                            note +=
                                "; proven with a positive margin on the box of radius \(radius) (\(b.boxes) sub-boxes): try --radius \(radius)"
                            break
                        }
                    }
                    if !note.contains("try --radius") { note += "; not proven on radius \(radius) either" }
                }
                proofReport = .init(boxes: nil, gap: nil, reason: note)
                if estimationMode == .proven && certified {
                    certified = false
                }
            }
        }

        var certificate = Certificate(
            toolVersion: Certifier.version, gameName: game.name, kind: game.kind, players: game.playerNames,
            dims: game.dims, geometry: game.geometry,
            status: certified ? .certified : .notCertified, certifiedBy: certified ? best.rung : nil,
            reason: nil, objective: objective, estimation: estimation, constants: constants,
            gainSpectralRadius: rho, comparisonBound: sgnStated.bound, irreducible: sgnStated.irreducible,
            margins: margins,
            weights: best.weights, contractionRate: certified ? best.margin : nil, lipschitz: best.lipschitz,
            euclideanLipschitz: euclideanLipschitzStated, marginTolerance: threshold,
            linearAlgebra: spectra.usesDense ? "dense" : "iterative",
            steps: nil, timescaleBand: nil, weightBands: nil, equilibrium: nil, region: game.region, basinRadius: nil)
        certificate.regularisation = game.regularisation
        certificate.proof = proofReport

        certificate.weightedUpperBound = weightedUpperBound
        certificate.spectralLimit = limit
        certificate.lyapunov = lyapunov
        certificate.lyapunovSkipped = lyapunovSkipped
        if !hasMargins { certificate.marginsNotEvaluated = Self.notEvaluatedReason }
        if estimationMode == .proven, !certified, let failure = proofReport?.reason, best.margin > threshold {
            certificate.reason = "--estimation proven: \(failure)"
        } else if certified {
            certificate.steps = Certifier.stepSizes(
                for: game, estimation: estimation, margin: best.margin,
                lipschitz: best.lipschitz)
            certificate.basinRadius = game.basinRadius(weights: best.weights)
        } else if certificate.reason == nil {
            certificate.reason = Self.reason(
                constants: constants, rho: rho, candidates: candidates, threshold: threshold,
                names: game.playerNames)
        }
        // A certificate is about a fixed point of the certified dynamics: one certified step from
        // the reported equilibrium must leave it (to the game's tolerance) where it is.
        if certified, let steps = certificate.steps, let reason = game.fixedPointViolation(step: steps.euler.max) {
            certified = false
            certificate.status = .notCertified
            certificate.certifiedBy = nil
            certificate.contractionRate = nil
            certificate.steps = nil
            certificate.basinRadius = nil
            certificate.reason = reason
        }
        // Timescale bands: from the sampled constants (informative; with proven constants they are
        // not re-derived, docs/markov-games.md).
        if n == 2, let band = TimescaleBand.twoPlayer(sampledConstants) {
            certificate.timescaleBand = .init(
                lower: band.lower, upper: band.upper, optimum: sgn.weights[1] / sgn.weights[0])
        } else if n > 2, n <= TimescaleBand.maxPlayers, sgn.margin > 0,
            let bands = try TimescaleBand.perPlayer(sampledGamma, weights: sgn.weights)
        {
            certificate.weightBands = bands.map { .init(lower: $0.lower, upper: $0.upper) }
        }
        Trace.log("certify: equilibrium")
        certificate.equilibrium =
            earlyEquilibrium ?? game.equilibrium(certifiedStep: certified ? certificate.steps?.euler.recommended : nil)
        if !spectra.usesDense || !gamma.usesDense {
            // Coordinate-level Lanczos estimates cost more than the proof itself; informative only, so
            // they are skipped for the largest games.
            let estimate = hasMargins && !spectra.usesDense && set.dims.reduce(0, +) <= MetricSpectra.estimateLimit
            let estimates = estimate ? try spectra.estimates(weights: best.weights) : nil
            certificate.iterative = IterativeNumerics(
                comparison: gamma.usesDense ? "dense" : "iterative", metric: spectra.usesDense ? "dense" : "iterative",
                eigenTolerance: Tolerance.iterativeRelative, verifiedShift: Tolerance.verifiedShiftRelative,
                solverTolerance: Tolerance.krylovSolveRelative, marginEstimate: estimates?.margin,
                marginResidual: estimates?.marginResidual, lipschitzEstimate: estimates?.lipschitz,
                comparisonEstimate: sgnStated.bound)
        }
        Trace.log("certify: done")
        if rigorous {
            certificate = RigorousCertifier.apply(RigorousCertifier.check(certificate, game: game), to: certificate)
        }
        return certificate
    }

    /// Why the euclidean, weighted and lyapunov rungs have no margin for a game given by block
    /// constants only (`JacobianSet.givenConstants`).
    static let notEvaluatedReason =
        "not evaluated: the game gives block constants, not Jacobians; the euclidean, weighted and lyapunov rungs need the Jacobian"

    /// The certificate of a game that could not be examined: `not_certified` with the game's
    /// reason, no constants (they are reported as null), and whatever equilibrium the game found.
    func notExamined(_ game: any Game, _ blocked: GameNotCertifiable) -> Certificate {
        let n = game.playerNames.count
        let none = [Double](repeating: .nan, count: n)
        var certificate = Certificate(
            toolVersion: Certifier.version, gameName: game.name, kind: game.kind, players: game.playerNames,
            dims: game.dims, geometry: game.geometry, status: .notCertified, certifiedBy: nil, reason: blocked.reason,
            objective: objective, estimation: blocked.estimation,
            constants: BlockConstants(curvature: none, ownSize: none, coupling: Array(repeating: [], count: n)),
            gainSpectralRadius: nil, comparisonBound: .nan, irreducible: false, margins: [:],
            weights: [Double](repeating: 1, count: n), contractionRate: nil, lipschitz: .nan, euclideanLipschitz: .nan,
            marginTolerance: .nan, linearAlgebra: "none", steps: nil, timescaleBand: nil, weightBands: nil,
            equilibrium: game.equilibrium(certifiedStep: nil), region: game.region, basinRadius: nil, examined: false)
        certificate.regularisation = game.regularisation
        return certificate
    }

    /// Plain-words explanation of why no rung certifies.
    static func reason(
        constants: BlockConstants, rho: Double?, candidates: [Candidate], threshold: Double,
        names: [String]
    ) -> String {
        var parts: [String] = []
        let flat = constants.curvature.indices.filter { constants.curvature[$0] <= 0 }
        if !flat.isEmpty {
            let list = flat.prefix(5).map { "\(names[$0]) (mu = \(JSONWriter.format(constants.curvature[$0])))" }
            parts.append(
                "no curvature for \(list.joined(separator: ", "))\(flat.count > 5 ? " and \(flat.count - 5) more" : ""): the sgn rung needs every player's own block strongly monotone"
            )
        } else if let rho, rho >= 1 {
            parts.append(
                "gain spectral radius rho(G) = \(JSONWriter.format(rho)) >= 1: coupling outweighs curvature, so no weights make the block bound positive"
            )
        }
        for c in candidates {
            let margin = JSONWriter.format(c.margin)
            if c.margin <= 0 {
                parts.append("\(c.rung.rawValue) margin \(margin) <= 0")
            } else if c.margin <= threshold {
                parts.append(
                    "\(c.rung.rawValue) margin \(margin) is within the numerical tolerance \(JSONWriter.format(threshold)) of zero"
                )
            }
        }
        return parts.joined(separator: "; ")
    }
}
