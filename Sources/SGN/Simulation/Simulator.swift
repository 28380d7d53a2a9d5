import Foundation

/// Runs the dynamics a certificate speaks about from seeded starting points and measures them
/// in the certificate's metric.
public struct Simulator: Sendable {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Per-step factors are measured only while the distance exceeds this fraction of the
    /// initial one, where rounding in the state and the equilibrium is negligible.
    public static let noiseFloor = Tolerance.simulationNoiseFloor
    /// Slack in the per-step check `d⁺ ≤ q·d·(1 + relativeSlack) + absoluteSlack·d₀ + r`, for
    /// floating-point rounding of the iterates and of the equilibrium; `r` is
    /// `roundoff·‖x*‖_M`, the rounding level of states near a large equilibrium. The noise
    /// floor and the convergence test never go below `r` either.
    public static let relativeSlack = Tolerance.simulationRelativeSlack
    public static let absoluteSlack = Tolerance.simulationAbsoluteSlack
    public static let roundoff = Tolerance.simulationRoundoff
    /// A run has diverged when its metric distance exceeds this multiple of the initial one.
    public static let divergence = Tolerance.simulationDivergence

    public let game: any Game
    /// The game's dynamics (every game class that can be simulated adopts `GameDynamics`).
    public let dynamics: any GameDynamics
    public let certificate: Certificate
    /// The equilibrium as a flat state.
    public let equilibrium: [Double]

    public init(game: any Game, certificate: Certificate) throws(Failure) {
        guard let dynamics = game as? any GameDynamics else {
            throw Failure(
                message:
                    "this game kind (\(game.kind)) has no dynamics to simulate: it gives Jacobians, "
                    + "not a pseudo-gradient"
            )
        }
        self.game = game
        self.dynamics = dynamics
        self.certificate = certificate
        guard let x = dynamics.equilibriumState(certifiedStep: certificate.steps?.euler.recommended),
            x.count == dynamics.stateDimension, x.allSatisfy(\.isFinite)
        else {
            throw Failure(
                message:
                    "the game has no unique equilibrium to simulate towards "
                    + "(\(certificate.reason ?? "no equilibrium found"))"
            )
        }
        equilibrium = x
    }

    public var weights: [Double] { certificate.weights }

    /// The step a method runs at when no `--step` is given: Euler's recommended step, RK4's guideline.
    public func defaultStep(_ method: Integrator) -> Double? {
        guard let steps = certificate.steps else { return nil }
        switch method {
        case .euler: return steps.euler.recommended
        case .rk4: return steps.rk4.guideline
        }
    }

    /// What the certificate promises for `method` at step `h`, and the proven per-step factor.
    public func coverage(_ method: Integrator, step h: Double) -> (coverage: StepCoverage, factor: Double?) {
        guard certificate.status == .certified, let steps = certificate.steps,
            let alpha = certificate.contractionRate, h > 0
        else { return (.none, nil) }
        switch method {
        case .euler:
            guard h < steps.euler.max else { return (.none, nil) }
            return (.factor, StepSizes.eulerFactor(step: h, margin: alpha, lipschitz: certificate.lipschitz))
        case .rk4:
            guard let max = steps.rk4.max, h <= max,
                Certifier.rk4IsProven(for: game, estimation: certificate.estimation)
            else {
                return (.none, nil)
            }
            return (.convergence, nil)
        }
    }

    /// Where the starts come from.
    public enum StartRegion: Sendable, Equatable {
        /// Uniform random directions at this Euclidean distance from the equilibrium, then projected.
        case sphere(radius: Double)
        /// Uniform in the max-norm box of this radius around the equilibrium: the certificate's basin.
        case basin(radius: Double)
    }

    public func startRegion(_ settings: SimulationSettings) -> StartRegion {
        if settings.startRadius == nil, let r = certificate.basinRadius, r > 0 { return .basin(radius: r) }
        let scale = equilibrium.reduce(0) { max($0, abs($1)) }
        return .sphere(radius: settings.startRadius ?? max(1, scale))
    }

    /// The seeded starting points (the same for every method and step of one simulation).
    public func starts(_ settings: SimulationSettings) -> [[Double]] {
        var rng = SeededGenerator(seed: settings.seed)
        let n = equilibrium.count
        return (0..<settings.runs).map { _ in
            switch startRegion(settings) {
            case let .basin(r):
                return dynamics.project((0..<n).map { equilibrium[$0] + rng.uniform(-r, r) })
            case let .sphere(r):
                var u = (0..<n).map { _ in Self.gaussian(&rng) }
                var norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm == 0 {
                    u[0] = 1
                    norm = 1
                }
                return dynamics.project((0..<n).map { equilibrium[$0] + r * u[$0] / norm })
            }
        }
    }

    /// One (method, step) configuration of a simulation.
    public struct Configuration: Sendable {
        public var method: Integrator
        public var step: Double
        public var stepFactor: Double
    }

