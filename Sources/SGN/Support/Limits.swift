/// The one place that decides sizes, budgets and counts: where the code switches from dense to
/// iterative linear algebra, how much work an iteration may spend, how large an input a reader
/// accepts beyond the general `InputLimits` and `MarkovLimits`. Tolerances (dimensionless
/// thresholds on computed numbers) live in `Tolerance`. Each limit says what it bounds, in which
/// unit, and why it has its value; the types that use a limit keep their public name for it
/// (`MetricSpectra.denseLimit` is `Limits.denseOrder`), so callers and docs read unchanged.
///
/// "Order" is the number of rows of the full Jacobian, `n = Σ d_i`; "players" is `N`.
public enum Limits {
    // MARK: dense or iterative

    /// Largest order handled by dense LAPACK (`n ≤ 3000`: an n×n eigen-decomposition is about
    /// 10n³ flops and 72 MB at the limit). Larger Jacobians always take the matrix-free Krylov
    /// path with proven Collatz–Wielandt bounds (docs/performance.md).
    public static let denseOrder = 3000
    /// Order up to which dense LAPACK is used regardless of sparsity: below it a dense
    /// decomposition costs less than the iterations it would replace.
    public static let alwaysDenseOrder = 600
    /// Between `alwaysDenseOrder` and `denseOrder`, dense LAPACK is used when at least this
    /// fraction of the n² Jacobian entries is stored; a sparser coupling graph makes each Krylov
    /// product cost O(stored entries) and iteration cheaper.
    public static let denseFill = 0.02
    /// Largest order for which a certificate also carries Lanczos *estimates* of the exact margin
    /// and β next to the proven bounds (each costs more Krylov products than the bounds).
    public static let estimateOrder = 50_000
    /// Players up to which the comparison matrix Γ (N×N) is decomposed densely (`dgeev`,
    /// `dsyevd`, O(N³)); beyond it Perron pairs come from Arnoldi/Lanczos and Collatz–Wielandt.
    public static let denseComparisonPlayers = 400

    // MARK: sizes of the expensive rungs and proofs

    /// Largest order for which the Lyapunov rung runs: it needs dense real Schur decompositions
    /// (`dgees`, `dtrsyl`), O(n³) per shift tried.
    public static let lyapunovOrder = 600
    /// Largest number of players for which per-player timescale and weight bands are computed:
    /// each band end is a bisection of linear-matrix-inequality feasibility checks, 2N of them.
    public static let bandPlayers = 64
    /// Largest order whose positive-definiteness tests in those bisections use the plain Swift
    /// Cholesky (`SmallBlock.isPositiveDefinite`) instead of a LAPACK call: below it the call's
    /// fixed cost (argument checks, workspace, copies) exceeds the n³/6 multiplications.
    public static let smallCholeskyOrder = 8
    /// Largest order the rigorous (outward-rounded) Cholesky checks factor: plain Swift loops,
    /// n³/3 operations each, several per certificate.
    public static let rigorousOrder = 1200
    /// Largest order for which the general (nonsymmetric) eigenvalues of J are computed densely
    /// (`dgeev`, several times the cost of the symmetric solver the margins use): `min Re λ(J)`
    /// (`margins.spectral_limit`, checked by `sgn verify`, and the steps chart's true Euler limit).
    public static let generalEigenOrder = 1000
    /// Largest order whose determinant `--rigorous` computes exactly (fraction-free Bareiss
    /// elimination over big integers, whose digits grow with the order) to refute a game:
    /// `det J ≤ 0` proves a real eigenvalue ≤ 0.
    public static let exactDeterminantOrder = 16
    /// Largest order of a Jacobian given as an entrywise enclosure: every margin the weight
    /// search asks for is an O(n³) Cholesky proof in plain Swift (about 5 s per certificate at
    /// n = 200).
    public static let enclosureOrder = 300
    /// Largest number of stored entries, S·n², over all samples of a game given by sampled
    /// Jacobians (16 Mi doubles, 128 MiB).
    public static let sampledJacobianEntries = 1 << 24
    /// Largest sum of a smooth game's dimensions: its Jacobian is enclosed densely, n² interval
    /// entries per sub-box.
    public static let smoothOrder = 200
    /// Largest number of formula-node evaluations for one Jacobian of a smooth game
    /// (Σ_i dim_i · variables read by f_i · (nodes of f_i + N)).
    public static let smoothJacobianWork = 500_000

