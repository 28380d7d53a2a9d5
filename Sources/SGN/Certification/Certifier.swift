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

    /// One rung's weights and what they give.
    struct Candidate {
        var rung: Certificate.Rung
        var weights: [Double]
        var margin: Double
        var lipschitz: Double
        var score: Double
    }

    /// The pipeline in named steps: the game's Jacobians → the shared `Analysis` → the ladder of
    /// rungs → what the certificate states (proven on the region when possible) → the certificate
    /// → its steps, bands, equilibrium and (`--rigorous`) proof.
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
        let ladder = try climb(game, analysis)
        var statement = Statement(analysis, ladder)
        try proveConstants(game, analysis, ladder, &statement)
        var certificate = makeCertificate(game, analysis, ladder, statement)
        stateSteps(&certificate, game, ladder, statement)
        let bands = try Self.bands(analysis)
        certificate.timescaleBand = bands.timescale
        certificate.weightBands = bands.weights
        Trace.log("certify: equilibrium")
        certificate.equilibrium =
            ladder.earlyEquilibrium
            ?? game.equilibrium(
                certifiedStep: certificate.status == .certified ? certificate.steps?.euler.recommended : nil)
        certificate.iterative = try Self.iterativeNumerics(analysis, statement)
        Trace.log("certify: done")
        if rigorous {
            certificate = RigorousCertifier.apply(RigorousCertifier.check(certificate, game: game), to: certificate)
        }
        return certificate
    }

    /// What the certificate states: the best rung (near-ties go to the simpler, earlier rung), the
    /// verdict, and the constants, margins and β it is stated with — the analysis' own, or the
    /// bounds proven on the region (`proveConstants`).
    struct Statement {
        var best: Candidate
        /// Scale of the computation that produced the margin: β in the certifying metric (every
        /// entry of the matrices whose eigenvalues give the margin is at most β in magnitude).
        var threshold: Double
        var certified: Bool
        var estimation: Estimation
        var constants: BlockConstants
        var gamma: ComparisonMatrix
        var rho: Double?
        var sgn: SGNWeights
        var margins: [Certificate.Rung: Double]
        var euclideanLipschitz: Double
        var proof: Certificate.ProofReport? = nil

        init(_ analysis: Analysis, _ ladder: Ladder) {
            var best = ladder.candidates[0]
            for c in ladder.candidates.dropFirst() {
                let gap = Tolerance.rungTieRelative * max(abs(best.score), abs(c.score))
                if c.score > best.score + gap { best = c }
            }
            self.best = best
            threshold = Tolerance.marginThreshold(scale: best.lipschitz)
            certified = best.margin > threshold && best.lipschitz > 0 && best.lipschitz.isFinite
            estimation = analysis.set.estimation
            constants = analysis.constants
            gamma = analysis.gamma
            rho = analysis.gainSpectralRadius
            sgn = analysis.sgn
            margins = [
                .euclidean: ladder.euclidean?.margin, .sgn: ladder.sgn.margin,
                .weighted: ladder.weightedMargin, .lyapunov: ladder.lyapunov?.margin,
            ].compactMapValues { $0 }
            euclideanLipschitz = analysis.euclideanLipschitz
        }
    }

    /// The certificate's numbers, before its steps, bands and equilibrium.
    func makeCertificate(_ game: any Game, _ analysis: Analysis, _ ladder: Ladder, _ s: Statement) -> Certificate {
        let spectra = analysis.spectra
        var certificate = Certificate(
            toolVersion: Certifier.version, gameName: game.name, kind: game.kind, players: game.playerNames,
            dims: game.dims, geometry: game.geometry,
            status: s.certified ? .certified : .notCertified, certifiedBy: s.certified ? s.best.rung : nil,
            reason: nil, objective: objective, estimation: s.estimation, constants: s.constants,
            gainSpectralRadius: s.rho, comparisonBound: s.sgn.bound, irreducible: s.sgn.irreducible,
            margins: s.margins,
            weights: s.best.weights, contractionRate: s.certified ? s.best.margin : nil, lipschitz: s.best.lipschitz,
            euclideanLipschitz: s.euclideanLipschitz, marginTolerance: s.threshold,
            linearAlgebra: LinearAlgebraPath(dense: spectra.usesDense),
            steps: nil, timescaleBand: nil, weightBands: nil, equilibrium: nil, region: game.region, basinRadius: nil)
        certificate.regularisation = game.regularisation
        certificate.proof = s.proof
        certificate.weightedUpperBound = ladder.weightedUpperBound
        certificate.spectralLimit = ladder.spectralLimit
        certificate.lyapunov = ladder.lyapunov
        certificate.lyapunovSkipped = ladder.lyapunovSkipped
        if !analysis.hasMargins { certificate.marginsNotEvaluated = Self.notEvaluatedReason }
        return certificate
    }

    /// The step sizes and basin of a certified game, or why it is not certified; then the check
    /// that the certificate is about a fixed point of the certified dynamics: one certified step
    /// from the reported equilibrium must leave it (to the game's tolerance) where it is.
    func stateSteps(_ certificate: inout Certificate, _ game: any Game, _ ladder: Ladder, _ s: Statement) {
        if estimationMode == .proven, !s.certified, let failure = s.proof?.reason, s.best.margin > s.threshold {
            certificate.reason = "--estimation proven: \(failure)"
        } else if s.certified {
            certificate.steps = Certifier.stepSizes(
                for: game, estimation: s.estimation, margin: s.best.margin,
                lipschitz: s.best.lipschitz)
            if let euler = certificate.steps?.euler {
                switch game.basinRadius(weights: s.best.weights, step: euler.recommended, factor: euler.factor) {
                case let .success(radius): certificate.basinRadius = radius
                case let .failure(failure): Self.withdraw(&certificate, reason: failure.reason)
                }
            }
        } else if certificate.reason == nil {
            certificate.reason = Self.reason(
                constants: s.constants, rho: s.rho, candidates: ladder.candidates, threshold: s.threshold,
                names: game.playerNames)
        }
        if certificate.status == .certified, let steps = certificate.steps,
            let reason = game.fixedPointViolation(step: steps.euler.max)
        {
            Self.withdraw(&certificate, reason: reason)
        }
    }

    /// A certified verdict withdrawn after the fact (the equilibrium is not shown to be one).
    static func withdraw(_ certificate: inout Certificate, reason: String) {
        certificate.status = .notCertified
        certificate.certifiedBy = nil
        certificate.contractionRate = nil
        certificate.steps = nil
        certificate.basinRadius = nil
        certificate.reason = reason
    }

    /// Timescale bands: from the analysis' (sampled) constants and SGN weights — informative; with
    /// proven constants they are not re-derived (docs/markov-games.md).
    static func bands(_ analysis: Analysis) throws -> (timescale: Certificate.Band?, weights: [Certificate.WeightBand]?)
    {
        let n = analysis.playerCount
        let sgn = analysis.sgn
        if n == 2, let band = TimescaleBand.twoPlayer(analysis.constants) {
            return (.init(lower: band.lower, upper: band.upper, optimum: sgn.weights[1] / sgn.weights[0]), nil)
        }
        if n > 2, n <= TimescaleBand.maxPlayers, sgn.margin > 0,
            let bands = try TimescaleBand.perPlayer(analysis.gamma, weights: sgn.weights)
        {
            return (nil, bands.map { .init(lower: $0.lower, upper: $0.upper) })
        }
        return (nil, nil)
    }

    /// How the iterative path computed its figures (nil when everything was dense). The
    /// coordinate-level Lanczos estimates cost more than the proof itself; informative only, so
    /// they are skipped for the largest games.
    static func iterativeNumerics(_ analysis: Analysis, _ s: Statement) throws -> IterativeNumerics? {
        let spectra = analysis.spectra
        guard !spectra.usesDense || !s.gamma.usesDense else { return nil }
        let estimate =
            analysis.hasMargins && !spectra.usesDense && analysis.set.dims.reduce(0, +) <= MetricSpectra.estimateLimit
        let estimates = estimate ? try spectra.estimates(weights: s.best.weights) : nil
        return IterativeNumerics(
            comparison: LinearAlgebraPath(dense: s.gamma.usesDense),
            metric: LinearAlgebraPath(dense: spectra.usesDense),
            eigenTolerance: Tolerance.iterativeRelative, verifiedShift: Tolerance.verifiedShiftRelative,
            solverTolerance: Tolerance.krylovSolveRelative, marginEstimate: estimates?.margin,
            marginResidual: estimates?.marginResidual, lipschitzEstimate: estimates?.lipschitz,
            comparisonEstimate: s.sgn.bound)
    }

    /// Why the euclidean, weighted and lyapunov rungs have no margin for a game given by block
    /// constants only (`JacobianSet.givenConstants`).
    static let notEvaluatedReason =
        """
        not evaluated: the game gives block constants, not Jacobians; the euclidean, weighted and lyapunov rungs need \
        the Jacobian
        """

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
            marginTolerance: .nan, linearAlgebra: nil, steps: nil, timescaleBand: nil, weightBands: nil,
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
                """
                no curvature for \
                \(list.joined(separator: ", "))\(flat.count > 5 ? " and \(flat.count - 5) more" : ""): the sgn rung \
                needs every player's own block strongly monotone
                """
            )
        } else if let rho, rho >= 1 {
            parts.append(
                """
                gain spectral radius rho(G) = \(JSONWriter.format(rho)) >= 1: coupling outweighs curvature, so no \
                weights make the block bound positive
                """
            )
        }
        for c in candidates {
            let margin = JSONWriter.format(c.margin)
            if c.margin <= 0 {
                parts.append("\(c.rung.rawValue) margin \(margin) <= 0")
            } else if c.margin <= threshold {
                parts.append(
                    """
                    \(c.rung.rawValue) margin \(margin) is within the numerical tolerance \
                    \(JSONWriter.format(threshold)) of zero
                    """
                )
            }
        }
        return parts.joined(separator: "; ")
    }
}
