/// What `sgn certify` reports about one game. Field meanings: docs/certificate-format.md.
public struct Certificate: Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case certified
        case notCertified = "not_certified"
    }
    public enum Rung: String, Sendable, CaseIterable { case euclidean, sgn, weighted, lyapunov }

    public struct Band: Sendable {
        public var lower: Double
        public var upper: Double?
        public var optimum: Double
        /// The SGN margin the band's ends keep (`target_margin`; sgn states bands for 0).
        public var target: Double = 0
    }

    public struct WeightBand: Sendable {
        public var lower: Double?
        public var upper: Double?
    }

    public var toolVersion: String
    public var gameName: String
    public var kind: String
    public var players: [String]
    public var dims: [Int]
    public var geometry: String?
    public var status: Status
    public var certifiedBy: Rung?
    public var reason: String?
    public var objective: Objective
    public var estimation: Estimation
    public var constants: BlockConstants
    public var gainSpectralRadius: Double?
    public var comparisonBound: Double
    public var irreducible: Bool
    /// Margin of each rung that could be evaluated.
    public var margins: [Rung: Double]
    public var weights: [Double]
    public var contractionRate: Double?
    public var lipschitz: Double
    public var euclideanLipschitz: Double
    public var marginTolerance: Double
    /// Whether the spectra were dense or iterative (`numerics.linear_algebra`); nil (written
    /// "none") when the game could not be examined and no linear algebra ran.
    public var linearAlgebra: LinearAlgebraPath?
    public var steps: StepSizes?
    public var timescaleBand: Band?
    public var weightBands: [WeightBand]?
    public var equilibrium: Equilibrium?
    public var region: RegionReport
    public var basinRadius: Double?
    /// False when the game could not be examined at all (`GameNotCertifiable`): no constants,
    /// margins or weights were computed, and the certificate reports them as null.
    public var examined: Bool = true
    /// How the iterative path computed its figures (nil when everything was dense).
    public var iterative: IterativeNumerics? = nil
    /// What `--rigorous` proved, refuted or left undecided (nil in the default mode).
    public var rigor: RigorReport? = nil
    /// Markov games: the discount and temperature the certificate is about (after command-line
    /// overrides).
    public var regularisation: (discount: Double, temperature: Double)? = nil
    /// Proven upper bound on the weighted rung's margin over all weights (nil when the global
    /// search did not run: one player, the iterative path, or more than GlobalWeights.maxPlayers).
    public var weightedUpperBound: Double? = nil
    /// `min Re λ(J)` for a game with an exact Jacobian (dense sizes only): no metric proves a
    /// faster rate.
    public var spectralLimit: Double? = nil
    /// The full-metric rung's metric, when it was evaluated (LyapunovMetric.swift).
    public var lyapunov: LyapunovMetric? = nil
    /// Why the full-metric rung was not evaluated (nil when it was, or for unexaminable games).
    public var lyapunovSkipped: String? = nil
    /// Why the euclidean and weighted rungs have no margin, when the game gives block constants
    /// instead of Jacobians (`margins.not_evaluated`, a key present only then); nil otherwise.
    public var marginsNotEvaluated: String? = nil
    /// `√(w_max/w_min)` of the certificate's weights (`√cond P` for the full metric): how much
    /// the Euclidean distance to the equilibrium may grow before the certified contraction shows.
    public var conditionFactor: Double? {
        if certifiedBy == .lyapunov, let l = lyapunov { return l.conditionFactor }
        guard examined, let hi = weights.max(), let lo = weights.min(), lo > 0 else { return nil }
        return (hi / lo).squareRoot()
    }

    /// `metric.condition_factor` as read back by `Certificate.decode`, for `sgn verify` to compare
    /// with the value derived from the stated weights or metric: nil when the key is absent,
    /// `.some(nil)` when it is null. The writer ignores it and writes `conditionFactor`.
    public var statedConditionFactor: Double?? = nil

    /// The proof of the constants on the region, when one was attempted (`constants.proof`).
    public var proof: ProofReport? = nil

    /// `constants.proof`: sub-boxes and gap of a completed proof, or why it was not completed.
    public struct ProofReport: Sendable, Equatable {
        public var boxes: Int?
        public var gap: Double?
        public var reason: String?
    }
}

/// Whether a computation ran on dense matrices (LAPACK) or iteratively (Krylov methods with
/// Collatz–Wielandt certificates); the raw value is what the certificate's `numerics` says.
public enum LinearAlgebraPath: String, Sendable, CaseIterable {
    case dense
    case iterative

