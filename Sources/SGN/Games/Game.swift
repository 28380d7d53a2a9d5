/// How the constants of a certificate were obtained.
public enum Estimation: Sendable, Equatable {
    /// From the exact Jacobian, valid everywhere (quadratic games).
    case exact
    /// Min/max over Jacobians at sample points of a region: estimates, not bounds.
    case sampled(count: Int, seed: UInt64, method: SamplingMethod)
    /// Rigorous bounds valid on the whole region, rounding included: `method` says where they
    /// come from (an enclosure given with the game, interval arithmetic on sub-boxes);
    /// `subBoxes` and `gap` (the enclosures' relative looseness) when the region was subdivided
    /// (`BoxProof`, docs/smooth-games.md).
    case proven(method: ProofMethod, subBoxes: Int? = nil, gap: Double? = nil)
}

/// Where sampled constants were taken (`constants.sampling`); `prose` is the sentence the
/// certificate states.
public enum SamplingMethod: ProseCoded {
    /// Jacobians supplied with a `jacobians` game; `source` names the file or `inline`.
    case givenJacobians(source: String)
    /// Block constants supplied with a `jacobians` game.
    case givenConstants(source: String)
    /// A Markov game's logit box: its centre and all `vertices` vertices.
    case logitBoxVertices(vertices: Int)
    /// The centre, all vertices and `uniform` seeded uniform points of the logit box.
    case logitBoxVerticesAndUniform(vertices: Int, uniform: Int, seed: UInt64)
    /// The centre, then alternately seeded random vertices and uniform points of the logit box.
    case logitBoxRandom(vertices: Int, uniform: Int, seed: UInt64)
    /// `verify`'s independent check of a Markov game: random vertices and uniform points.
    case independentLogitBox(seed: UInt64)
    /// A variable box (smooth games): the centre, all vertices when there are at most 1024, and
    /// seeded uniform points; `maxBoxes` is the proof budget that was spent first.
    case boxSamples(purpose: BoxSamplePurpose, maxBoxes: Int, vertices: Int?, seed: UInt64)
    /// No point was examined (the Fisher matrix is singular in the region).
    case noPoints
    /// No point was examined: no equilibrium to centre the region on (Markov games).
    case noEquilibrium
    /// No point was examined: the region cannot be examined (smooth games).
    case regionNotExaminable

    public static let proseDescription = "sampling method"
    public var prose: String {
        switch self {
        case let .givenJacobians(source): return "given: Jacobians supplied with the game (\(source))"
        case let .givenConstants(source):
            return
                """
                given: block constants supplied with the game (estimates, e.g. Lanczos on Hessian-vector products; \
                \(source))
                """
        case let .logitBoxVertices(vertices): return "centre and all \(vertices) vertices of the logit box"
        case let .logitBoxVerticesAndUniform(vertices, uniform, seed):
            return
                """
                centre, all \(vertices) vertices and \(uniform) uniform points of the logit box (SplitMix64, seed \
                \(seed))
                """
        case let .logitBoxRandom(vertices, uniform, seed):
            return
                """
                centre, \(vertices) random vertices and \(uniform) uniform points of the logit box (SplitMix64, seed \
                \(seed))
                """
        case let .independentLogitBox(seed):
            return "independent check: random vertices and uniform points (SplitMix64, seed \(seed))"
        case let .boxSamples(purpose, maxBoxes, vertices, seed):
            return
                """
                \(purpose.rawValue) (\(maxBoxes) sub-boxes): centre\(vertices.map { ", all \($0) vertices" } ?? "") \
                and seeded uniform points of the region (SplitMix64, seed \(seed))
                """
        case .noPoints: return "none"
        case .noEquilibrium: return "none: no equilibrium to centre the region on"
        case .regionNotExaminable: return "none: the region cannot be examined"
        }
    }

    /// Reads back any sentence `prose` writes (every version of sgn wrote these same sentences).
    public init?(prose: String) {
        let fixed: [SamplingMethod] = [.noPoints, .noEquilibrium, .regionNotExaminable]
        var candidates: [SamplingMethod?] = fixed
        candidates.append(Self.given(prose))
        candidates.append(Self.logitBox(prose))
        candidates += BoxSamplePurpose.allCases.map { purpose in Self.boxSamples(prose, purpose: purpose) }
        // Only a sentence that `prose` would write back unchanged is read.
        guard let found = candidates.first(where: { $0?.prose == prose }), let found else { return nil }
        self = found
    }

