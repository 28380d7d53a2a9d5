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
        public var guarantee: String
    }

    public struct RK4: Sendable, Equatable {
        /// `2.6155/β`: the RK4 iteration's spectral radius is < 1 for every step in (0, max].
        /// nil for projected (boxed) dynamics, where no RK4 step is covered (`guarantee` says why).
        public var max: Double?
        /// `2.5/β`: the paper's guideline; nil exactly when `max` is.
        public var guideline: Double?
        public var guarantee: String
    }

    public var euler: Euler
    public var rk4: RK4

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
            guarantee: (exact
                ? "Proven: for every step h with 0 < h < max, \(constrained ? "projected " : "")Euler contracts in the certificate's metric by the factor sqrt(1 - 2h*alpha + h^2*beta^2) < 1 per step; at the recommended step that factor is `factor`."
                : provenOnRegion
                    ? "Proven on the region: for every step h with 0 < h < max, \(constrained ? "projected " : "")Euler contracts in the certificate's metric by the factor sqrt(1 - 2h*alpha + h^2*beta^2) < 1 per step while the iterates stay in the region, which they do from every start in the basin; at the recommended step that factor is `factor`."
                    : "Estimated: contraction of \(constrained ? "projected " : "")Euler in the certificate's metric by sqrt(1 - 2h*alpha + h^2*beta^2) per step for 0 < h < max, valid while iterates stay in the region and provided the sampled constants hold on all of it.")
        )
        // Projected RK4 (a projection after every stage or after the whole step) is not a linear
        // iteration, so the spectral-radius argument says nothing about it, and on boxed games it
        // can stall away from the equilibrium at any step: no figure is stated.
        rk4 =
            constrained
            ? RK4(
                max: nil, guideline: nil,
                guarantee:
                    "No RK4 step: the dynamics are projected onto the box, and no step size is proven to make projected RK4 converge (the RK4 spectral-radius bound covers only the unprojected linear iteration, and projected RK4 can stall away from the equilibrium at any step); use projected Euler."
            )
            : RK4(
                max: StepSizes.rk4HalfDiscRadius / b,
                guideline: StepSizes.rk4Guideline / b,
                guarantee: (exact
                    ? "Proven for this linear pseudo-gradient: for every step h with 0 < h <= max, the RK4 iteration matrix has spectral radius below 1, so RK4 converges to the equilibrium (transient growth is possible); guideline is the paper's 2.5/beta."
                    : "Local only: near the equilibrium, RK4 with 0 < h <= max is linearly stable if the sampled constants hold; not a global guarantee. guideline is the paper's 2.5/beta.")
            )
    }
}
