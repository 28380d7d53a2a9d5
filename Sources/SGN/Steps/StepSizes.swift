/// Step sizes that follow from a margin α and a Lipschitz constant β in the same metric
/// (docs/method.md §5). Every figure says what it guarantees.
public struct StepSizes: Sendable, Equatable {
    public struct Euler: Sendable, Equatable {
        /// `2α/β²`: every step in (0, max) contracts.
        public var max: Double
        /// `α/β²`: the step with the smallest proven per-step factor.
        public var recommended: Double
        /// `√(1 − α²/β²)`: proven contraction factor per step at `recommended`.
        public var factor: Double
        public var guarantee: EulerGuarantee
    }

    public struct RK4: Sendable, Equatable {
        /// `2.6155/β`: the RK4 iteration's spectral radius is < 1 for every step in (0, max].
        /// nil for projected (boxed) dynamics, where no RK4 step is covered (`guarantee` says why).
        public var max: Double?
        /// `2.5/β`: a round step inside `max`, with its guarantee; nil exactly when `max` is.
        public var guideline: Double?
        public var guarantee: RK4Guarantee
    }

    public var euler: Euler
    public var rk4: RK4

    /// Figures as stated (a certificate read back).
    public init(euler: Euler, rk4: RK4) {
        self.euler = euler
        self.rk4 = rk4
    }

    /// Radius of the largest closed left half-disc (minus the origin) inside the region where
    /// RK4's stability polynomial `1 + z + z²/2 + z³/6 + z⁴/24` has modulus below 1.
    public static let rk4HalfDiscRadius = 2.6155
    public static let rk4Guideline = 2.5

    /// Per-step contraction factor of projected Euler at step h: `√(1 − 2hα + h²β²)`.
    public static func eulerFactor(step h: Double, margin a: Double, lipschitz b: Double) -> Double {
        Swift.max(0, 1 - 2 * h * a + h * h * b * b).squareRoot()
    }

    /// `provenOnRegion`: the constants are bounds over a region (not over all of space), so the
    /// Euler guarantee is proven for iterates that stay in it (smooth games, docs/smooth-games.md).
    public init(margin a: Double, lipschitz b: Double, exact: Bool, constrained: Bool, provenOnRegion: Bool = false) {
        let ratio = a / b
        euler = Euler(
            max: 2 * a / (b * b),
            recommended: a / (b * b),
            factor: Swift.max(0, 1 - ratio * ratio).squareRoot(),
            guarantee: exact
                ? .proven(projected: constrained)
                : provenOnRegion ? .provenOnRegion(projected: constrained) : .estimated(projected: constrained)
        )
        // Projected RK4 (a projection after every stage or after the whole step) is not a linear
        // iteration, so the spectral-radius argument says nothing about it, and on boxed games it
        // can stall away from the equilibrium at any step: no figure is stated.
        rk4 =
            constrained
            ? RK4(max: nil, guideline: nil, guarantee: .projectedNoStep)
            : RK4(
                max: StepSizes.rk4HalfDiscRadius / b,
                guideline: StepSizes.rk4Guideline / b,
                guarantee: exact ? .provenLinear : .localSampled
            )
    }
}

/// What `steps.euler.guarantee` promises, one case per distinct guarantee; `prose` is the
/// sentence the certificate states (docs/certificate-format.md).
public enum EulerGuarantee: Sendable, Hashable, ProseCases {
    /// Exact constants: every step in (0, max) contracts, everywhere.
    case proven(projected: Bool)
    /// Constants proven on a region: every step contracts while the iterates stay in it.
    case provenOnRegion(projected: Bool)
    /// Sampled constants: an estimate, valid if the samples' bounds hold on the region.
    case estimated(projected: Bool)
    /// Proven constants of a Markov game: they bound the Jacobian of the certified field (the
    /// natural policy gradient) in the Fisher metric frozen at the equilibrium, on the whole
    /// region (docs/markov-games.md).
    case provenCertifiedField
    /// Written by earlier versions for proven Markov constants, which bounded only the
    /// linearisation K = F^-1/2 J F^-1/2; read back so their certificates decode, never stated now.
    case provenLinearisation

    public static let proseDescription = "Euler step guarantee"
    public static let allCases: [EulerGuarantee] =
        [false, true].flatMap { [.proven(projected: $0), .provenOnRegion(projected: $0), .estimated(projected: $0)] }
        + [.provenCertifiedField, .provenLinearisation]

    /// Wordings earlier versions wrote for a guarantee that is worded differently today.
    public static let legacyProse: [String: EulerGuarantee] = [
        """
        Proven on the region: for every step h with 0 < h < max, Euler contracts in the certificate's metric by the \
        factor sqrt(1 - 2h*alpha + h^2*beta^2) < 1 per step while iterates stay in the region the enclosure covers; at \
        the recommended step that factor is `factor`.
        """:
            .provenOnRegion(projected: false)
    ]

