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

    public init(objective: Objective = .rate, rigorous: Bool = false, estimationMode: EstimationMode = .auto,
                proofBudget: Int = RegionProof.certifyBudget) {
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
        var constants = try BlockConstants(set)
        Trace.log("certify: constants done")
        let sampledGamma = ComparisonMatrix(constants), sampledConstants = constants
        var gamma = sampledGamma
        let spectra = MetricSpectra(set)
        let n = constants.playerCount
        let ones = [Double](repeating: 1, count: n)
        let objective = self.objective

        // Rungs 1 and 2 (and τ(Γ)'s neighbour ρ(G)) are independent: on the iterative path each
        // is seconds of Krylov work, so they run side by side.
        let concurrent = !spectra.usesDense
        let (first, second) = try Parallel.both(concurrently: concurrent) { () throws -> (Candidate, Double?, Equilibrium??) in
            // Rung 1: Euclidean (identity weights in the game's geometry).
            let margin = try spectra.margin(weights: ones)
            let lipschitz = try spectra.lipschitz(weights: ones)
            let euclidean = Candidate(rung: .euclidean, weights: ones, margin: margin, lipschitz: lipschitz,
                                      score: objective.value(margin: margin, lipschitz: lipschitz))
            // The equilibrium, when it does not need the certified step, is independent work too.
            let equilibrium: Equilibrium?? = concurrent && !game.equilibriumUsesStep ? .some(game.equilibrium(certifiedStep: nil)) : nil
            return (euclidean, try sampledGamma.gainSpectralRadius(), equilibrium)
        } _: { () throws -> (SGNWeights, Candidate, Double) in
            // Rung 2: SGN, from the block constants alone.
            let sgn = try OptimalWeights.compute(sampledGamma)
            var candidate = Candidate(rung: .sgn, weights: sgn.weights, margin: sgn.margin,
                                      lipschitz: try spectra.lipschitz(weights: sgn.weights), score: 0)
            candidate.score = objective.value(margin: candidate.margin, lipschitz: candidate.lipschitz)
            if objective != .rate && sgn.margin > 0 {
                let found = try WeightSearch.maximize(from: sgn.weights) { w in
                    objective.value(margin: try sampledGamma.margin(weights: w), lipschitz: try spectra.lipschitz(weights: w))
                }
                if found.value > candidate.score {
                    candidate = Candidate(rung: .sgn, weights: found.weights, margin: try sampledGamma.margin(weights: found.weights),
                                          lipschitz: try spectra.lipschitz(weights: found.weights), score: found.value)
                }
            }
            // The exact margin at the SGN weights: where rung 3 may start.
            let start = candidate.weights == sgn.weights ? sgn.perronVector : nil
            return (sgn, candidate, try spectra.margin(weights: candidate.weights, start: start))
        }
        let (euclidean, sampledRho, earlyEquilibrium) = first
        let (sgn, sgnCandidate, exactAtSGN) = second
        let euclideanMargin = euclidean.margin, euclideanLipschitz = euclidean.lipschitz
        var candidates = [euclidean, sgnCandidate]
        var rho = sampledRho
        var sgnStated = sgn

        // Rung 3: the exact margin in the metric, searched from the best of the two starts.
        let startScores = [(ones, objective.value(margin: euclideanMargin, lipschitz: euclideanLipschitz)),
                           (sgnCandidate.weights, objective.value(margin: exactAtSGN, lipschitz: sgnCandidate.lipschitz))]
        let start = startScores.max { $0.1 < $1.1 }!.0
        // A search rarely revisits a point, so its evaluations bypass the cache; without a search
        // (too many players) the start's margin is the one already cached.
        let searching = n >= 2 && n <= WeightSearch.maxPlayers
        let weighted = try WeightSearch.maximize(from: start) { w in
            // The rate objective ignores β: skip its singular values (the dearer half of each
            // evaluation, multiplied by every sampled Jacobian of a sampled game).
            objective == .rate ? try spectra.margin(weights: w, remember: !searching)
                : objective.value(margin: try spectra.margin(weights: w, remember: !searching),
                                  lipschitz: try spectra.lipschitz(weights: w, remember: !searching))
        }
        let weightedMargin = try spectra.margin(weights: weighted.weights)
        let weightedLipschitz = try spectra.lipschitz(weights: weighted.weights)
        candidates.append(Candidate(rung: .weighted, weights: weighted.weights, margin: weightedMargin,
                                    lipschitz: weightedLipschitz,
                                    score: objective.value(margin: weightedMargin, lipschitz: weightedLipschitz)))

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
        var margins: [Certificate.Rung: Double] = [.euclidean: euclideanMargin, .sgn: sgnCandidate.margin, .weighted: weightedMargin]
        var euclideanLipschitzStated = euclideanLipschitz
        var proofReport: Certificate.ProofReport? = nil
        var proofFailure: String? = nil
        // Proven constants (docs/markov-games.md, "Proven constants"): the sampled values are the
        // targets; on success every stated constant, margin and β is a bound on the whole region.
        if estimationMode != .sampled, case .sampled = set.estimation, certified {
            Trace.log("certify: proof")
            // Built only from what the certificate states (its weights) and the sampled set, so
            // that `verify` rebuilds the same request and re-runs the same proof.
            let request = BoundRequest(constants: constants, marginWeights: [ones, best.weights],
                                       marginTargets: [euclideanMargin, try spectra.margin(weights: best.weights)],
                                       lipschitzWeights: [ones, best.weights], lipschitzTargets: [euclideanLipschitz, best.lipschitz])
            let work = game.proofWorkPerBox
            let attempt = estimationMode == .proven || work <= RegionProof.autoWorkLimit
            if !attempt {
                proofReport = .init(boxes: nil, gap: nil, reason: "proof not attempted by default: a sub-box costs \(work) enclosure columns, above the automatic limit of \(RegionProof.autoWorkLimit); use --estimation proven")
            }
            switch attempt ? game.proveRegion(request, budget: proofBudget) : nil {
            case let .proven(b)?:
                let provenGamma = ComparisonMatrix(b.constants)
                let sgnMargin = try provenGamma.margin(weights: sgnCandidate.weights)
                // margins.weighted of a weighted rung that does not certify stays the sampled value
                // (its weights are not stated, so nothing about them was proven).
                let provenMargins: [Certificate.Rung: Double] = [.euclidean: b.margins[0], .sgn: sgnMargin,
                                                                 .weighted: best.rung == .weighted ? b.margins[1] : weightedMargin]
                let rate = provenMargins[best.rung]!, beta = b.lipschitz[1]
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
                    estimation = .proven(boxes: b.boxes, gap: b.gap)
                    proofReport = .init(boxes: b.boxes, gap: b.gap, reason: nil)
                } else {
                    proofFailure = "the bounds proven on the region (\(b.boxes) sub-boxes) do not establish a positive margin for the \(best.rung.rawValue) rung: proven margin >= \(rate), beta <= \(beta)"
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
                        if case let .proven(b)? = game.proveRegion(request, budget: max(1, proofBudget / RegionProof.halvings), radius: radius),
                           b.margins[best.rung == .euclidean ? 0 : 1] > Tolerance.marginThreshold(scale: b.lipschitz[1]) {
                            note += "; proven with a positive margin on the box of radius \(radius) (\(b.boxes) sub-boxes): try --radius \(radius)"
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

        if estimationMode == .proven, !certified, let failure = proofReport?.reason, best.margin > threshold {
            certificate.reason = "--estimation proven: \(failure)"
        } else if certified {
            certificate.steps = Certifier.stepSizes(for: game, estimation: estimation, margin: best.margin,
                                                    lipschitz: best.lipschitz)
            certificate.basinRadius = game.basinRadius(weights: best.weights)
        } else if certificate.reason == nil {
            certificate.reason = Self.reason(constants: constants, rho: rho, candidates: candidates, threshold: threshold,
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
            certificate.timescaleBand = .init(lower: band.lower, upper: band.upper, optimum: sgn.weights[1] / sgn.weights[0])
        } else if n > 2, n <= TimescaleBand.maxPlayers, sgn.margin > 0,
                  let bands = try TimescaleBand.perPlayer(sampledGamma, weights: sgn.weights) {
            certificate.weightBands = bands.map { .init(lower: $0.lower, upper: $0.upper) }
        }
        Trace.log("certify: equilibrium")
        certificate.equilibrium = earlyEquilibrium ?? game.equilibrium(certifiedStep: certified ? certificate.steps?.euler.recommended : nil)
        if !spectra.usesDense || !gamma.usesDense {
            // Coordinate-level Lanczos estimates cost more than the proof itself; informative only, so
            // they are skipped for the largest games.
            let estimate = !spectra.usesDense && set.dims.reduce(0, +) <= MetricSpectra.estimateLimit
            let estimates = estimate ? try spectra.estimates(weights: best.weights) : nil
            certificate.iterative = IterativeNumerics(
                comparison: gamma.usesDense ? "dense" : "iterative", metric: spectra.usesDense ? "dense" : "iterative",
                eigenTolerance: Tolerance.iterativeRelative, verifiedShift: Tolerance.verifiedShiftRelative,
                solverTolerance: Tolerance.krylovSolveRelative, marginEstimate: estimates?.margin,
                marginResidual: estimates?.marginResidual, lipschitzEstimate: estimates?.lipschitz,
                comparisonEstimate: sgnStated.bound)
        }
        Trace.log("certify: done")
        if rigorous { certificate = RigorousCertifier.apply(RigorousCertifier.check(certificate, game: game), to: certificate) }
        return certificate
    }

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
    static func reason(constants: BlockConstants, rho: Double?, candidates: [Candidate], threshold: Double,
                       names: [String]) -> String {
        var parts: [String] = []
        let flat = constants.curvature.indices.filter { constants.curvature[$0] <= 0 }
        if !flat.isEmpty {
            let list = flat.prefix(5).map { "\(names[$0]) (mu = \(JSONWriter.format(constants.curvature[$0])))" }
            parts.append("no curvature for \(list.joined(separator: ", "))\(flat.count > 5 ? " and \(flat.count - 5) more" : ""): the sgn rung needs every player's own block strongly monotone")
        } else if let rho, rho >= 1 {
            parts.append("gain spectral radius rho(G) = \(JSONWriter.format(rho)) >= 1: coupling outweighs curvature, so no weights make the block bound positive")
        }
        for c in candidates {
            let margin = JSONWriter.format(c.margin)
            if c.margin <= 0 {
                parts.append("\(c.rung.rawValue) margin \(margin) <= 0")
            } else if c.margin <= threshold {
                parts.append("\(c.rung.rawValue) margin \(margin) is within the numerical tolerance \(JSONWriter.format(threshold)) of zero")
            }
        }
        return parts.joined(separator: "; ")
    }
}
