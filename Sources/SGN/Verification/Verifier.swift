import Foundation

/// One checked statement of a certificate.
public struct Claim: Sendable {
    /// The certificate field (JSON path) the claim is about.
    public var claim: String
    /// What was checked, in words (the safe direction and the tolerance).
    public var check: String
    public var stated: JSONValue
    public var recomputed: JSONValue
    public var holds: Bool

    public var json: JSONValue {
        .object([
            ("claim", .string(claim)), ("stated", stated), ("recomputed", recomputed), ("holds", .bool(holds)),
            ("check", .string(check)),
        ])
    }
}

/// The outcome of `sgn verify`.
public struct VerificationReport: Sendable {
    public var gameName: String
    public var claims: [Claim]
    /// Sampled constants re-checked at independent points (nil for exact constants). Reported,
    /// not part of `holds`: a disagreement means the sampled estimates are not bounds on the
    /// region (the certificate labels them as estimates), not that a stated claim is false.
    public var independentCheck: Claim? = nil

    public var holds: Bool { claims.allSatisfy(\.holds) }
    public var failed: [Claim] { claims.filter { !$0.holds } }
    /// 0 when every claim holds, 1 when one fails.
    public var exitCode: Int32 { holds ? 0 : 1 }

    public func json(gameFile: String? = nil, certificateFile: String? = nil) -> JSONValue {
        var out: [(key: String, value: JSONValue)] = [("verification", .string("sgn-verify/1"))]
        out.append(("game", .object([("name", .string(gameName))] + (gameFile.map { [("file", .string($0))] } ?? []))))
        if let certificateFile { out.append(("certificate", .string(certificateFile))) }
        out.append(("result", .string(holds ? "verified" : "failed")))
        out.append(("claims", .array(claims.map(\.json))))
        if let independentCheck { out.append(("independent_check", independentCheck.json)) }
        out.append(
            (
                "summary",
                .object([
                    ("claims", .number(Double(claims.count))),
                    ("holding", .number(Double(claims.count - failed.count))),
                    ("failed", .array(failed.map { .string($0.claim) })),
                ])
            ))
        return .object(out)
    }
}

/// Re-checks a certificate against its game, independently of how it was produced: the
/// constants, margins and Lipschitz constant are recomputed from the game at the certificate's
/// own weights, the step sizes are recomputed from the stated margin and Lipschitz constant,
/// and every figure is compared in its safe direction (docs/verify-simulate-plot.md).
public struct Verifier: Sendable {
    public init() {}

    public func verify(game: any Game, certificate s: StatedCertificate) throws -> VerificationReport {
        // The certificate must be about this game.
        let identity = Self.identityClaim(game, s)
        guard identity.holds else { return VerificationReport(gameName: game.name, claims: [identity]) }
        let set: JacobianSet
        do {
            set = try game.jacobians()
        } catch {
            return VerificationReport(gameName: game.name, claims: [identity, Self.notExaminableClaim(s, error)])
        }
        let (estimation, stepEstimation) = try Self.estimationClaim(game: game, certificate: s, set: set)
        let check = try Recomputation(game: game, certificate: s, set: set)
        var claims = [identity, estimation]
        claims += try check.constantClaims()
        // Sampled constants against independent points: reported next to the claims (an estimate
        // labelled as such is not false because another sample beats it), not part of the verdict.
        let independent = try game.independentJacobians().map {
            try Self.independentClaim($0, certificate: s, names: check.names, tolerance: check.absTol)
        }
        claims += try check.marginClaims()
        let metric = try check.metricAtWeights()
        claims += metric.claims
        claims += check.statusClaims(metric)
        claims += check.stepClaims(stepEstimation: stepEstimation)
        claims += try check.bandClaims()
        claims += check.equilibriumClaims()
        claims += check.regionClaims(safeWeights: metric.safeWeights)
        claims += try check.rigorClaims()
        return VerificationReport(gameName: game.name, claims: claims, independentCheck: independent)
    }

    /// Kind, geometry, player names and dimensions equal the game file's.
    static func identityClaim(_ game: any Game, _ s: StatedCertificate) -> Claim {
        Claim(
            claim: "game", check: "kind, geometry, player names and dimensions equal the game file's",
            stated: identity(s.kind, s.geometry, s.players, s.dims),
            recomputed: identity(game.kind, game.geometry, game.playerNames, game.dims),
            holds: s.kind == game.kind && s.geometry == game.geometry && s.players == game.playerNames
                && s.dims == game.dims)
    }

    /// The game cannot be examined (e.g. no equilibrium to centre its region on): only a
    /// certificate that promises nothing can be right about it.
    static func notExaminableClaim(_ s: StatedCertificate, _ error: any Error) -> Claim {
        let empty = s.certifiedBy == nil && s.contractionRate == nil && s.steps == nil
        return Claim(
            claim: "status", check: "a game that cannot be examined can only be not_certified, with nothing promised",
            stated: .string(s.status.rawValue), recomputed: .string("not examinable: \(error)"),
            holds: s.status == .notCertified && empty)
    }

    /// How the constants were obtained, and the estimation the step guarantees are judged by:
    /// Markov proofs are re-run (the game's own Jacobians are samples); games that enclose their
    /// Jacobian (smooth, jacobians) are re-proven by the recomputation of the set.
    static func estimationClaim(game: any Game, certificate s: StatedCertificate, set: JacobianSet) throws -> (
        Claim, Estimation
    ) {
        if case let .proven(method, _, _) = s.estimation, method == RegionProof.method {
            let claim = try recheckProof(game: game, certificate: s, set: set)
            return (claim, claim.holds ? s.estimation : set.estimation)
        }
        let claim = Claim(
            claim: "constants.estimation",
            check: "how the constants are obtained (sampled: the same count, seed and method) equals the game's",
            stated: .string(describe(s.estimation)), recomputed: .string(describe(set.estimation)),
            holds: s.estimation == set.estimation)
        return (claim, set.estimation)
    }

