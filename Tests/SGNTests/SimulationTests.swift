import Foundation
import Testing

@testable import SGN

@Suite("Simulation")
struct SimulationTests {
    /// At certified Euler steps (the recommended one, half of it, and just below the maximum)
    /// the observed one-step factor never exceeds the certified one, on every certified game.
    @Test func observedFactorsStayBelowCertifiedOnes() throws {
        var checked = 0
        for (name, g) in try TestGames.everyGame() {
            let c = try Certifier().certify(g)
            guard c.status == .certified, let steps = c.steps else { continue }
            let simulator = try Simulator(game: g, certificate: c)
            var settings = SimulationSettings()
            // Every step is checked against the certified factor, so a few hundred steps from a
            // few starts exercise the promise; convergence itself is not needed here.
            settings.runs = 3
            settings.maxSteps = 400
            settings.stepFactors = [0.5, 1, 0.99 * steps.euler.max / steps.euler.recommended]
            let runs = try simulator.run(settings)
            for r in runs {
                #expect(r.coverage == .factor)
                #expect(r.behaved == true, "\(name) h=\(r.step) start \(r.start)")
                let q = try #require(r.certifiedFactor)
                if let w = r.worstFactor {
                    #expect(w <= q * (1 + 1e-9), "\(name) h=\(r.step): observed \(w) > certified \(q)")
                }
            }
            checked += 1
        }
        #expect(checked >= 3)
    }

    /// RK4 at its guideline converges on exact unconstrained games. Boxed games state no RK4
    /// step (projected RK4 is not covered), so there is no default RK4 step to run, and a run
    /// at an explicit step is not judged.
    @Test func rk4AtTheGuideline() throws {
        let toy = try GameReader.read(path: examplePath("mini-toy.json"))
        let c = try Certifier().certify(toy)
        var settings = SimulationSettings()
        settings.methods = [.rk4]
        let runs = try Simulator(game: toy, certificate: c).run(settings)
        #expect(runs.allSatisfy { $0.coverage == .convergence && $0.converged && $0.behaved == true })
        #expect(runs.allSatisfy { abs($0.step - c.steps!.rk4.guideline!) < 1e-15 })

        let boxed = try game(TestGames.boxed)
        let boxedCertificate = try Certifier().certify(boxed)
        #expect(boxedCertificate.status == .certified)
        #expect(boxedCertificate.steps?.rk4.max == nil && boxedCertificate.steps?.rk4.guideline == nil)
        #expect(boxedCertificate.steps?.rk4.guarantee == .projectedNoStep)
        let boxedSimulator = try Simulator(game: boxed, certificate: boxedCertificate)
        #expect(throws: Simulator.Failure.self) { try boxedSimulator.run(settings) }
        settings.step = 0.01
        let boxedRuns = try boxedSimulator.run(settings)
        #expect(boxedRuns.allSatisfy { $0.coverage == .none && $0.behaved == nil })
    }

    /// Steps beyond the certified maximum are reported but never judged.
    @Test func stepsBeyondTheMaximumAreNotJudged() throws {
        let toy = try GameReader.read(path: examplePath("mini-toy.json"))
        let c = try Certifier().certify(toy)
        var settings = SimulationSettings()
        settings.stepFactors = [4, 20]
        settings.maxSteps = 200
        let report = try SimulationReport(simulator: try Simulator(game: toy, certificate: c), settings: settings)
        #expect(report.runs.allSatisfy { $0.behaved == nil && $0.certifiedFactor == nil })
        #expect(report.runs.filter { $0.stepFactor == 20 }.allSatisfy { $0.diverged })  // h ≈ 2.0 > true limit 1.17
        #expect(report.exitCode == 0)
    }