    /// The path of a computation that chose dense linear algebra or not.
    public init(dense: Bool) { self = dense ? .dense : .iterative }
}

/// What the certificate's `numerics.iterative` reports for large sparse games
/// (docs/performance.md says what is proven and what is estimated).
public struct IterativeNumerics: Sendable {
    /// How the N×N comparison-matrix work ran (`comparison_matrix`).
    public var comparison: LinearAlgebraPath
    /// How the n×n metric spectra ran (euclidean/weighted margins, β; `metric_spectra`).
    public var metric: LinearAlgebraPath
    /// Stopping tolerance of Lanczos/Arnoldi (relative eigen-residual).
    public var eigenTolerance: Double
    /// Relative shift at which margins/Lipschitz bounds are verified.
    public var verifiedShift: Double
    /// GMRES relative residual tolerance for the equilibrium.
    public var solverTolerance: Double
    /// Lanczos estimate (not a bound) of the exact margin at the certificate's weights.
    public var marginEstimate: Double?
    /// Residual of that estimate's Ritz pair.
    public var marginResidual: Double?
    /// Lanczos estimate (not a bound) of β at the certificate's weights.
    public var lipschitzEstimate: Double?
    /// Arnoldi estimate of τ(Γ).
    public var comparisonEstimate: Double?

    /// What the iterative path proved, chosen from the parts that ran iteratively
    /// (`numerics.iterative.proven`).
    public var proven: ProvenScope {
        switch (comparison == .iterative, metric == .iterative) {
        case (true, true): return .comparisonAndMetric
        case (true, false): return .comparisonOnly
        default: return .metricOnly
        }
    }

    /// Which figures Collatz–Wielandt certificates prove (docs/performance.md); the others came
    /// from dense LAPACK eigenvalues, as for small games.
    public enum ProvenScope: ProseCases {
        /// Both Γ and the metric spectra ran iteratively.
        case comparisonAndMetric
        /// Γ ran iteratively (more than 400 players), the metric spectra densely.
        case comparisonOnly
        /// The metric spectra ran iteratively, Γ densely.
        case metricOnly

        public static let proseDescription = "iterative proof scope"
        public var prose: String {
            switch self {
            case .comparisonAndMetric:
                return
                    """
                    margins are lower bounds and lipschitz is an upper bound (Collatz-Wielandt certificates on block \
                    comparison matrices, rounding included); the estimates below are not
                    """
            case .comparisonOnly:
                return
                    """
                    the sgn margin and comparison_min_eigenvalue are lower bounds and gain_spectral_radius is an upper \
                    bound (Collatz-Wielandt certificates on the comparison matrix, rounding included); the euclidean \
                    and weighted margins and lipschitz are dense eigenvalues (LAPACK), as for small games; the \
                    estimates below are not
                    """
            case .metricOnly:
                return
                    """
                    the euclidean and weighted margins are lower bounds and lipschitz is an upper bound \
                    (Collatz-Wielandt certificates on block comparison matrices, rounding included); the comparison \
                    matrix's figures are dense eigenvalues (LAPACK), as for small games; the estimates below are not
                    """
            }
        }
    }
}

/// `numerics.iterative.equilibrium_solver`: how the certificate's equilibrium was found.
public enum EquilibriumSolverReport: String, Sendable, CaseIterable {
    /// LAPACK's dense LU (`dgesv`) on `J x = −b` (quadratic games up to the dense limit).
    case denseLU = "dense_lu"
    /// Preconditioned GMRES on `J x = −b` (large sparse quadratic games).
    case gmres
    /// The game class's own nonlinear search (Markov and smooth games).
    case game
    /// No equilibrium was computed (`jacobians` games).
    case none

    public init(_ equilibrium: Equilibrium?) {
        guard let equilibrium else {
            self = .none
            return
        }
        switch equilibrium.solver {
        case .denseLU?: self = .denseLU
        case .gmres?: self = .gmres
        case nil: self = .game
        }
    }
}

/// What the weights are chosen to maximise (docs/method.md §5).
public enum Objective: String, Sendable, CaseIterable {
    /// The margin α: the continuous-time contraction rate.
    case rate
    /// α/β²: the projected-Euler per-step contraction.
    case euler
    /// α/β: the RK4 step scale.
    case rk4

    public func value(margin a: Double, lipschitz b: Double) -> Double {
        switch self {
        case .rate: return a
        case .euler: return a > 0 ? a / (b * b) : a
        case .rk4: return a > 0 ? a / b : a
        }
    }
}