    /// Two players: the stated band must lie inside the recomputed one, and the SGN margin at
    /// its ends must reach the target; the stated optimum must give the SGN weights' margin.
    static func checkBand(
        _ band: Certificate.Band, constants: BlockConstants, gamma: ComparisonMatrix,
        sgn: SGNWeights, absTol: Double
    ) throws -> Claim {
        let rel = Tolerance.bandRelative
        let recomputed = TimescaleBand.twoPlayer(constants, target: band.target)
        // `lower` is 0 exactly when L_12 = 0 (docs/method.md §6); ratio 0 is no metric, so that end
        // is not evaluated.
        var holds = band.target >= 0 && band.lower >= 0 && band.lower <= band.optimum && band.optimum > 0
        if let upper = band.upper { holds = holds && band.optimum <= upper }
        if let r = recomputed {
            holds = holds && band.lower >= r.lower * (1 - rel)
            if let ru = r.upper { holds = holds && band.upper != nil && band.upper! <= ru * (1 + rel) }
        } else {
            holds = false
        }
        var edges = [band.optimum]
        if band.lower > 0 { edges.append(band.lower) }
        if let u = band.upper { edges.append(u) }
        var edgeMargins: [Double] = []
        for r in edges where r > 0 && r.isFinite { edgeMargins.append(try gamma.margin(weights: [1, r])) }
        if edgeMargins.count == edges.count {
            holds = holds && edgeMargins.allSatisfy { $0 >= band.target - absTol }
            holds = holds && edgeMargins[0] >= sgn.margin - absTol
        } else {
            holds = false
        }
        return Claim(
            claim: "timescale_band",
            check:
                """
                [lower, upper] inside the recomputed band; SGN margin >= target at both ends; the optimum gives the \
                SGN weights' margin
                """,
            stated: .object([
                ("target_margin", .number(band.target)), ("lower", .number(band.lower)),
                ("upper", .number(band.upper)), ("optimum", .number(band.optimum)),
            ]),
            recomputed: .object([
                ("lower", .number(recomputed?.lower)), ("upper", .number(recomputed?.upper)),
                ("optimum", .number(sgn.weights[1] / sgn.weights[0])),
                ("margin_at_optimum", .number(edgeMargins.first)),
            ]),
            holds: holds)
    }

    /// More players: each stated factor interval must lie inside the recomputed one.
    static func checkWeightBands(
        _ stated: [(lower: Double?, upper: Double?)], gamma: ComparisonMatrix, sgn: SGNWeights,
        names: [String], absTol: Double
    ) throws -> Claim {
        let rel = Tolerance.bandRelative
        let recomputed = try TimescaleBand.perPlayer(gamma, weights: sgn.weights)
        var holds = recomputed != nil
        if let recomputed {
            for (s, r) in zip(stated, recomputed) {
                if let rl = r.lower { holds = holds && s.lower != nil && s.lower! >= rl * (1 - rel) }
                if let ru = r.upper { holds = holds && s.upper != nil && s.upper! <= ru * (1 + rel) }
            }
            for (i, s) in stated.enumerated() {
                for t in [s.lower, s.upper].compactMap({ $0 }) where t > 0 && t.isFinite {
                    var v = sgn.weights
                    v[i] *= t
                    let m = try gamma.margin(weights: v)
                    holds = holds && m >= -absTol
                }
            }
        }
        func json(_ b: [(lower: Double?, upper: Double?)]?) -> JSONValue {
            guard let b else { return .null }
            return .object(
                zip(names, b).map { ($0, .object([("lower", .number($1.lower)), ("upper", .number($1.upper))])) })
        }
        return Claim(
            claim: "weight_bands",
            check:
                "each player's interval inside the recomputed one (SGN weights, target 0); SGN margin >= 0 at its ends",
            stated: json(stated), recomputed: json(recomputed), holds: holds)
    }

    /// Largest state dimension for which general (nonsymmetric) eigenvalues of J are computed
    /// densely (`dgeev`, several times the cost of the symmetric solver certify uses).
    public static let generalEigenLimit = Limits.generalEigenOrder

    /// `min Re λ(J)` over the set: no metric gives a larger margin. nil for games beyond
    /// `generalEigenLimit`, where the claim is not checked.
    static func spectralAbscissaBound(_ set: JacobianSet) throws -> Double? {
        guard let size = set.jacobians.first?.size, size <= generalEigenLimit else { return nil }
        var bound = Double.infinity
        for j in set.jacobians { bound = min(bound, try LAPACK.eigen(j.dense()).real.min() ?? .infinity) }
        return bound
    }

    static func identity(_ kind: String, _ geometry: String?, _ players: [String], _ dims: [Int]) -> JSONValue {
        var pairs: [(key: String, value: JSONValue)] = [("kind", .string(kind))]
        if let geometry { pairs.append(("geometry", .string(geometry))) }
        pairs.append(("players", .array(players.map { .string($0) })))
        pairs.append(("dims", .array(dims.map { .number(Double($0)) })))
        return .object(pairs)
    }

