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
    public var tolerance: Double = 1e-9
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

/// Runs the dynamics a certificate speaks about from seeded starting points and measures them
/// in the certificate's metric.
public struct Simulator: Sendable {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// Per-step factors are measured only while the distance exceeds this fraction of the
    /// initial one, where rounding in the state and the equilibrium is negligible.
    public static let noiseFloor = 1e-6
    /// Slack in the per-step check `d⁺ ≤ q·d·(1 + relativeSlack) + absoluteSlack·d₀ + r`, for
    /// floating-point rounding of the iterates and of the equilibrium; `r` is
    /// `roundoff·‖x*‖_M`, the rounding level of states near a large equilibrium. The noise
    /// floor and the convergence test never go below `r` either.
    public static let relativeSlack = 1e-9
    public static let absoluteSlack = 1e-12
    public static let roundoff = 1e-13
    /// A run has diverged when its metric distance exceeds this multiple of the initial one.
    public static let divergence = 1e8

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
                    "this game kind (\(game.kind)) has no dynamics to simulate: it gives Jacobians, not a pseudo-gradient"
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
                    "the game has no unique equilibrium to simulate towards (\(certificate.reason ?? "no equilibrium found"))"
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
                            "the certificate states no RK4 step for this game (projected dynamics: see steps.rk4.guarantee), so no RK4 claim can be observed; give --step to run RK4 anyway, unjudged"
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

/// The outcome of `sgn simulate`: settings, every run, a verdict.
public struct SimulationReport: Sendable {
    public var simulator: Simulator
    public var settings: SimulationSettings
    public var runs: [SimulationRun]

    public init(simulator: Simulator, settings: SimulationSettings) throws(Simulator.Failure) {
        self.simulator = simulator
        self.settings = settings
        self.runs = try simulator.run(settings)
    }

    /// Runs the certificate speaks about.
    public var covered: [SimulationRun] { runs.filter { $0.behaved != nil } }
    public var failures: [SimulationRun] { runs.filter { $0.behaved == false } }

    /// 0 when every run at a certified step behaved as certified; 1 when one did not, or when
    /// the game is not certified (nothing was promised).
    public var exitCode: Int32 {
        simulator.certificate.status == .certified && failures.isEmpty ? 0 : 1
    }

    public var json: JSONValue {
        let c = simulator.certificate
        let region: JSONValue
        switch simulator.startRegion(settings) {
        case let .sphere(r):
            region = .object([
                ("kind", .string("sphere")), ("radius", .number(r)), ("norm", .string("euclidean")),
                ("projected", .bool(Certifier.isConstrained(simulator.game))),
            ])
        case let .basin(r):
            region = .object([("kind", .string("basin")), ("radius", .number(r)), ("norm", .string("max"))])
        }
        let runsJSON: [JSONValue] = runs.map(Self.json)
        var steps: JSONValue = .null
        if let s = c.steps {
            let proven = Certifier.rk4IsProven(for: simulator.game, estimation: c.estimation)
            let pairs: [(key: String, value: JSONValue)] = [
                ("euler_max", .number(s.euler.max)), ("euler_recommended", .number(s.euler.recommended)),
                ("rk4_max", .number(s.rk4.max)), ("rk4_guideline", .number(s.rk4.guideline)),
                ("rk4_proven", .bool(proven)),
            ]
            steps = .object(pairs)
        }
        let settingsJSON: [(key: String, value: JSONValue)] = [
            ("seed", .number(Double(settings.seed))), ("runs", .number(Double(settings.runs))),
            ("max_steps", .number(Double(settings.maxSteps))), ("tolerance", .number(settings.tolerance)),
            ("noise_floor", .number(Simulator.noiseFloor)), ("starts", region),
        ]
        let verdict = c.status != .certified ? "not_certified" : failures.isEmpty ? "as_certified" : "violated"
        let summary: [(key: String, value: JSONValue)] = [
            ("runs", .number(Double(runs.count))),
            ("converged", .number(Double(runs.filter(\.converged).count))),
            ("at_certified_steps", .number(Double(covered.count))),
            ("behaved_as_certified", .number(Double(covered.count - failures.count))),
            ("failed", .number(Double(failures.count))),
            ("verdict", .string(verdict)),
        ]
        let weights: JSONValue = .object(zip(c.players, c.weights).map { ($0, .number($1)) })
        var out: [(key: String, value: JSONValue)] = [("simulation", .string("sgn-simulate/1"))]
        out.append(("game", .object([("name", .string(c.gameName)), ("kind", .string(c.kind))])))
        out.append(("status", .string(c.status.rawValue)))
        out.append(("certified_by", .string(c.certifiedBy?.rawValue)))
        out.append(("metric", .object([("weights", weights)])))
        out.append(("contraction_rate", .number(c.contractionRate)))
        out.append(("lipschitz", .number(c.lipschitz)))
        out.append(("certified_steps", steps))
        out.append(("settings", .object(settingsJSON)))
        out.append(("runs", .array(runsJSON)))
        out.append(("summary", .object(summary)))
        return .object(out)
    }

    static func json(_ r: SimulationRun) -> JSONValue {
        var o: [(key: String, value: JSONValue)] = []
        o.append(("method", .string(r.method.rawValue)))
        o.append(("step", .number(r.step)))
        o.append(("step_factor", .number(r.stepFactor)))
        o.append(("start", .number(Double(r.start))))
        o.append(("converged", .bool(r.converged)))
        o.append(("diverged", .bool(r.diverged)))
        o.append(("steps", .number(Double(r.steps))))
        o.append(("initial_distance", .number(r.initialDistance)))
        o.append(("initial_metric_distance", .number(r.initialMetricDistance)))
        o.append(("final_distance", .number(r.finalDistance)))
        o.append(("final_metric_distance", .number(r.finalMetricDistance)))
        o.append(("worst_factor", .number(r.worstFactor)))
        o.append(("mean_factor", .number(r.meanFactor)))
        o.append(("certified_factor", .number(r.certifiedFactor)))
        o.append(("coverage", .string(r.coverage.rawValue)))
        o.append(("behaved", r.behaved.map { .bool($0) } ?? .null))
        return .object(o)
    }
}