    private static func given(_ prose: String) -> SamplingMethod? {
        if let c = ProseTemplate.match(prose, ["given: Jacobians supplied with the game (", ")"]) {
            return .givenJacobians(source: c[0])
        }
        let constants = [
            "given: block constants supplied with the game (estimates, e.g. Lanczos on Hessian-vector products; ", ")",
        ]
        return ProseTemplate.match(prose, constants).map { .givenConstants(source: $0[0]) }
    }

    private static func logitBox(_ prose: String) -> SamplingMethod? {
        let t = ProseTemplate.self
        let seeded = " uniform points of the logit box (SplitMix64, seed "
        if let c = t.match(prose, ["centre and all ", " vertices of the logit box"]), let v = Int(c[0]) {
            return .logitBoxVertices(vertices: v)
        }
        if let c = t.match(prose, ["centre, all ", " vertices and ", seeded, ")"]),
            let v = Int(c[0]), let u = Int(c[1]), let s = UInt64(c[2])
        {
            return .logitBoxVerticesAndUniform(vertices: v, uniform: u, seed: s)
        }
        if let c = t.match(prose, ["centre, ", " random vertices and ", seeded, ")"]),
            let v = Int(c[0]), let u = Int(c[1]), let s = UInt64(c[2])
        {
            return .logitBoxRandom(vertices: v, uniform: u, seed: s)
        }
        let independent = ["independent check: random vertices and uniform points (SplitMix64, seed ", ")"]
        if let c = t.match(prose, independent), let s = UInt64(c[0]) { return .independentLogitBox(seed: s) }
        return nil
    }

    private static func boxSamples(_ prose: String, purpose: BoxSamplePurpose) -> SamplingMethod? {
        let tail = " and seeded uniform points of the region (SplitMix64, seed "
        let c =
            ProseTemplate.match(prose, [purpose.rawValue + " (", " sub-boxes): centre, all ", " vertices" + tail, ")"])
            ?? ProseTemplate.match(prose, [purpose.rawValue + " (", " sub-boxes): centre" + tail, ")"]).map {
                [$0[0], "", $0[1]]
            }
        guard let c, let boxes = Int(c[0]), let seed = UInt64(c[2]) else { return nil }
        let vertices = c[1].isEmpty ? nil : Int(c[1])
        guard c[1].isEmpty || vertices != nil else { return nil }
        return .boxSamples(purpose: purpose, maxBoxes: boxes, vertices: vertices, seed: seed)
    }
}

/// Why a variable box was sampled instead of proven (the start of `SamplingMethod.boxSamples`).
public enum BoxSamplePurpose: String, Sendable, Hashable, CaseIterable {
    case proofBudgetSpent = "proof budget spent before the enclosures were tight"
    case independentCheck = "independent check of sampled constants"
}

/// How proven constants were proven (`constants.proof.method`).
public enum ProofMethod: ProseCoded {
    /// An interval enclosure supplied with a `jacobians` game; `samples` sample Jacobians were
    /// checked to lie in it.
    case givenEnclosure(source: String, samples: Int)
    /// Interval arithmetic on sub-boxes of a variable box (smooth games, `BoxProof`).
    case subBoxEnclosures
    /// Interval enclosures of the certified field's Jacobian in the certificate's metric on
    /// sub-boxes of a Markov game's logit box.
    case logitBoxCertifiedField
    /// Written by earlier versions (enclosures of K = F^-1/2 J F^-1/2 only); read back, never stated now.
    case logitBoxSubBoxes

    public static let proseDescription = "proof method"
    public var prose: String {
        switch self {
        case let .givenEnclosure(source, samples):
            return
                """
                interval enclosure of the Jacobian on the region (\(source)); \(samples) sample(s) checked to lie in it
                """
        case .subBoxEnclosures: return "interval enclosures of the Jacobian on sub-boxes of the region"
        case .logitBoxCertifiedField:
            return
                """
                interval enclosures of the certified field's Jacobian in the certificate's metric on sub-boxes of the \
                logit box
                """
        case .logitBoxSubBoxes: return "interval enclosures of K = F^-1/2 J F^-1/2 on sub-boxes of the logit box"
        }
    }

