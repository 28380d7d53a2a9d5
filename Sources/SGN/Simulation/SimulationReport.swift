import Foundation

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
