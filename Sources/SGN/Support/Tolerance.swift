/// The one place that decides numerical tolerances (documented in docs/method.md).
public enum Tolerance {
    /// A margin certifies only when it exceeds this fraction of the scale of the computation
    /// that produced it: β, the Lipschitz constant ‖M^{1/2} J M^{-1/2}‖₂ in the certifying
    /// metric (for the Euclidean rung, ‖J‖₂). Floating-point eigenvalue errors are of order
    /// n·ε·β ≈ 1e-13β for the sizes handled densely, so margins below 1e-10β are not
    /// distinguishable from zero with confidence and are reported `not_certified`. (Measuring
    /// against the Euclidean ‖J‖ instead refused games whose large couplings the weights tame,
    /// e.g. couplings 1e12 and 1e-13: margin 0.68, ‖J‖ = 1e12, β = 1.3.) See docs/robustness.md.
    public static let marginRelative = 1e-10

    /// Absolute margin threshold for a game of the given scale.
    public static func marginThreshold(scale: Double) -> Double {
        marginRelative * max(scale, Double.leastNormalMagnitude)
    }

    /// Two margins count as a tie (the simpler rung is preferred) within this relative gap.
    public static let rungTieRelative = 1e-9

    /// Relative accuracy of iterative eigen/singular value solvers for large sparse games.
    /// (Lanczos/Arnoldi stop when the eigen-residual is below this fraction of the spectrum's scale.)
    public static let iterativeRelative = 1e-8

    /// Iterative margins are verified at a shift this far (relative to the scale of the matrix)
    /// below the Lanczos value, and Lipschitz bounds this far above it: iterative margins are
    /// therefore low, and Lipschitz constants high, by about this relative amount (more when the
    /// verification has to retry with 10x, 100x, … larger shifts).
    public static let verifiedShiftRelative = 1e-5

    /// Relative residual at which restarted GMRES stops when solving for the equilibrium of a
    /// large game (the certificate reports the achieved residual of F itself).
    public static let krylovSolveRelative = 1e-12

    /// Relative error allowed for each small-block spectral quantity (λmin of an own block, a
    /// block norm) computed in floating point, as a multiple of the block size: iterative bounds
    /// lower curvatures by `blockRoundoff·d·‖J_ii‖` and raise norms by the factor
    /// `1 + blockRoundoff·d`, so that they stay bounds despite the rounding of those values.
    public static let blockRoundoff = 8 * Double.ulpOfOne

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

    /// A Markov game's equilibrium must have a logit fixed-point residual (docs/markov-games.md)
    /// of at most `equilibriumResidual · max(1, |R|max / ((1 − γ)τ))` logits; otherwise it is
    /// reported not found and the game is not certified.
    public static let equilibriumResidual = 1e-10

    /// A sampled off-diagonal Jacobian block whose largest entry is below this fraction of the
    /// largest entry of the whole Jacobian is rounding noise of an exactly absent coupling, and
    /// is not stored (so the coupling graph is not made artificially strongly connected).
    public static let negligibleBlockRelative = 1e-13
}