    /// A stated step figure holds when it is at most the recomputed one (with rounding slack
    /// `up`); a null figure holds only where the recomputation states none either (boxed RK4).
    static func atMost(_ stated: Double?, _ expected: Double?, _ up: Double) -> Bool {
        switch (stated, expected) {
        case let (s?, e?): return s <= e * up
        case (nil, nil): return true
        default: return false
        }
    }

    /// Sampled constants re-checked at independent points (another seed, more points): every
    /// stated constant, and β and the rate at the certificate's weights, must be on the safe side
    /// of every new point. A failure is a point of the region where the sampled claim is false.
    static func independentClaim(
        _ set: JacobianSet, certificate s: StatedCertificate, names: [String],
        tolerance: Double
    ) throws -> Claim {
        let c = try BlockConstants(set)
        let spectra = MetricSpectra(set)
        var holds =
            zip(s.curvature, c.curvature).allSatisfy { $0 <= $1 + tolerance }
            && zip(s.ownSize, c.ownSize).allSatisfy { $0 >= $1 - tolerance }
        for i in names.indices {
            for (j, l) in c.coupling[i] where (s.coupling[i][j] ?? 0) < l - tolerance { holds = false }
        }
        var recomputed: [(key: String, value: JSONValue)] = [
            ("curvature", .object(zip(names, c.curvature).map { ($0, .number($1)) })),
            ("own_size", .object(zip(names, c.ownSize).map { ($0, .number($1)) })),
        ]
        let w = s.weights
        if w.allSatisfy({ $0.isFinite && $0 > 0 }) {
            let beta = try spectra.lipschitz(weights: w)
            recomputed.append(("lipschitz", .number(beta)))
            if let stated = s.lipschitz, stated < beta - tolerance { holds = false }
            if let rung = s.certifiedBy, let rate = s.contractionRate {
                let margin = rung == .sgn ? try ComparisonMatrix(c).margin(weights: w) : try spectra.margin(weights: w)
                recomputed.append(("contraction_rate", .number(margin)))
                if rate > margin + tolerance { holds = false }
            }
        }
        guard case let .sampled(count, seed, _) = set.estimation else {
            preconditionFailure("independent sets are sampled")
        }
        return Claim(
            claim: "constants.independent_sample",
            check:
                """
                the stated constants (and beta and contraction_rate at the weights) are on the safe side of the values \
                at \(count) independent points (seed \(seed)) of the region (tolerance as above)
                """,
            stated: .object([
                ("curvature", .object(zip(names, s.curvature).map { ($0, .number($1)) })),
                ("own_size", .object(zip(names, s.ownSize).map { ($0, .number($1)) })),
                ("lipschitz", .number(s.lipschitz)), ("contraction_rate", .number(s.contractionRate)),
            ]),
            recomputed: .object(recomputed), holds: holds)
    }

    static func describe(_ e: Estimation) -> String {
        switch e {
        case .exact: return "exact"
        case let .sampled(count, seed, method):
            return "sampled: \(counted(count, "point")), seed \(seed), \(method.prose)"
        case let .proven(method, boxes, gap):
            return "proven: \(method.prose)" + (boxes.map { ", \($0) sub-boxes" } ?? "")
                + (gap.map { ", gap \(JSONWriter.format($0))" } ?? "")
        }
    }

    /// Re-runs the proof of a proven certificate with the request `certify` builds (the sampled
    /// constants, margins and β at the unit weights and at the certificate's weights as targets;
    /// deterministic), and checks that it completes with the stated sub-box count and that every
    /// stated constant, the certifying rung's margin, β and the euclidean β are on the safe side
    /// of the re-proven bounds.
    static func recheckProof(game: any Game, certificate s: StatedCertificate, set: JacobianSet) throws -> Claim {
        let check =
            """
            the proof is re-run with the certificate's weights (same engine, same request): it completes with the \
            stated sub-box count, and the stated curvature, own sizes, couplings, beta, euclidean beta and contraction \
            rate are on the safe side of the re-proven bounds
            """
        let names = game.playerNames
        let n = names.count
        let ones = [Double](repeating: 1, count: n)
        let w = s.weights
        let sampled = try BlockConstants(set)
        let spectra = MetricSpectra(set)
        let request = BoundRequest(
            constants: sampled, marginWeights: [ones, w],
            marginTargets: [try spectra.margin(weights: ones), try spectra.margin(weights: w)],
            lipschitzWeights: [ones, w],
            lipschitzTargets: [try spectra.lipschitz(weights: ones), try spectra.lipschitz(weights: w)])
        guard case let .proven(_, statedBoxes?, _) = s.estimation else {
            preconditionFailure("a proven Markov certificate")
        }
        guard let proof = game.proveRegion(request, budget: max(statedBoxes, RegionProof.certifyBudget)) else {
            return Claim(
                claim: "constants.estimation", check: check, stated: .string(describe(s.estimation)),
                recomputed: .string("this game class has no proof"), holds: false)
        }
        guard case let .proven(b) = proof else {
            if case let .incomplete(reason, _) = proof {
                return Claim(
                    claim: "constants.estimation", check: check, stated: .string(describe(s.estimation)),
                    recomputed: .string("not proven: \(reason)"), holds: false)
            }
            preconditionFailure()
        }
        let scale = max(b.lipschitz[0], Double.leastNormalMagnitude)
        let tol = Tolerance.verificationRelative * scale
        var holds = b.boxes == statedBoxes
        holds = holds && zip(s.curvature, b.constants.curvature).allSatisfy { $0 <= $1 + tol }
        holds = holds && zip(s.ownSize, b.constants.ownSize).allSatisfy { $0 >= $1 - tol }
        for i in 0..<n {
            for j in 0..<n where j != i { holds = holds && (s.coupling[i][j] ?? 0) >= b.constants.coupling(i, j) - tol }
        }
        if let beta = s.lipschitz { holds = holds && beta >= b.lipschitz[1] - tol }
        if let rung = s.certifiedBy, let rate = s.contractionRate {
            let proven =
                rung == .sgn
                ? try ComparisonMatrix(b.constants).margin(weights: w) : b.margins[rung == .euclidean ? 0 : 1]
            holds = holds && rate <= proven + tol
        }
        return Claim(
            claim: "constants.estimation", check: check, stated: .string(describe(s.estimation)),
            recomputed: .string(describe(.proven(method: RegionProof.method, subBoxes: b.boxes, gap: b.gap))),
            holds: holds)
    }
}

