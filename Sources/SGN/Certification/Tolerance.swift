/// The one place that decides numerical tolerances (documented in docs/method.md).
public enum Tolerance {
    /// A margin certifies only when it exceeds this fraction of the game's scale, the
    /// Euclidean Lipschitz constant ‖J‖₂. Floating-point eigenvalue errors are of order
    /// n·ε·‖J‖ ≈ 1e-13‖J‖ for the sizes handled densely, so margins below 1e-10‖J‖ are not
    /// distinguishable from zero with confidence and are reported `not_certified`.
    public static let marginRelative = 1e-10

    /// Absolute margin threshold for a game of the given scale.
    public static func marginThreshold(scale: Double) -> Double {
        marginRelative * max(scale, Double.leastNormalMagnitude)
    }

    /// Two margins count as a tie (the simpler rung is preferred) within this relative gap.
    public static let rungTieRelative = 1e-9

    /// Relative accuracy of iterative eigen/singular value solvers for large sparse games.
    public static let iterativeRelative = 1e-9

    /// `sgn verify`: a stated figure may exceed its recomputed value in the unsafe direction by
    /// at most this fraction of the game's scale (margins, Lipschitz constants, constants) or of
    /// the figure itself (step sizes). The recomputation runs the same deterministic arithmetic,
    /// so honest certificates match to rounding (~1e-15); tampering by more than 1e-9 fails.
    public static let verificationRelative = 1e-9

    /// `sgn verify`: relative slack on the ends of timescale and weight bands.
    public static let bandRelative = 1e-9

    /// `sgn verify`: largest coordinate difference between the stated and the recomputed
    /// equilibrium, relative to max(1, ‖x*‖∞).
    public static let equilibriumRelative = 1e-8

    /// A Markov game's equilibrium must satisfy `‖F(θ*)‖₂ ≤ equilibriumResidual · max(1, |R|max, τ)`
    /// (exactly 1e-10 when rewards and temperature are at most 1 in size); otherwise it is
    /// reported not found and the game is not certified.
    public static let equilibriumResidual = 1e-10

    /// A sampled off-diagonal Jacobian block whose largest entry is below this fraction of the
    /// largest entry of the whole Jacobian is rounding noise of an exactly absent coupling, and
    /// is not stored (so the coupling graph is not made artificially strongly connected).
    public static let negligibleBlockRelative = 1e-13
}
