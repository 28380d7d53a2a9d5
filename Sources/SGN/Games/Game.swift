/// How the constants of a certificate were obtained.
public enum Estimation: Sendable, Equatable {
    /// From the exact Jacobian, valid everywhere (quadratic games).
    case exact
    /// Min/max over Jacobians at sample points of a region: estimates, not bounds.
    case sampled(count: Int, seed: UInt64, method: String)
    /// Rigorous bounds valid on the whole region, rounding included: `method` says where they
    /// come from (an enclosure given with the game, interval arithmetic on sub-boxes);
    /// `subBoxes` and `gap` (the enclosures' relative looseness) when the region was subdivided
    /// (`BoxProof`, docs/smooth-games.md).
    case proven(method: String, subBoxes: Int? = nil, gap: Double? = nil)
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
    /// Which equilibrium this is, when a game can have several (Markov games: `principal`,
    /// `given`, `unidentified` or `other`; docs/certificate-format.md).
    public var branch: String?

    public init(
        point: [[Double]]? = nil, policies: [[[Double]]]? = nil, logits: [[[Double]]]? = nil, residual: Double,
        tolerance: Double? = nil, branch: String? = nil
    ) {
        self.point = point
        self.policies = policies
        self.logits = logits
        self.residual = residual
        self.tolerance = tolerance
        self.branch = branch
    }
}

/// What the certificate says about where its promise holds.
public struct RegionReport: Sendable {
    /// `"global"` (quadratic games: constants hold everywhere) or `"logit_box"`.
    public var kind: String
    /// Radius of the box around the centre, when there is one.
    public var radius: Double?
    /// What the region is centred on (`"equilibrium"` or `"given"`).
    public var center: String?
    /// `kind: "jacobians"`: the equilibrium the game states (per player), the point its region
    /// is about; echoed, neither computed nor checked.
    public var statedEquilibrium: [[Double]]?
    /// A free-form description supplied with the game (`kind: "jacobians"`), echoed as given.
    public var details: JSONValue?

    public init(
        kind: String, radius: Double? = nil, center: String? = nil, statedEquilibrium: [[Double]]? = nil,
        details: JSONValue? = nil
    ) {
        self.kind = kind
        self.radius = radius
        self.center = center
        self.statedEquilibrium = statedEquilibrium
        self.details = details
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

    /// Markov games: the discount γ and temperature τ (reported in the certificate's `game`).
    var regularisation: (discount: Double, temperature: Double)? { get }

    /// Nil when one step `x − h·field(x)` of the certified dynamics from the reported
    /// equilibrium moves it by no more than the game's equilibrium tolerance; otherwise why not
    /// (the certificate is then `not_certified`). Games whose equilibrium is a fixed point by
    /// construction (quadratic) answer nil.
    func fixedPointViolation(step: Double) -> String?

    /// The game's own equilibrium residual at a flat state and the tolerance it must meet, for
    /// `sgn verify` to re-check a stated equilibrium; nil when the game has none beyond the
    /// recomputation.
    func equilibriumResidual(at x: [Double]) -> (residual: Double, tolerance: Double)?

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
    public var regularisation: (discount: Double, temperature: Double)? { nil }
    public func equilibriumResidual(at x: [Double]) -> (residual: Double, tolerance: Double)? { nil }

    /// Jacobians at sample points independent of the certificate's, for `verify` (nil: the
    /// game's constants are not sampled).
    public func independentJacobians() throws -> JacobianSet? { nil }
    public func proveRegion(_ request: BoundRequest, budget: Int) -> RegionProof? { nil }
    public func proveRegion(_ request: BoundRequest, budget: Int, radius: Double) -> RegionProof? { nil }
    public var proofWorkPerBox: Int { 0 }
}