/// What `Verifier.verify` recomputes from the game once (constants, Γ, spectra, SGN weights,
/// tolerances), and the claims it checks against them, one group per method.
struct Recomputation {
    let game: any Game
    let s: StatedCertificate
    let names: [String]
    /// The same prologue as the certifier's (set → constants → Γ → spectra → SGN weights, ρ(G), β).
    let analysis: Analysis
    var set: JacobianSet { analysis.set }
    var constants: BlockConstants { analysis.constants }
    var gamma: ComparisonMatrix { analysis.gamma }
    var spectra: MetricSpectra { analysis.spectra }
    var sgn: SGNWeights { analysis.sgn }
    var euclideanLipschitz: Double { analysis.euclideanLipschitz }
    /// ‖J‖ at unit weights (at least the smallest normal number): the scale of the tolerances.
    let scale: Double
    let absTol: Double
    /// `min Re λ(J)` over the set (nil beyond `Verifier.generalEigenLimit`).
    let abscissa: Double?
    let rel = Tolerance.verificationRelative

    init(game: any Game, certificate s: StatedCertificate, set: JacobianSet) throws {
        self.game = game
        self.s = s
        names = game.playerNames
        analysis = try Analysis(set)
        scale = max(analysis.euclideanLipschitz, Double.leastNormalMagnitude)
        absTol = Tolerance.verificationRelative * scale
        abscissa = try Verifier.spectralAbscissaBound(set)
    }

    var ones: [Double] { [Double](repeating: 1, count: names.count) }

    func perPlayer(_ xs: [Double]) -> JSONValue { .object(zip(names, xs).map { ($0, .number($1)) }) }

    func couplingJSON(_ c: [[Int: Double]]) -> JSONValue {
        .object(
            c.enumerated().compactMap { i, row in
                row.isEmpty ? nil : (names[i], .object(row.keys.sorted().map { (names[$0], .number(row[$0]!)) }))
            })
    }

    /// Block constants, each in its safe direction; ρ(G) and τ(Γ).
    func constantClaims() throws -> [Claim] {
        var claims: [Claim] = []
        // Block constants, each in its safe direction.
        claims.append(
            Claim(
                claim: "constants.curvature", check: "every stated mu_i <= recomputed mu_i (+ tolerance)",
                stated: perPlayer(s.curvature), recomputed: perPlayer(constants.curvature),
                holds: zip(s.curvature, constants.curvature).allSatisfy { $0 <= $1 + absTol }))
        claims.append(
            Claim(
                claim: "constants.own_size", check: "every stated l_i >= recomputed l_i (- tolerance)",
                stated: perPlayer(s.ownSize), recomputed: perPlayer(constants.ownSize),
                holds: zip(s.ownSize, constants.ownSize).allSatisfy { $0 >= $1 - absTol }))
        var couplingHolds = true
        let n = names.count
        var recomputedCoupling = [[Int: Double]](repeating: [:], count: n)
        for i in 0..<n { for (j, l) in constants.coupling[i] { recomputedCoupling[i][j] = l } }
        for i in 0..<n {
            for j in Set(recomputedCoupling[i].keys).union(s.coupling[i].keys) {
                if (s.coupling[i][j] ?? 0) < (recomputedCoupling[i][j] ?? 0) - absTol { couplingHolds = false }
            }
        }
        claims.append(
            Claim(
                claim: "constants.coupling",
                check: "every stated L_ij >= recomputed L_ij (- tolerance); absent means 0",
                stated: couplingJSON(s.coupling), recomputed: couplingJSON(recomputedCoupling), holds: couplingHolds))
        let rho = analysis.gainSpectralRadius
        let rhoHolds: Bool
        switch (s.gainSpectralRadius, rho) {
        case (nil, nil): rhoHolds = true
        case let (stated?, recomputed?): rhoHolds = stated >= recomputed - rel * max(1, recomputed)
        default: rhoHolds = false
        }
        claims.append(
            Claim(
                claim: "constants.gain_spectral_radius",
                check: "stated rho(G) >= recomputed (- tolerance); null exactly when some mu_i <= 0",
                stated: .number(s.gainSpectralRadius), recomputed: .number(rho), holds: rhoHolds))
        if let stated = s.comparisonBound {
            claims.append(
                Claim(
                    claim: "constants.comparison_min_eigenvalue",
                    check: "stated tau(Gamma) <= recomputed (+ tolerance)",
                    stated: .number(stated), recomputed: .number(sgn.bound), holds: stated <= sgn.bound + absTol))
        }
        return claims
    }