    public var prose: String {
        switch self {
        case let .proven(projected):
            return
                """
                Proven: for every step h with 0 < h < max, \(projected ? "projected " : "")Euler contracts in the \
                certificate's metric by the factor sqrt(1 - 2h*alpha + h^2*beta^2) < 1 per step; at the recommended \
                step that factor is `factor`.
                """
        case let .provenOnRegion(projected):
            return
                """
                Proven on the region: for every step h with 0 < h < max, \(projected ? "projected " : "")Euler \
                contracts in the certificate's metric by the factor sqrt(1 - 2h*alpha + h^2*beta^2) < 1 per step while \
                the iterates stay in the region, which they do from every start in the basin; at the recommended step \
                that factor is `factor`.
                """
        case let .estimated(projected):
            return
                """
                Estimated: contraction of \(projected ? "projected " : "")Euler in the certificate's metric by sqrt(1 \
                - 2h*alpha + h^2*beta^2) per step for 0 < h < max, valid while iterates stay in the region and \
                provided the sampled constants hold on all of it.
                """
        case .provenCertifiedField:
            return
                """
                Proven bounds on the certified dynamics: alpha and beta bound the Jacobian of the certified field (the \
                natural policy gradient, or the pseudo-gradient in the euclidean geometry) in the certificate's metric \
                (the Fisher matrix frozen at the equilibrium, with the certificate's weights) at every point of the \
                region (interval enclosures), so for 0 < h < max one Euler step brings any two points of the region \
                closer in that metric by the factor sqrt(1 - 2h*alpha + h^2*beta^2) < 1, and every start in the basin \
                converges to the equilibrium at that factor per step.
                """
        case .provenLinearisation:
            return
                """
                Proven bounds on the linearisation: alpha and beta bound K = F^{-1/2} J F^{-1/2} (F the Fisher matrix \
                in the certificate's weights, J the pseudo-gradient's Jacobian) at every point of the region (interval \
                enclosures), so for 0 < h < max the Euler step of the linearisation at any point of the region \
                contracts in the certificate's metric by sqrt(1 - 2h*alpha + h^2*beta^2) < 1; at the equilibrium this \
                is the certified dynamics' own linearisation. Not proven: contraction of the nonlinear \
                natural-gradient flow between two points away from the equilibrium (its Jacobian also carries the \
                derivative of the Fisher matrix).
                """
        }
    }
}

/// What `steps.rk4.guarantee` promises, one case per distinct guarantee.
public enum RK4Guarantee: Sendable, Hashable, ProseCases {
    /// Projected dynamics: no RK4 step is stated.
    case projectedNoStep
    /// Exact linear pseudo-gradient: the RK4 iteration matrix has spectral radius below 1.
    case provenLinear
    /// Sampled constants: linear stability near the equilibrium, if the samples' bounds hold.
    case localSampled
    /// Proven β on the region (Markov games): linear stability near the equilibrium.
    case localProvenLipschitz

    public static let proseDescription = "RK4 step guarantee"

    /// Wordings versions up to 1.0.0 wrote, which named the guideline "the paper's 2.5/beta" (a
    /// reference outside the certificate); the guarantees are the same, so they read as today's cases.
    public static let legacyProse: [String: RK4Guarantee] = [
        """
        Proven for this linear pseudo-gradient: for every step h with 0 < h <= max, the RK4 iteration matrix has \
        spectral radius below 1, so RK4 converges to the equilibrium (transient growth is possible); guideline is the \
        paper's 2.5/beta.
        """:
            .provenLinear,
        """
        Local only: near the equilibrium, RK4 with 0 < h <= max is linearly stable if the sampled constants hold; not \
        a global guarantee. guideline is the paper's 2.5/beta.
        """:
            .localSampled,
        """
        Local only: near the equilibrium, RK4 with 0 < h <= max is linearly stable (beta is a proven bound on the \
        region); not a global guarantee. guideline is the paper's 2.5/beta.
        """:
            .localProvenLipschitz,
    ]

    public var prose: String {
        switch self {
        case .projectedNoStep:
            return
                """
                No RK4 step: the dynamics are projected onto the box, and no step size is proven to make projected RK4 \
                converge (the RK4 spectral-radius bound covers only the unprojected linear iteration, and projected \
                RK4 can stall away from the equilibrium at any step); use projected Euler.
                """
        case .provenLinear:
            return
                """
                Proven for this linear pseudo-gradient: for every step h with 0 < h <= max, the RK4 iteration matrix \
                has spectral radius below 1, so RK4 converges to the equilibrium (transient growth is possible); max \
                = 2.6155/beta because every eigenvalue of -h*J then lies in the left half-disc of radius 2.6155 (minus \
                the origin), on which RK4's stability polynomial has modulus below 1; guideline = 2.5/beta is a round \
                step inside max with the same guarantee.
                """
        case .localSampled:
            return
                """
                Local only: near the equilibrium, RK4 with 0 < h <= max is linearly stable if the sampled constants \
                hold; not a global guarantee. guideline = 2.5/beta is a round step inside max = 2.6155/beta with the \
                same guarantee.
                """
        case .localProvenLipschitz:
            return
                """
                Local only: near the equilibrium, RK4 with 0 < h <= max is linearly stable (beta is a proven bound on \
                the region); not a global guarantee. guideline = 2.5/beta is a round step inside max = 2.6155/beta \
                with the same guarantee.
                """
        }
    }
}