    /// The same seed gives the same runs; another seed gives other starts.
    @Test func reproducibleBySeed() throws {
        let g = try game(TestGames.network)
        let c = try Certifier().certify(g)
        var settings = SimulationSettings()
        settings.methods = [.euler, .rk4]
        settings.stepFactors = [0.5, 1, 3]
        settings.seed = 42
        let a = try SimulationReport(simulator: try Simulator(game: g, certificate: c), settings: settings)
        let b = try SimulationReport(simulator: try Simulator(game: g, certificate: c), settings: settings)
        #expect(JSONWriter.write(a.json) == JSONWriter.write(b.json))
        settings.seed = 43
        let other = try SimulationReport(simulator: try Simulator(game: g, certificate: c), settings: settings)
        #expect(JSONWriter.write(a.json) != JSONWriter.write(other.json))
    }

    /// Unconstrained starts sit at the documented Euclidean radius max(1, ‖x*‖∞) from the equilibrium.
    @Test func startsAtTheDocumentedRadius() throws {
        let g = try game(TestGames.zeroSumLike)
        let s = try Simulator(game: g, certificate: try Certifier().certify(g))
        var settings = SimulationSettings()
        settings.runs = 5
        let r = max(1, s.equilibrium.map(abs).max()!)
        #expect(s.startRegion(settings) == .sphere(radius: r))
        for x in s.starts(settings) {
            expectClose(s.dynamics.euclideanNorm(zip(x, s.equilibrium).map { $0 - $1 }), r, 1e-12)
        }
        settings.startRadius = 0.25
        #expect(s.startRegion(settings) == .sphere(radius: 0.25))
    }

    /// Boxed games: starts and iterates stay feasible, and runs converge to the boundary equilibrium.
    @Test func projectedEulerStaysInTheBox() throws {
        let g = try game(TestGames.boxed)
        let s = try Simulator(game: g, certificate: try Certifier().certify(g))
        var settings = SimulationSettings()
        settings.runs = 4
        for x in s.starts(settings) { #expect(x.allSatisfy { $0 >= -1 && $0 <= 1 }) }
        #expect(s.equilibrium.contains { abs(abs($0) - 1) < 1e-12 }, "equilibrium on the boundary")
        let runs = try s.run(settings)
        #expect(runs.allSatisfy { $0.converged && $0.behaved == true })
    }

    /// A game that is not certified has no certified step: simulation needs one given.
    @Test func notCertifiedNeedsAStep() throws {
        let g = try game(
            """
            {"kind": "quadratic", "players": [
              {"name": "x", "dim": 1, "hessian": 1, "coupling": {"y": [[15]]}},
              {"name": "y", "dim": 1, "hessian": 1, "coupling": {"x": [[0.075]]}}]}
            """)
        let c = try Certifier().certify(g)
        #expect(c.status == .notCertified)
        let s = try Simulator(game: g, certificate: c)
        #expect(throws: Simulator.Failure.self) { try s.run(SimulationSettings()) }
        var settings = SimulationSettings()
        settings.step = 0.01
        settings.maxSteps = 100
        let report = try SimulationReport(simulator: s, settings: settings)
        #expect(report.runs.allSatisfy { $0.behaved == nil })
        #expect(report.exitCode == 1)
    }

    /// One Euler step of the integrator is x − hF(x); RK4 matches the exponential to O(h⁵) on a scalar game.
    @Test func integratorSteps() {
        let g = scalarGame([[2]])
        #expect(Integrator.euler.step(g, [1], h: 0.1) == [0.8])
        let y = Integrator.rk4.step(g, [1], h: 0.1)[0]
        #expect(abs(y - exp(-0.2)) < 1e-5)
    }

    /// Traces are thinned to the limit and end at the last step.
    @Test func tracesAreBounded() throws {
        let toy = try GameReader.read(path: examplePath("mini-toy.json"))
        let s = try Simulator(game: toy, certificate: try Certifier().certify(toy))
        var settings = SimulationSettings()
        settings.runs = 1
        settings.traceLimit = 50
        let r = try s.run(settings)[0]
        #expect(r.trace.count <= 52)
        #expect(r.trace.first?.step == 0)
        #expect(r.trace.last?.step == r.steps)
    }
}