    /// Margins of the ladder: each may not exceed what its rung can give.
    func marginClaims() throws -> [Claim] {
        var claims: [Claim] = []
        // Margins of the ladder: each may not exceed what its rung can give.
        // A game given by block constants only has no margins in a metric: a stated one cannot hold.
        let euclideanMargin = spectra.evaluatesMargins ? try spectra.margin(weights: ones) : nil
        if let stated = s.margins[.euclidean] {
            claims.append(
                Claim(
                    claim: "margins.euclidean",
                    check:
                        """
                        stated <= the exact margin at unit weights (+ tolerance); null when the game gives no Jacobians
                        """,
                    stated: .number(stated), recomputed: .number(euclideanMargin),
                    holds: euclideanMargin.map { stated <= $0 + absTol } == true))
        }
        if let stated = s.margins[.sgn] {
            claims.append(
                Claim(
                    claim: "margins.sgn",
                    check:
                        """
                        stated <= tau(Gamma), the best margin any weights give from the recomputed constants (+ \
                        tolerance)
                        """,
                    stated: .number(stated), recomputed: .number(sgn.bound), holds: stated <= sgn.bound + absTol))
        }
        if let stated = s.margins[.weighted], !spectra.evaluatesMargins {
            claims.append(
                Claim(
                    claim: "margins.weighted", check: "null when the game gives no Jacobians (block constants only)",
                    stated: .number(stated), recomputed: .null, holds: false))
        }
        if let stated = s.margins[.weighted], let bound = abscissa {
            claims.append(
                Claim(
                    claim: "margins.weighted",
                    check:
                        """
                        stated <= min Re(eigenvalue of J) over the Jacobian set, which bounds the margin in every \
                        metric (+ tolerance)
                        """,
                    stated: .number(stated), recomputed: .number(bound), holds: stated <= bound + absTol))
        }
        if let stated = s.spectralLimit {
            claims.append(
                Claim(
                    claim: "margins.spectral_limit",
                    check: "equals min Re(eigenvalue of J) of the exact Jacobian (+- tolerance)",
                    stated: .number(stated), recomputed: .number(abscissa),
                    holds: set.estimation == .exact && abscissa.map { abs(stated - $0) <= absTol } == true))
        }
        if let stated = s.weightedUpperBound {
            // The global search is deterministic: rerun it and require the stated bound to be no
            // lower than the recomputed one (a lower bound would claim that weights cannot do better).
            let n = names.count
            let recomputed =
                n >= 2 && n <= GlobalWeights.maxPlayers && spectra.usesDense && spectra.evaluatesMargins
                ? try GlobalWeights.maximize(set, starts: [sgn.weights]).upperBound : nil
            claims.append(
                Claim(
                    claim: "margins.weighted_upper_bound",
                    check:
                        """
                        stated >= the upper bound proven by the recomputed global search (- tolerance), and >= the \
                        stated weighted margin
                        """,
                    stated: .number(stated), recomputed: .number(recomputed),
                    holds: recomputed.map { stated >= $0 - absTol } == true
                        && stated >= (s.margins[.weighted] ?? -.infinity) - absTol))
        }
        return claims
    }

    /// The certificate's metric: its weights (or full metric) checked, and the certified rung's
    /// margin and β recomputed at them.
    struct Metric {
        var claims: [Claim]
        var safeWeights: Bool
        var lipschitz: Double
        var marginAtWeights: Double?
        var threshold: Double
    }

    func metricAtWeights() throws -> Metric {
        var claims: [Claim] = []
        // Weights: valid, normalised; the certified rung's figures are recomputed at them.
        let w = s.weights
        claims.append(weightsClaim())
        claims += try conditionFactorClaims()
        let safeWeights = w.allSatisfy { $0.isFinite && $0 > 0 }
        var lipschitz = safeWeights ? try spectra.lipschitz(weights: w) : Double.infinity
        // The full metric, recomputed at the stated factor L (lower triangular, positive
        // diagonal), for an unconstrained game with an exact Jacobian only.
        var atCholesky: (margin: Double, lipschitz: Double)? = nil
        if let l = s.lyapunovCholesky, set.estimation == .exact, !Certifier.isConstrained(game),
            (0..<l.rows).allSatisfy({ i in l[i, i] > 0 && (0..<l.rows).allSatisfy { c in c <= i || l[i, c] == 0 } })
        {
            atCholesky = try LyapunovMetric.measure(set.jacobians[0].dense(), cholesky: l)
        }
        if let stated = s.margins[.lyapunov] {
            let bound = [abscissa, atCholesky?.margin].compactMap { $0 }.min()
            claims.append(
                Claim(
                    claim: "margins.lyapunov",
                    check:
                        """
                        stated <= the margin recomputed at the stated Cholesky factor and <= min Re(eigenvalue of J) \
                        (+ tolerance)
                        """,
                    stated: .number(stated), recomputed: .number(bound),
                    holds: atCholesky != nil && bound.map { stated <= $0 + absTol } == true))
        }
        let marginAtWeights: Double?
        switch s.certifiedBy {
        case .sgn?: marginAtWeights = safeWeights ? try gamma.margin(weights: w) : nil
        case .euclidean?, .weighted?:
            marginAtWeights = safeWeights && spectra.evaluatesMargins ? try spectra.margin(weights: w) : nil
        case .lyapunov?:
            marginAtWeights = atCholesky?.margin
            lipschitz = atCholesky?.lipschitz ?? .infinity
        case nil: marginAtWeights = nil
        }
        let metricScale = max(scale, lipschitz.isFinite ? lipschitz : 0)
        // The tolerance is relative to beta in the certificate's metric (docs/robustness.md §4).
        let threshold = Tolerance.marginThreshold(scale: lipschitz.isFinite ? lipschitz : euclideanLipschitz)

        claims += rateClaims(marginAtWeights: marginAtWeights, lipschitz: lipschitz, metricScale: metricScale)

        return Metric(
            claims: claims, safeWeights: safeWeights, lipschitz: lipschitz, marginAtWeights: marginAtWeights,
            threshold: threshold)
    }