    /// `sgn plot`'s band chart: most players it is drawn for (each point of a curve is an N×N
    /// symmetric eigenvalue problem).
    public static let bandChartPlayers = 200
    /// The band chart's exact-margin curve (one eigenvalue problem per sample point and chart
    /// point) is drawn for Jacobians of order up to `bandChartExactOrder`, for up to
    /// `bandChartExactPoints` sample points of any such order, and for more points while
    /// `points · order³ ≤ bandChartExactWork` (flops per chart point, about a millisecond).
    public static let bandChartExactOrder = 200
    public static let bandChartExactPoints = 64
    public static let bandChartExactWork = 1e6

    // MARK: iteration budgets

    /// Newton iterations of a smooth game's equilibrium search before it falls back to
    /// projected Euler.
    public static let smoothNewtonIterations = 100
    /// Work of one projected fixed-point solve, in matrix-entry operations: an ill-conditioned
    /// boxed game would otherwise iterate for minutes; the certificate reports the residual
    /// reached.
    public static let equilibriumWork = 5_000_000
    /// Krylov basis size of one restart cycle of Lanczos and Arnoldi: storage 24 vectors of n,
    /// enough for the well-separated extreme eigenvalues the certificate needs.
    public static let krylovBasis = 24
    /// Orders up to which Lanczos reorthogonalises against the whole basis; above it only
    /// locally (the full pass is O(m²n) memory traffic per cycle).
    public static let fullReorthogonalisationOrder = 4096
    /// Matrix–vector products Lanczos may spend by default.
    public static let lanczosProducts = 3000
    /// Matrix–vector products Arnoldi may spend by default.
    public static let arnoldiProducts = 4000
    /// Restart length of GMRES (storage 40 vectors of n).
    public static let gmresRestart = 40
    /// Matrix–vector products GMRES may spend by default.
    public static let gmresProducts = 5000
    /// Products for rough solves and estimates (CG test vectors of Collatz–Wielandt bounds,
    /// Lanczos estimates of λmin and ‖J‖₂): accuracy there costs tightness, never correctness.
    public static let roughProducts = 400

    // MARK: readers, parallelism and caches

    /// Deepest JSON nesting accepted (a deeper document is bad input, not a stack overflow).
    public static let jsonDepth = 256
    /// Documents of at least this many bytes (4 MiB) parse their `players` array on all cores.
    public static let parallelParseBytes = 1 << 22
    /// Most values one `sgn sweep` takes.
    public static let sweepValues = 1_000_000
    /// Most nodes of a Gambit extensive-form (`.efg`) tree: each is a few dozen bytes in memory,
    /// and any tree whose agent form fits the Markov limits is far smaller.
    public static let efgNodes = 2_000_000
    /// Most node visits when an `.efg` tree is tabulated as its agent form (one walk per pure
    /// agent profile, every chance branch followed): up to 100 000 profiles × 1000 nodes, about a
    /// second of work; a larger tree fails before the certification starts.
    public static let agentFormVisits = 100_000_000
    /// Most chunks `Parallel.mapChunks` splits a loop into (enough to balance all cores).
    public static let parallelChunks = 64
    /// Dense spectra of a Jacobian set costing fewer floating-point operations than this in all
    /// (n³ per point) are computed on the calling thread: handing them to other threads costs
    /// more, and concurrent tiny LAPACK calls contend for OpenBLAS's buffer lock.
    public static let serialFlops = 1e5
    /// Margins and Lipschitz constants remembered per weight vector before the cache is cleared
    /// (weight searches visit many vectors; memory stays bounded).
    public static let spectraCacheEntries = 64

    /// Largest `sgn simulate --radius`: distances are measured through sums of squares, which
    /// overflow near 1e154, so starts beyond 1e100 would report a divergence that is only an
    /// overflow. Far beyond any scale a game's coefficients (at most 1e100) make meaningful.
    public static let simulationRadius = 1e100
}
