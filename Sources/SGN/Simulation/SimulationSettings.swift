import Foundation

/// What a simulation does: methods, steps, starts, stopping rules. Defaults are documented in
/// docs/verify-simulate-plot.md.
public struct SimulationSettings: Sendable {
    /// Methods to run.
    public var methods: [Integrator] = [.euler]
    /// Base step; nil means the certificate's recommended Euler step and its RK4 guideline.
    public var step: Double? = nil
    /// The base step is multiplied by each factor (a sweep); `[1]` runs the base step only.
    public var stepFactors: [Double] = [1]
    /// Seeded starting points per step.
    public var runs: Int = 8
    public var seed: UInt64 = 1
    /// Largest number of steps per run.
    public var maxSteps: Int = 10_000
    /// Euclidean distance of the starts from the equilibrium; nil means inside the basin when
    /// the certificate has one, else `max(1, ‖x*‖∞)`. A given radius is used for every game.
    public var startRadius: Double? = nil
    /// A run has converged when its metric distance is at most this fraction of the initial one.
    public var tolerance: Double = Tolerance.simulationConvergence
    /// Trajectory points kept per run (for plots); 0 keeps none. Long runs are thinned evenly.
    public var traceLimit: Int = 0

    public init() {}
}

/// What a certificate promises about one (method, step) pair.
public enum StepCoverage: String, Sendable {
    /// Projected Euler with `0 < h < max`: every step contracts the metric distance to the
    /// equilibrium by at least `√(1 − 2hα + h²β²)`.
    case factor
    /// RK4 with `0 < h ≤ max` on an exact, unconstrained game: the iteration converges
    /// (spectral radius < 1), with no per-step bound (transient growth is possible).
    case convergence
    /// The certificate promises nothing at this step (beyond the certified maximum, RK4 on a
    /// projected or sampled game, or no certificate).
    case none
}