    /// Weights: valid, normalised (all 1 for the euclidean and lyapunov rungs).
    func weightsClaim() -> Claim {
        let w = s.weights
        let weightsValid =
            w.allSatisfy { $0.isFinite && $0 > 0 } && abs((w.max() ?? 0) - 1) <= Tolerance.weightNormalisation
            && ((s.certifiedBy != .euclidean && s.certifiedBy != .lyapunov) || w.allSatisfy { $0 == 1 })
        return Claim(
            claim: "metric.weights",
            check: "positive, finite, normalised to max 1 (all 1 for the euclidean and lyapunov rungs)",
            stated: perPlayer(w),
            recomputed: perPlayer(weightsValid ? w : OptimalWeights.normalise(w.map { max($0, 0) })),
            holds: weightsValid)
    }

    /// `√cond(L Lᵀ)` of the stated Cholesky factor (nil when it is not positive definite).
    func fullMetricCondition(_ l: Matrix) throws -> Double? {
        let eigen = try LAPACK.symmetricEigenvalues(l * l.transposed)
        guard let lo = eigen.first, let hi = eigen.last, lo > 0, hi.isFinite else { return nil }
        return (hi / lo).squareRoot()
    }

    /// `metric.condition_factor` (and `metric.lyapunov.condition_factor`) equal the value derived
    /// from the stated weights, `√(w_max/w_min)`, or for the lyapunov rung from the stated factor,
    /// `√cond(L Lᵀ)`. Relative tolerance `tol·max(1, cond)`: the eigenvalues of `L Lᵀ` carry
    /// rounding of order ε·cond. An absent key (hand-made certificates) is not checked.
    func conditionFactorClaims() throws -> [Claim] {
        var claims: [Claim] = []
        let fullMetric = try s.certificate.lyapunov.map { try fullMetricCondition($0.cholesky) } ?? nil
        func close(_ stated: Double?, _ recomputed: Double?) -> Bool {
            switch (stated, recomputed) {
            case (nil, nil): return true
            case let (x?, r?): return abs(x - r) <= rel * r * max(1, r * r)
            default: return false
            }
        }
        let check = "equals the value derived from the stated metric (relative tolerance tol*max(1, cond))"
        if let l = s.certificate.lyapunov {
            let stated = l.conditionFactor.isNaN ? nil : l.conditionFactor
            claims.append(
                Claim(
                    claim: "metric.lyapunov.condition_factor",
                    check: "sqrt(cond(L L^T)) of the stated factor L: \(check)",
                    stated: .number(stated), recomputed: .number(fullMetric), holds: close(stated, fullMetric)))
        }
        if case let .some(stated) = s.certificate.statedConditionFactor {
            let w = s.weights
            let recomputed: Double?
            if s.certifiedBy == .lyapunov {
                recomputed = fullMetric
            } else if s.certificate.examined, let hi = w.max(), let lo = w.min(), lo > 0, hi.isFinite {
                recomputed = (hi / lo).squareRoot()
            } else {
                recomputed = nil
            }
            claims.append(
                Claim(
                    claim: "metric.condition_factor",
                    check: "sqrt(w_max/w_min) of the stated weights (lyapunov rung: sqrt(cond(L L^T))): \(check)",
                    stated: .number(stated), recomputed: .number(recomputed), holds: close(stated, recomputed)))
        }
        return claims
    }

    /// The contraction rate and β against their recomputation at the certificate's weights.
    func rateClaims(marginAtWeights: Double?, lipschitz: Double, metricScale: Double) -> [Claim] {
        var claims: [Claim] = []
        if let rung = s.certifiedBy {
            let how =
                rung == .sgn
                ? "the SGN margin alpha*(w) of the recomputed constants"
                : rung == .lyapunov
                    ? "the exact margin of J in the metric of the stated Cholesky factor"
                    : "the exact margin of J in the metric"
            let stated = s.contractionRate
            claims.append(
                Claim(
                    claim: "contraction_rate",
                    check: "stated <= \(how) at the certificate's weights (+ tolerance)",
                    stated: .number(stated), recomputed: .number(marginAtWeights),
                    holds: stated != nil && marginAtWeights != nil && stated! <= marginAtWeights! + rel * metricScale))
        }
        if let stated = s.lipschitz {
            claims.append(
                Claim(
                    claim: "lipschitz",
                    check: "stated beta >= the Lipschitz constant of F in the certificate's metric (- tolerance)",
                    stated: .number(stated), recomputed: .number(lipschitz),
                    holds: lipschitz.isFinite && stated >= lipschitz - rel * metricScale))
        }
        return claims
    }