    /// The configurations `settings` asks for.
    public func configurations(_ settings: SimulationSettings) throws(Failure) -> [Configuration] {
        var out: [Configuration] = []
        for method in settings.methods {
            guard let base = settings.step ?? defaultStep(method) else {
                if method == .rk4, certificate.steps != nil {
                    throw Failure(
                        message:
                            "the certificate states no RK4 step for this game (projected dynamics: see "
                            + "steps.rk4.guarantee), so no RK4 claim can be observed; give --step to run RK4 "
                            + "anyway, unjudged"
                    )
                }
                throw Failure(message: "the game is not certified, so there is no certified step: give --step")
            }
            for f in settings.stepFactors { out.append(Configuration(method: method, step: base * f, stepFactor: f)) }
        }
        return out
    }

    /// Runs every configuration from every start (on all cores; results in a fixed order).
    public func run(_ settings: SimulationSettings) throws(Failure) -> [SimulationRun] {
        let configs = try configurations(settings)
        let starts = self.starts(settings)
        let count = configs.count * starts.count
        return Parallel.map(count: count) { k in
            let c = configs[k / starts.count]
            return simulate(
                from: starts[k % starts.count], index: k % starts.count, method: c.method, step: c.step,
                stepFactor: c.stepFactor, settings: settings)
        }
    }

    /// One run from `start`.
    public func simulate(
        from start: [Double], index: Int = 0, method: Integrator, step h: Double,
        stepFactor: Double = 1, settings: SimulationSettings
    ) -> SimulationRun {
        let (coverage, q) = coverage(method, step: h)
        let unit = [Double](repeating: 1, count: weights.count)
        // The certificate's metric: its weights, or ‖Lᵀ·‖ for the full-metric rung.
        let factor = certificate.certifiedBy == .lyapunov ? certificate.lyapunov?.cholesky : nil
        func metric(_ v: [Double]) -> Double {
            guard let l = factor else { return dynamics.metricNorm(v, weights: weights) }
            return l.transposeTimes(v).reduce(0) { $0 + $1 * $1 }.squareRoot()
        }
        func distances(_ x: [Double]) -> (Double, Double) {
            let dx = zip(x, equilibrium).map { $0 - $1 }
            return (dynamics.metricNorm(dx, weights: unit), metric(dx))
        }
        var x = start
        let (e0, m0) = distances(x)
        let rounding = Self.roundoff * metric(equilibrium)
        let floor = max(Self.noiseFloor * m0, 1e4 * rounding)
        let slack = Self.absoluteSlack * m0 + rounding
        var trace: [TracePoint] = []
        var stride = 1
        func record(_ k: Int, _ e: Double, _ m: Double) {
            guard settings.traceLimit > 0, k % stride == 0 else { return }
            trace.append(TracePoint(step: k, distance: e, metricDistance: m))
            if trace.count >= settings.traceLimit {
                trace = trace.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
                stride *= 2
            }
        }
        record(0, e0, m0)
        var e = e0
        var m = m0
        var k = 0
        var worst: Double? = nil
        var logSum = 0.0
        var measured = 0
        var kept = true
        var converged = m0 == 0
        var diverged = false
        while !converged && k < settings.maxSteps {
            x = method.step(dynamics, x, h: h)
            k += 1
            let (e1, m1) = distances(x)
            guard e1.isFinite, m1.isFinite, m1 <= Self.divergence * m0 else {
                diverged = true
                kept = false
                e = e1
                m = m1
                break
            }
            if m > floor {
                let r = m1 / m
                worst = max(worst ?? r, r)
                if r > 0 {
                    logSum += log(r)
                    measured += 1
                }
            }
            if let q, m1 > q * m * (1 + Self.relativeSlack) + slack { kept = false }
            e = e1
            m = m1
            record(k, e, m)
            converged = m <= max(settings.tolerance * m0, rounding)
        }
        if settings.traceLimit > 0, trace.last?.step != k {
            trace.append(TracePoint(step: k, distance: e, metricDistance: m))
        }
        let behaved: Bool?
        switch coverage {
        case .factor: behaved = kept
        case .convergence: behaved = !diverged && (converged || m < m0)
        case .none: behaved = nil
        }
        return SimulationRun(
            method: method, step: h, stepFactor: stepFactor, start: index, converged: converged,
            diverged: diverged, steps: k, initialDistance: e0, initialMetricDistance: m0,
            finalDistance: e, finalMetricDistance: m, worstFactor: worst,
            meanFactor: measured > 0 ? exp(logSum / Double(measured)) : nil,
            coverage: coverage, certifiedFactor: q, behaved: behaved, trace: trace)
    }

    /// A standard normal deviate (Box–Muller), so random directions are uniform on the sphere.
    static func gaussian(_ rng: inout SeededGenerator) -> Double {
        let u1 = max(rng.uniform(0, 1), Double.leastNormalMagnitude)
        let u2 = rng.uniform(0, 1)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}