    public init?(prose: String) {
        let given = ProseTemplate.match(
            prose, ["interval enclosure of the Jacobian on the region (", "); ", " sample(s) checked to lie in it"])
        let candidates: [ProofMethod?] = [
            .subBoxEnclosures, .logitBoxCertifiedField, .logitBoxSubBoxes,
            given.flatMap { c in Int(c[1]).map { .givenEnclosure(source: c[0], samples: $0) } },
        ]
        guard let found = candidates.first(where: { $0?.prose == prose }), let found else { return nil }
        self = found
    }
}

/// Reads the fields of a sentence written from a template: `pieces` are the fixed texts around
/// the fields (one more than the fields); each field ends at the first occurrence of the next
/// piece, the last one at the sentence's fixed ending.
enum ProseTemplate {
    static func match(_ s: String, _ pieces: [String]) -> [String]? {
        guard let first = pieces.first, let last = pieces.last, pieces.count >= 2,
            s.count >= first.count + last.count, s.hasPrefix(first), s.hasSuffix(last)
        else { return nil }
        var rest = Substring(s.dropFirst(first.count).dropLast(last.count))
        var fields: [String] = []
        for piece in pieces.dropFirst().dropLast() {
            guard let r = rest.range(of: piece) else { return nil }
            fields.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        fields.append(String(rest))
        return fields
    }
}

/// The Jacobians of the pseudo-gradient, in the game's geometry, at every point where the game
/// is examined. An exact game has one; a sampled game has one per sample point. All constants,
/// margins and Lipschitz bounds are min/max over this set, so the certification code is the
/// same for every game class.
public struct JacobianSet: Sendable {
    public var dims: [Int]
    public var jacobians: [BlockMatrix]
    public var estimation: Estimation
    /// An entrywise enclosure of every Jacobian on the region: when present, constants, margins
    /// and Lipschitz constants are proven bounds from it, and `jacobians` only fixes the shape.
    public var enclosure: JacobianEnclosure?
    /// Block constants given instead of Jacobians (e.g. Lanczos estimates on Hessian–vector
    /// products, docs/jacobian-games.md): `jacobians` is then empty. The sgn rung and an upper
    /// bound on β need only the constants; the rungs that need the Jacobian are not evaluated.
    public var givenConstants: BlockConstants?

    /// Whether the set holds Jacobians (false: block constants only).
    public var hasJacobians: Bool { !jacobians.isEmpty }

    public init(jacobians: [BlockMatrix], estimation: Estimation, enclosure: JacobianEnclosure? = nil) {
        precondition(!jacobians.isEmpty)
        self.dims = jacobians[0].dims
        self.jacobians = jacobians
        self.estimation = estimation
        self.enclosure = enclosure
    }

    /// A set known only by its block constants (worst case over the points they were taken at).
    public init(dims: [Int], constants: BlockConstants, estimation: Estimation) {
        precondition(dims.count == constants.playerCount)
        self.dims = dims
        self.jacobians = []
        self.estimation = estimation
        self.givenConstants = constants
    }
}

/// The equilibrium a certificate promises convergence to, as the game class reports it.
public struct Equilibrium: Sendable {
    /// Per player, the point (quadratic games).
    public var point: [[Double]]?
    /// Per player, per state, action probabilities (Markov games).
    public var policies: [[[Double]]]?
    /// Per player, per state, logits (Markov games).
    public var logits: [[[Double]]]?
    /// Per player, the names of its actions, when the input named them (Markov games).
    public var actionNames: [[String]]?
    /// Size of the equilibrium condition's violation (see the certificate docs).
    public var residual: Double
    /// The residual the equilibrium had to reach, when the game states one (Markov games).
    public var tolerance: Double?
    /// Which equilibrium this is, when a game can have several (Markov games;
    /// docs/certificate-format.md).
    public var branch: EquilibriumBranch?
    /// The linear solver that found the point of a quadratic game (nil: the game class found it
    /// with its own nonlinear search). Reported as `numerics.iterative.equilibrium_solver`.
    public var solver: LinearSolver?

    /// How `J x = −b` was solved (`numerics.iterative.equilibrium_solver`).
    public typealias LinearSolver = LinearSolverKind