    /// Status and the margin tolerance.
    func statusClaims(_ metric: Metric) -> [Claim] {
        var claims: [Claim] = []
        let (lipschitz, marginAtWeights, threshold) = (metric.lipschitz, metric.marginAtWeights, metric.threshold)
        // Status: certified only when the recomputed margin at the weights clears the tolerance,
        // and the certificate's fields agree with its status.
        let recomputedCertified = marginAtWeights.map { $0 > threshold } == true && lipschitz.isFinite && lipschitz > 0
        // Every field that disagrees with the stated status is named in the recomputed value, so
        // a failing claim never reads as two equal values.
        var problems: [String] = []
        if s.status == .certified {
            if s.certifiedBy == nil { problems.append("certified_by is null") }
            if s.contractionRate == nil { problems.append("contraction_rate is null") }
            if s.steps == nil { problems.append("steps is null") }
            if s.lipschitz == nil { problems.append("lipschitz is null") }
            if let rung = s.certifiedBy, let rate = s.contractionRate, s.margins[rung] != rate {
                problems.append("contraction_rate differs from margins.\(rung.rawValue)")
            }
            if let rate = s.contractionRate, !(rate > (s.marginTolerance ?? threshold)) {
                problems.append("contraction_rate is not above the margin tolerance")
            }
        } else {
            if s.certifiedBy != nil { problems.append("certified_by is not null") }
            if s.contractionRate != nil { problems.append("contraction_rate is not null") }
            if s.steps != nil { problems.append("steps is not null") }
        }
        let recomputedStatus =
            s.status == .certified ? (recomputedCertified ? "certified" : "not_certified") : s.status.rawValue
        claims.append(
            Claim(
                claim: "status",
                check: s.status == .certified
                    ? """
                    the certified rung's margin recomputed at the weights exceeds the margin tolerance; certified_by, \
                    contraction_rate (= that rung's margin), lipschitz and steps are present
                    """
                    : "not_certified promises nothing; certified_by, contraction_rate and steps are null",
                stated: .string(s.status.rawValue),
                recomputed: .string(
                    problems.isEmpty ? recomputedStatus : "\(recomputedStatus), but \(problems.joined(separator: "; "))"
                ),
                holds: problems.isEmpty && (s.status == .notCertified || recomputedCertified)))
        if let stated = s.marginTolerance {
            claims.append(
                Claim(
                    claim: "numerics.margin_tolerance",
                    check: "stated >= the documented tolerance for this game's scale",
                    stated: .number(stated), recomputed: .number(threshold), holds: stated >= threshold * (1 - rel)))
        }
        return claims
    }

    /// Step sizes follow from the stated alpha and beta (themselves checked above).
    func stepClaims(stepEstimation: Estimation) -> [Claim] {
        var claims: [Claim] = []
        let f = JSONWriter.format
        if let steps = s.steps, let a = s.contractionRate, let b = s.lipschitz {
            let expected = Certifier.stepSizes(for: game, estimation: stepEstimation, margin: a, lipschitz: b)
            let up = 1 + rel
            claims.append(
                Claim(
                    claim: "steps.euler.max", check: "stated <= 2*alpha/beta^2 from the stated alpha and beta",
                    stated: .number(steps.euler.max), recomputed: .number(expected.euler.max),
                    holds: steps.euler.max <= expected.euler.max * up))
            claims.append(
                Claim(
                    claim: "steps.euler.recommended",
                    check: "stated <= alpha/beta^2 from the stated alpha and beta, and > 0",
                    stated: .number(steps.euler.recommended), recomputed: .number(expected.euler.recommended),
                    holds: steps.euler.recommended > 0 && steps.euler.recommended <= expected.euler.recommended * up))
            // Compared as squares: near factor 0 (alpha = beta) the square root turns a rounding
            // error of 1e-16 in 1 - 2h*alpha + h^2*beta^2 into 1e-8.
            let factorAtStep = StepSizes.eulerFactor(step: steps.euler.recommended, margin: a, lipschitz: b)
            claims.append(
                Claim(
                    claim: "steps.euler.factor",
                    check: "stated >= sqrt(1 - 2h*alpha + h^2*beta^2) at the stated recommended step h (- tolerance)",
                    stated: .number(steps.euler.factor), recomputed: .number(factorAtStep),
                    holds: steps.euler.factor * steps.euler.factor >= factorAtStep * factorAtStep - rel
                        && steps.euler.factor < 1))
            claims.append(
                Claim(
                    claim: "steps.euler.guarantee",
                    check: "the guarantee that fits the game's constants and constraints",
                    stated: .string(steps.euler.guarantee.prose), recomputed: .string(expected.euler.guarantee.prose),
                    holds: steps.euler.guarantee == expected.euler.guarantee))
            claims.append(
                Claim(
                    claim: "steps.rk4.max",
                    check: "stated <= \(f(StepSizes.rk4HalfDiscRadius))/beta from the stated beta",
                    stated: .number(steps.rk4.max), recomputed: .number(expected.rk4.max),
                    holds: Verifier.atMost(steps.rk4.max, expected.rk4.max, up)))
            claims.append(
                Claim(
                    claim: "steps.rk4.guideline",
                    check: "stated <= \(f(StepSizes.rk4Guideline))/beta from the stated beta",
                    stated: .number(steps.rk4.guideline), recomputed: .number(expected.rk4.guideline),
                    holds: Verifier.atMost(steps.rk4.guideline, expected.rk4.guideline, up)))
            claims.append(
                Claim(
                    claim: "steps.rk4.guarantee", check: "the guarantee that fits the game's constants and constraints",
                    stated: .string(steps.rk4.guarantee.prose), recomputed: .string(expected.rk4.guarantee.prose),
                    holds: steps.rk4.guarantee == expected.rk4.guarantee))
        }
        return claims
    }

    /// Timescale band (two players) and per-player weight bands.
    func bandClaims() throws -> [Claim] {
        var claims: [Claim] = []
        if let band = s.timescaleBand {
            claims.append(try Verifier.checkBand(band, constants: constants, gamma: gamma, sgn: sgn, absTol: absTol))
        }
        if let stated = s.weightBands {
            claims.append(try Verifier.checkWeightBands(stated, gamma: gamma, sgn: sgn, names: names, absTol: absTol))
        }
        return claims
    }

