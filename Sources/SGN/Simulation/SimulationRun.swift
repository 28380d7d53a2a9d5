import Foundation

/// One point of a trajectory.
public struct TracePoint: Sendable, Equatable {
    public var step: Int
    /// Unweighted distance to the equilibrium in the game's geometry: the certificate's metric
    /// at unit weights (the Euclidean distance for quadratic games; for Markov games the tangent,
    /// Fisher-normalised one, blind to the logit shifts a policy cannot see).
    public var distance: Double
    /// Distance in the certificate's metric.
    public var metricDistance: Double
}

/// One simulated run.
public struct SimulationRun: Sendable {
    public var method: Integrator
    public var step: Double
    public var stepFactor: Double
    /// Index of the starting point (the same starts are used for every method and step).
    public var start: Int
    public var converged: Bool
    public var diverged: Bool
    public var steps: Int
    public var initialDistance: Double
    public var initialMetricDistance: Double
    public var finalDistance: Double
    public var finalMetricDistance: Double
    /// Largest observed `‖x_{k+1} − x*‖_M / ‖x_k − x*‖_M` over steps above the noise floor
    /// (`Simulator.noiseFloor` times the initial distance, and well above the rounding level of
    /// the equilibrium); nil when no step was measured.
    public var worstFactor: Double?
    /// Geometric mean of the per-step factors over the measured steps.
    public var meanFactor: Double?
    public var coverage: StepCoverage
    /// The factor the certificate proves at this step (Euler within the certified range).
    public var certifiedFactor: Double?
    /// Whether the run kept the certificate's promise; nil when it promises nothing here.
    public var behaved: Bool?
    public var trace: [TracePoint]
}
