import ArgumentParser
import Foundation
import SGN

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the certified dynamics from seeded starts and compare them with the certificate.",
        discussion: """
            Certifies the game, then runs projected Euler and/or RK4 from --runs seeded starting points \
            (inside the basin when the certificate has one, otherwise at a fixed distance around the \
            equilibrium). Reports per run: converged, steps, final distance (at unit weights: Euclidean for \
            quadratic games; and in the certificate's metric), the worst observed one-step contraction factor \
            and the certified one.
            Exit codes: 0 every run at a certified step behaved as certified (runs beyond the certified \
            maximum are reported, not judged), 1 some run did not or the game is not certified, 2 bad input.
            """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable { case euler, rk4, both }

    @Argument(help: "The game file ('-' for stdin).", completion: .file())
    var game: String

    @Option(help: "euler (projected Euler), rk4, or both.")
    var method: Method = .euler

    @Option(
        parsing: .unconditional,
        help: "Step size (default: the certificate's recommended Euler step; for RK4 its guideline 2.5/beta).")
    var step: Double?

    @Option(
        name: .customLong("step-factor"), parsing: .unconditional,
        help: "Comma-separated multipliers of the step, for a sweep (e.g. 0.5,1,2).")
    var stepFactor: String = "1"

    @Option(parsing: .unconditional, help: "Number of seeded starting points.")
    var runs: Int = 8

    @Option(help: "Seed of the starting points.")
    var seed: UInt64 = 1

    @Option(name: .customLong("max-steps"), parsing: .unconditional, help: "Largest number of steps per run.")
    var maxSteps: Int = 10_000

    @Option(
        help:
            """
            Distance of the starts from the equilibrium (Euclidean; default: inside the basin when the certificate has \
            one, else max(1, |x*|_inf)).
            """
    )
    var radius: Double?

    @Option(parsing: .unconditional, help: "Convergence: metric distance at most this fraction of the initial one.")
    var tolerance: Double = 1e-9

    @Option(help: "What the certificate's weights maximise: rate, euler or rk4.")
    var objective: Objective = .rate

    @Flag(help: "Indent the JSON output.")
    var pretty = false

    @OptionGroup var region: RegionOptions

    @Option(help: "Output format: json or text.")
    var format: Certify.Format = .json

    func factors() throws -> [Double] {
        let parts = stepFactor.split(separator: ",", omittingEmptySubsequences: false)
        let values = parts.map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0!.isFinite && $0! > 0 }) else {
            throw ValidationError("--step-factor expects positive numbers separated by commas, got '\(stepFactor)'")
        }
        return values.map { $0! }
    }

    func validate() throws {
        _ = try factors()
        if let step, !(step.isFinite && step > 0) { throw ValidationError("--step must be a positive number") }
        if runs < 1 || runs > 100_000 { throw ValidationError("--runs must be between 1 and 100000") }
        if maxSteps < 1 || maxSteps > 100_000_000 {
            throw ValidationError("--max-steps must be between 1 and 100000000")
        }
        if let radius, !(radius.isFinite && radius > 0 && radius <= Limits.simulationRadius) {
            throw ValidationError(
                "--radius must be a positive number no larger than \(JSONWriter.format(Limits.simulationRadius))")
        }
        if !(tolerance > 0 && tolerance < 1) { throw ValidationError("--tolerance must be in (0, 1)") }
        try region.check()
        try Console.checkPretty(pretty, format)
    }

    func run() throws {
        try Console.mappingErrors {
            do {
                let g = try GameReader.read(path: game, overrides: region.overrides)
                let certificate = try Certifier(objective: objective).certify(g)
                var settings = SimulationSettings()
                settings.methods = method == .both ? [.euler, .rk4] : [method == .euler ? .euler : .rk4]
                settings.step = step
                settings.stepFactors = try factors()
                settings.runs = runs
                settings.seed = seed
                settings.maxSteps = maxSteps
                settings.startRadius = radius
                settings.tolerance = tolerance
                let report = try SimulationReport(
                    simulator: try Simulator(game: g, certificate: certificate), settings: settings)
                Console.out(format == .text ? report.text : JSONWriter.write(report.json, pretty: pretty))
                throw ExitCode(report.exitCode)
            } catch let e as Simulator.Failure {
                Console.err("sgn: \(game): \(e)")
                throw ExitCode(1)
            }
        }
    }
}

extension SimulationReport {
    /// One line per (method, step): runs converged, worst factor against the certified one.
    var text: String {
        let f = JSONWriter.format
        let c = simulator.certificate
        var lines = [
            """
            \(c.gameName): \(c.status == .certified ? "certified by \(c.certifiedBy!.rawValue)" : "not certified"), \
            \(counted(runs.count, "run")) from \(counted(settings.runs, "seeded start")) (seed \(settings.seed))
            """
        ]
        var groups: [(key: String, runs: [SimulationRun])] = []
        for r in runs {
            let key = "\(r.method.rawValue) h=\(f(r.step))"
            if let k = groups.firstIndex(where: { $0.key == key }) {
                groups[k].runs.append(r)
            } else {
                groups.append((key, [r]))
            }
        }
        for (key, rs) in groups {
            let worst = rs.compactMap(\.worstFactor).max().map(f) ?? "n/a"
            let certified: String
            switch rs.first?.coverage ?? .none {
            case .factor: certified = "certified \(rs.first?.certifiedFactor.map(f) ?? "n/a")"
            case .convergence: certified = "certified: converges (spectral radius < 1, no per-step factor)"
            case .none: certified = "no certified factor"
            }
            let verdict: String
            switch rs.first?.coverage ?? .none {
            case .none: verdict = "not covered by the certificate"
            case .factor, .convergence: verdict = rs.allSatisfy { $0.behaved == true } ? "as certified" : "VIOLATED"
            }
            lines.append(
                """
                  \(key): \(rs.filter(\.converged).count)/\(rs.count) converged, worst factor \(worst), \(certified): \
                \(verdict)
                """
            )
        }
        return lines.joined(separator: "\n")
    }
}