    /// The stated equilibrium against the recomputed one, and the game's own residual at it.
    func equilibriumClaims() -> [Claim] {
        var claims: [Claim] = []
        let f = JSONWriter.format
        if let stated = s.equilibrium {
            // Flattened the same way as the stated one (player, then state, then coordinate).
            let recomputed = game.equilibrium(certifiedStep: s.status == .certified ? s.steps?.euler.recommended : nil)
                .flatMap { e in e.point.map { $0.flatMap { $0 } } ?? e.logits.map { $0.flatMap { $0.flatMap { $0 } } } }
            var holds = false
            var gap: Double? = nil
            if let x = recomputed, x.count == stated.count {
                let g = zip(x, stated).reduce(0) { max($0, abs($1.0 - $1.1)) }
                gap = g
                holds = g <= Tolerance.equilibriumRelative * max(1, x.reduce(0) { max($0, abs($1)) })
            }
            claims.append(
                Claim(
                    claim: "equilibrium",
                    check:
                        """
                        max |stated - recomputed| over the coordinates <= \(f(Tolerance.equilibriumRelative)) * max(1, \
                        |x*|)
                        """,
                    stated: .object([
                        ("coordinates", .number(Double(stated.count))), ("residual", .number(s.equilibriumResidual)),
                    ]),
                    recomputed: .object([("max_difference", .number(gap))]), holds: holds))
            // A certificate may not understate its residual; where the game states a tolerance
            // (Markov), the residual at the stated point must also meet it.
            if let (residual, tolerance) = game.equilibriumResidual(at: stated) {
                let notUnderstated = s.equilibriumResidual.map { $0 >= residual * (1 - rel) } ?? !residual.isFinite
                let check = "stated >= the game's equilibrium residual recomputed at the stated point (- tol relative)"
                claims.append(
                    Claim(
                        claim: "equilibrium.residual",
                        check: tolerance == nil ? check : check + ", and that residual <= the game's tolerance",
                        stated: .number(s.equilibriumResidual),
                        recomputed: .object(
                            [("residual", .number(residual))] + (tolerance.map { [("tolerance", .number($0))] } ?? [])),
                        holds: notUnderstated && tolerance.map { residual <= $0 } != false))
            }
        }
        return claims
    }

    /// `rigor` (`--rigorous` certificates): the rigorous check is re-run — for a game with an exact
    /// Jacobian by certifying it again with `--rigorous` and the stated objective (the check
    /// judges the floating-point certificate before its verdict is applied), otherwise on the
    /// stated certificate (the verdict then only depends on how the constants were obtained). The
    /// verdict, rung, reason, checks and `not_rigorous` must equal the recomputation, the stated
    /// proven margin may not exceed the recomputed one (+ tol), and a verdict other than
    /// certified leaves the certificate not_certified. A certificate without `rigor` claims no
    /// rigour and is checked like any other.
    func rigorClaims() throws -> [Claim] {
        guard let stated = s.certificate.rigor else { return [] }
        let recomputed: RigorReport
        if case .some(.some) = try? game.exactJacobian() {
            let again = try Certifier(objective: s.certificate.objective, rigorous: true).certify(game)
            guard let r = again.rigor else { preconditionFailure("a rigorous certificate has a rigor block") }
            recomputed = r
        } else {
            recomputed = RigorousCertifier.check(s.certificate, game: game)
        }
        let marginHolds: Bool
        switch (stated.provenMargin, recomputed.provenMargin) {
        case let (m?, r?): marginHolds = m <= r + absTol
        case (nil, _): marginHolds = true
        case (_?, nil): marginHolds = false
        }
        let holds =
            stated.verdict == recomputed.verdict && stated.rung == recomputed.rung && stated.reason == recomputed.reason
            && stated.checks == recomputed.checks && stated.notRigorous == recomputed.notRigorous && marginHolds
            && (stated.verdict == .certified || s.status == .notCertified)
        return [
            Claim(
                claim: "rigor",
                check:
                    """
                    the rigorous check re-run on the game: the same verdict, rung, reason, checks and not_rigorous; \
                    stated proven_margin <= the recomputed one (+ tolerance); not_certified unless the verdict is \
                    certified
                    """,
                stated: CertificateCodec.encodeRigor(stated), recomputed: CertificateCodec.encodeRigor(recomputed),
                holds: holds)
        ]
    }

    /// The region equals the game's; the basin is no larger than at the certificate's weights.
    func regionClaims(safeWeights: Bool) -> [Claim] {
        var claims: [Claim] = []
        let w = s.weights
        let region = game.region
        claims.append(
            Claim(
                claim: "region", check: "kind and radius equal the game's",
                stated: .object([("kind", .string(s.region.kind.rawValue)), ("radius", .number(s.region.radius))]),
                recomputed: .object([("kind", .string(region.kind.rawValue)), ("radius", .number(region.radius))]),
                holds: s.region.kind == region.kind && s.region.radius == region.radius))
        if let stated = s.basinRadius {
            let recomputed = safeWeights ? game.basinRadius(weights: w) : nil
            claims.append(
                Claim(
                    claim: "basin.radius", check: "stated <= the basin radius at the certificate's weights",
                    stated: .number(stated), recomputed: .number(recomputed),
                    holds: recomputed.map { stated <= $0 * (1 + rel) } ?? false))
        }
        return claims
    }
}
