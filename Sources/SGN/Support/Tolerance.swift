/// The one place that decides numerical tolerances (documented in docs/method.md): dimensionless
/// thresholds on computed numbers, each stated with the formula it enters, the scale it is
/// relative to and why it has its value. Sizes, budgets and counts live in `Limits`.
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

    // MARK: floors, stopping rules and checks outside the certificate's margins

    /// The smallest scale a relative test or a ratio divides by: scales are taken as
    /// `max(scale, scaleFloor)`, so `x / scale` stays finite for an all-zero matrix. 1e-300 is
    /// above the smallest normal double (2.2e-308), so the ratios are not denormal.
    public static let scaleFloor = 1e-300

    /// A Lanczos or Arnoldi cycle stops early (the Krylov space is invariant) when the norm of
    /// the new basis vector is at most `krylovBreakdownRelative · max(scale, scaleFloor)`, the
    /// scale being the current diagonal entry (Lanczos) or the largest Hessenberg entry
    /// (Arnoldi): about 50 ulps, below which the vector is rounding noise.
    public static let krylovBreakdownRelative = 1e-14

    /// An Arnoldi Ritz value θ counts as real when `|Im θ| ≤ ritzImaginaryRelative · max|θ|`:
    /// rounding gives the real Perron root of a nonnegative matrix a tiny imaginary part.
    public static let ritzImaginaryRelative = 1e-10

    /// Relative residual of the rough conjugate-gradient solves that produce positive test
    /// vectors for Collatz–Wielandt bounds: any positive vector gives a valid bound, so a rough
    /// solve costs tightness, never correctness.
    public static let testVectorSolveRelative = 1e-2

    /// An approximate Perron vector (scaled to maximum 1) whose smallest entry is at most this
    /// is not used for weights: the ratios `y_i / x_i` would leave the double range when squared.
    public static let perronEntryFloor = 1e-150

    /// The bisection for an end of a timescale band stops when the bracket in `log τ` is
    /// narrower than this (the band is stated to about 12 digits; `sgn verify` allows
    /// `bandRelative`).
    public static let bandBisectionLog = 1e-12

    /// A quadratic game's equilibrium is accepted when its residual is at most
    /// `quadraticEquilibriumRelative · max(1, ‖F(x)‖∞)`: about 500 ulps of the gradient's scale,
    /// what one dense LU solve with a refinement step reaches.
    public static let quadraticEquilibriumRelative = 1e-13

    /// A smooth game's equilibrium is accepted when its natural-map residual is at most
    /// `smoothEquilibriumRelative · max(1, ‖F(x₀)‖∞)` (Newton on formulas evaluated in double).
    public static let smoothEquilibriumRelative = 1e-10

    /// Relative slack in the consistency check |μ_i| ≤ ℓ_i of block constants given in a
    /// Jacobian game (two Lanczos runs on the same block may disagree in the last digits).
    public static let givenConstantsRelative = 1e-9

    /// The probabilities of a distribution in a Markov game must sum to 1 within this (input
    /// files carry about 10 significant digits).
    public static let probabilitySum = 1e-9
    /// The decimal chance probabilities of a Gambit `.efg` node must sum to 1 within this times
    /// the node's number of actions: half a unit of the sixth decimal per probability, the
    /// precision Gambit writes (three times 0.333333 is accepted). Fractions must sum to 1 exactly.
    public static let efgDecimalProbability = 5e-7

    /// Relative back-offs below (above) an estimate at which the rigorous checks try to prove a
    /// lower curvature (upper Lipschitz) bound, tightest first: each failed try costs one
    /// Cholesky, and 1e-7 is far beyond the estimate's own rounding.
    public static let proofBackoffs = [1e-13, 1e-10, 1e-7]

    /// Relative back-offs below a floating-point estimate of a smallest eigenvalue at which
    /// `--rigorous` tries to prove it (`RigorousCertifier.proveShift`: the shift `t = estimate −
    /// relative·‖S‖_F` is proven when `S − t·I` passes the outward-rounded Cholesky test),
    /// tightest first: each failed try costs one factorisation, and the widest keeps the proven
    /// bound within 1e-9 of the matrix's scale below the estimate.
    public static let rigorousShiftBackoffs = [1e-13, 1e-11, 1e-9]

    /// The same for the full-metric (lyapunov) rung's margin, relative to `‖P J‖_F`: one try
    /// more (1e-7), because its rounding allowance also covers forming `P = L Lᵀ` and `P J`, so a
    /// tight shift fails more often; 1e-7 is still far beyond the estimate's own rounding.
    public static let rigorousLyapunovBackoffs = [1e-13, 1e-11, 1e-9, 1e-7]

    /// `sgn verify`: the stated weights must be normalised to maximum 1 (docs/certificate-format.md)
    /// within this absolute amount: normalising divides by the largest weight, exact for that entry
    /// up to one rounding (~1e-16), so 1e-12 accepts every honest certificate and no other scaling.
    public static let weightNormalisation = 1e-12

    // MARK: `sgn simulate`

    /// Per-step factors are measured only while the distance exceeds this fraction of the
    /// initial one, where rounding in the state and the equilibrium is negligible.
    public static let simulationNoiseFloor = 1e-6
    /// Slack in the per-step check `d⁺ ≤ q·d·(1 + relative) + absolute·d₀ + r` for the rounding of
    /// the iterates and of the equilibrium; `r = simulationRoundoff·‖x*‖_M` is the rounding level
    /// of states near a large equilibrium.
    public static let simulationRelativeSlack = 1e-9
    public static let simulationAbsoluteSlack = 1e-12
    public static let simulationRoundoff = 1e-13
    /// A run has converged when its metric distance is at most this fraction of the initial one
    /// (the default of `--tolerance`).
    public static let simulationConvergence = 1e-9
    /// A run has diverged when its metric distance exceeds this multiple of the initial one.
    public static let simulationDivergence = 1e8

    /// Rounding noise of one certified Euler step in the smooth games' existence check
    /// (`SmoothGame.basinRadius(weights:step:factor:)`): `existenceSlack · ‖(|x̂_k| + h|F_k|)_k‖_W`.
    /// A step `‖T(x̂) − x̂‖_W` below it is rounding (x̂ is a fixed point to working precision);
    /// above it, it is enlarged by this much before dividing by 1 − q. 8ε covers the few
    /// roundings of one step (a subtraction, a product, a projection) with room to spare.
    public static let existenceSlack = 8 * Double.ulpOfOne
}