    public init(
        point: [[Double]]? = nil, policies: [[[Double]]]? = nil, logits: [[[Double]]]? = nil, residual: Double,
        tolerance: Double? = nil, branch: EquilibriumBranch? = nil, solver: LinearSolver? = nil
    ) {
        self.point = point
        self.policies = policies
        self.logits = logits
        self.residual = residual
        self.tolerance = tolerance
        self.branch = branch
        self.solver = solver
    }
}

/// Which of a game's equilibria a certificate is about (`equilibrium.branch`), when the game can
/// have several; the raw value is what the JSON says (docs/certificate-format.md, "The Markov
/// equilibrium residual and branch").
public enum EquilibriumBranch: String, Sendable, CaseIterable {
    /// Continued from the uniform policy (τ = ∞) to the game's temperature: the default.
    case principal
    /// Newton's method from the point the input gave (`region.center`).
    case given
    /// Found by the fallback when the continuation failed: which branch it lies on is unknown.
    case unidentified
    /// A further equilibrium found from another start (`certify --equilibria all`).
    case other
}

/// What the certificate says about where its promise holds (`region`), one case per kind of
/// region with the data it states; `kind` is the name the JSON writes.
public enum RegionReport: Sendable, Equatable {
    /// Quadratic games: the constants hold everywhere.
    case global
    /// Boxed quadratic games: the constants hold everywhere, the dynamics are projected.
    case box
    /// Markov games: a box of logits of the given radius around the centre.
    case logitBox(radius: Double, center: RegionCenter)
    /// Smooth games: a box of the variables, of the given radius around the equilibrium, or
    /// given by the game (no radius).
    case variableBox(radius: Double?, center: RegionCenter)
    /// `jacobians` games with sample Jacobians or constants: the points the user sampled.
    /// `statedEquilibrium` (per player) and `details` are echoed as given, never checked.
    case sampledPoints(statedEquilibrium: [[Double]]?, details: JSONValue?)
    /// `jacobians` games with an interval enclosure: the region the enclosure covers.
    case enclosure(statedEquilibrium: [[Double]]?, details: JSONValue?)

    /// What a region is centred on (`region.center`).
    public enum RegionCenter: String, Sendable, CaseIterable {
        case equilibrium, given
    }

    /// The name of each kind of region, as the certificate's `region.kind` writes it.
    public enum Kind: String, Sendable, CaseIterable {
        case global, box
        case logitBox = "logit_box"
        case variableBox = "variable_box"
        case sampledPoints = "sampled_points"
        case enclosure
    }

    public var kind: Kind {
        switch self {
        case .global: return .global
        case .box: return .box
        case .logitBox: return .logitBox
        case .variableBox: return .variableBox
        case .sampledPoints: return .sampledPoints
        case .enclosure: return .enclosure
        }
    }

    /// Radius of the box around the centre, when there is one.
    public var radius: Double? {
        switch self {
        case let .logitBox(r, _): return r
        case let .variableBox(r, _): return r
        default: return nil
        }
    }

    /// What the region is centred on, for regions around a point.
    public var center: RegionCenter? {
        switch self {
        case let .logitBox(_, c), let .variableBox(_, c): return c
        default: return nil
        }
    }

    /// The equilibrium a `jacobians` game states (per player), echoed.
    public var statedEquilibrium: [[Double]]? {
        switch self {
        case let .sampledPoints(e, _), let .enclosure(e, _): return e
        default: return nil
        }
    }

    /// The free-form description a `jacobians` game supplies, echoed.
    public var details: JSONValue? {
        switch self {
        case let .sampledPoints(_, d), let .enclosure(_, d): return d
        default: return nil
        }
    }
}

/// A game class answers one question: its Jacobian blocks on the region, in its geometry.
/// Everything after that is shared code. Dynamics (simulation, trajectory charts) are a separate
/// capability, `GameDynamics`, which a game class adopts when it knows its pseudo-gradient.
public protocol Game: Sendable {
    var name: String { get }
    var kind: String { get }
    var playerNames: [String] { get }
    /// Dimension of each player's coordinates in the certified geometry.
    var dims: [Int] { get }
    /// Extra fields for the certificate's `game` object (e.g. the geometry of a Markov game).
    var geometry: String? { get }
    var region: RegionReport { get }

    /// Whether the certified dynamics are projected onto a constraint set (the game's `project`
    /// is not the identity), which changes what step sizes guarantee (docs/method.md §5). Part of
    /// the game's description, so games without dynamics answer it too.
    var isConstrained: Bool { get }

    /// Jacobians on the region (one for an exact game).
    func jacobians() throws -> JacobianSet

    /// The Jacobian of the pseudo-gradient in the certified geometry when it is known exactly and
    /// is the same at every point (an affine pseudo-gradient); nil (the default) otherwise. Rigorous
    /// mode proves its verdict from it and the plots draw the true Euler limit from it. A game that
    /// has one answers `jacobians()` with that one matrix and `estimation: .exact`, which is what the
    /// full-metric (lyapunov) rung needs.
    func exactJacobian() throws -> BlockMatrix?

    /// The equilibrium, computed with the certified dynamics where that matters.
    /// - Parameters:
    ///   - step: a certified projected-Euler step in the certificate's metric, or nil when the
    ///     game is not certified.
    func equilibrium(certifiedStep step: Double?) -> Equilibrium?

    /// Whether `equilibrium(certifiedStep:)` depends on the step (it iterates the certified
    /// dynamics); when it does not, the certifier may compute it alongside the certification.
    var equilibriumUsesStep: Bool { get }

    /// Largest radius r such that every start with ‖x − x*‖∞ ≤ r is promised to converge, given
    /// the certificate's weights; nil when the promise is global.
    func basinRadius(weights: [Double]) -> Double?

    /// The basin radius of a certified game whose equilibrium is computed, not exact: the
    /// certified Euler step `h` contracts by `factor` q < 1 in the certificate's metric, so the true
    /// fixed point lies within `‖T(x̂) − x̂‖_W / (1 − q)` of the computed one x̂ (Banach, on a ball
    /// inside the region) and the basin shrinks by that much. `.failure` when that ball does not
    /// fit in the region: no equilibrium is shown to exist there (the certificate is then
    /// `not_certified`). The default is `basinRadius(weights:)` (classes whose equilibrium is exact
    /// or checked by `fixedPointViolation`).
    func basinRadius(weights: [Double], step: Double, factor: Double) -> Result<Double?, BasinFailure>

    /// Markov games: the discount γ and temperature τ (reported in the certificate's `game`).
    var regularisation: (discount: Double, temperature: Double)? { get }

    /// Nil when one step `x − h·field(x)` of the certified dynamics from the reported
    /// equilibrium moves it by no more than the game's equilibrium tolerance; otherwise why not
    /// (the certificate is then `not_certified`). Games whose equilibrium is a fixed point by
    /// construction (quadratic) answer nil.
    func fixedPointViolation(step: Double) -> String?

    /// The game's own equilibrium residual at a flat state (the figure its certificates state as
    /// `equilibrium.residual`) and the tolerance it must meet when the game states one, for
    /// `sgn verify` to re-check a stated equilibrium; nil when the game has no equilibrium.
    func equilibriumResidual(at x: [Double]) -> (residual: Double, tolerance: Double?)?

    /// Jacobians at sample points independent of the certificate's (another seed, more points),
    /// for `verify`; nil when the constants are exact.
    func independentJacobians() throws -> JacobianSet?

    /// Proves the request on the whole region (nil: the game class has no proof).
    func proveRegion(_ request: BoundRequest, budget: Int) -> RegionProof?
    /// The same proof on the box of another radius around the same centre (for the reason of a
    /// failed proof: the largest radius that was proven); nil when not supported.
    func proveRegion(_ request: BoundRequest, budget: Int, radius: Double) -> RegionProof?
    /// Enclosure columns evaluated per sub-box of the proof (its cost unit; 0 without a proof).
    var proofWorkPerBox: Int { get }
}

extension Game {
    public var isConstrained: Bool { false }
    public func exactJacobian() throws -> BlockMatrix? { nil }
    public var equilibriumUsesStep: Bool { false }
    public func fixedPointViolation(step: Double) -> String? { nil }
    public func basinRadius(weights: [Double], step: Double, factor: Double) -> Result<Double?, BasinFailure> {
        .success(basinRadius(weights: weights))
    }
    public var regularisation: (discount: Double, temperature: Double)? { nil }
    public func equilibriumResidual(at x: [Double]) -> (residual: Double, tolerance: Double?)? { nil }

    /// Jacobians at sample points independent of the certificate's, for `verify` (nil: the
    /// game's constants are not sampled).
    public func independentJacobians() throws -> JacobianSet? { nil }
    public func proveRegion(_ request: BoundRequest, budget: Int) -> RegionProof? { nil }
    public func proveRegion(_ request: BoundRequest, budget: Int, radius: Double) -> RegionProof? { nil }
    public var proofWorkPerBox: Int { 0 }
}

/// Why a certified game has no basin: the computed equilibrium is not shown to be near a true one
/// inside the region (`Game.basinRadius(weights:step:factor:)`).
public struct BasinFailure: Error, Sendable {
    public var reason: String
    public init(reason: String) { self.reason = reason }
}
