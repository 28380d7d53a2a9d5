import Foundation

/// The three charts of `sgn plot` (docs/verify-simulate-plot.md).
public enum ChartKind: String, Sendable, CaseIterable {
    /// Distance to the equilibrium over time (log scale), Euclidean and in the certificate's
    /// metric, with the certified bounds `q^k` and `e^{−αt}`.
    case trajectory
    /// SGN margin against the weight ratio (two players) or each player's weight factor.
    case band
    /// Observed per-step factor of projected Euler against the step size, with the certified
    /// maximum, the recommended step and (exact games) the true linear stability limit.
    case steps
}

/// Builds charts for one game and its certificate.
public struct Plotter: Sendable {
    public let game: any Game
    public let certificate: Certificate
    /// Seeded starts per chart that simulates.
    public var runs: Int = 4
    public var seed: UInt64 = 1

    static let blue = "#1f77b4", orange = "#e66101", green = "#2ca02c", red = "#d62728", purple = "#7b3294"
    static let gray = "#555555"
    static let palette = ["#1f77b4", "#e66101", "#2ca02c", "#d62728", "#7b3294", "#8c564b", "#e377c2", "#17becf"]

    /// Largest number of players for which the band chart is drawn (each point of a curve is
    /// an N×N symmetric eigenvalue problem).
    public static let maxBandPlayers = Limits.bandChartPlayers

    public init(game: any Game, certificate: Certificate, runs: Int = 4, seed: UInt64 = 1) {
        self.game = game
        self.certificate = certificate
        self.runs = runs
        self.seed = seed
    }

    /// The chart as SVG, or nil with the reason when it does not apply to this game.
    public func chart(_ kind: ChartKind) throws -> (svg: String?, reason: String?) {
        switch kind {
        case .trajectory:
            guard certificate.status == .certified else { return (nil, "not certified: no certified step to simulate") }
            guard game is any GameDynamics else {
                return (nil, "this game kind (\(game.kind)) has no dynamics to simulate")
            }
            return (try trajectory().svg(), nil)
        case .band:
            guard game.playerNames.count >= 2 else { return (nil, "one player: no weights to trade off") }
            guard game.playerNames.count <= Self.maxBandPlayers else {
                return (
                    nil, "\(game.playerNames.count) players: the band chart is drawn for up to \(Self.maxBandPlayers)"
                )
            }
            return (try band().svg(), nil)
        case .steps:
            guard certificate.status == .certified else { return (nil, "not certified: no certified step range") }
            guard game is any GameDynamics else {
                return (nil, "this game kind (\(game.kind)) has no dynamics to run steps on")
            }
            return (try steps().svg(), nil)
        }
    }

    private var subtitle: String {
        let f = LineChart.tickLabel
        let verdict =
            certificate.status == .certified
            ? "certified by the \(certificate.certifiedBy!.rawValue) rung" : "not certified"
        var s = "\(certificate.gameName): \(verdict)"
        if let a = certificate.contractionRate {
            s += ", alpha = \(f(a, false)), beta = \(f(certificate.lipschitz, false))"
        }
        return s
    }

    // MARK: trajectory

    public func trajectory() throws -> LineChart {
        let simulator = try Simulator(game: game, certificate: certificate)
        guard let h = simulator.defaultStep(.euler), let alpha = certificate.contractionRate else {
            throw Simulator.Failure(message: "no certified step")
        }
        var settings = SimulationSettings()
        settings.runs = runs
        settings.seed = seed
        settings.traceLimit = 400
        settings.maxSteps = 20_000
        let results = try simulator.run(settings)
        let q = StepSizes.eulerFactor(step: h, margin: alpha, lipschitz: certificate.lipschitz)
        var chart = LineChart(
            title: "Trajectories: Euler steps of the certified dynamics, h = \(LineChart.tickLabel(h))",
            subtitle: subtitle, x: .init(label: "time t = k h"),
            y: .init(label: "distance / initial metric distance", log: true))
        var tMax = 0.0
        var yMin = 1.0
        for r in results where r.initialMetricDistance > 0 {
            let d0 = r.initialMetricDistance
            chart.series.append(
                .init(
                    name: "unit-weight distance", id: "euclidean",
                    points: r.trace.map { (Double($0.step) * h, $0.distance / d0) }, color: Self.blue, width: 1.4))
            chart.series.append(
                .init(
                    name: "distance in the metric", id: "metric",
                    points: r.trace.map { (Double($0.step) * h, $0.metricDistance / d0) }, color: Self.orange,
                    width: 1.4))
            tMax = max(tMax, Double(r.steps) * h)
            yMin = min(yMin, r.trace.map { min($0.distance, $0.metricDistance) / d0 }.filter { $0 > 0 }.min() ?? 1)
        }
        if tMax == 0 { tMax = 10 * h }
        let samples = 200
        let ts = (0...samples).map { tMax * Double($0) / Double(samples) }
        chart.series.append(
            .init(
                name: "certified q^k, q = \(LineChart.tickLabel(q))", id: "bound-euler",
                points: ts.map { ($0, pow(q, $0 / h)) }, color: Self.red, dash: "7 4", width: 2))
        chart.series.append(
            .init(
                name: "flow bound exp(-alpha t)", id: "bound-flow",
                points: ts.map { ($0, exp(-alpha * $0)) }, color: Self.purple, dash: "2 3", width: 2))
        chart.x.min = 0
        chart.x.max = tMax
        chart.y.min = max(yMin / 2, 1e-14)
        let yMax =
            results.flatMap { r in
                r.trace.map { max($0.distance, $0.metricDistance) / max(r.initialMetricDistance, Tolerance.scaleFloor) }
            }.max() ?? 1
        chart.y.max = max(yMax * 1.5, 1.5)
        chart.note =
            """
            \(counted(results.count, "run")) from seeded starts (seed \(seed)); the unit-weight distance may grow \
            while the metric distance stays under the bound.
            """
        return chart
    }

    // MARK: band

    public func band() throws -> LineChart {
        let analysis = try Analysis(game: game)
        return analysis.playerCount == 2 ? try twoPlayerBand(analysis) : try perPlayerBand(analysis)
    }

    /// Two players: the SGN margin (and, when affordable, the exact margin in the metric) against
    /// the weight ratio, with the band, the optimum and the certificate's weights.
    func twoPlayerBand(_ analysis: Analysis) throws -> LineChart {
        let names = game.playerNames
        let optimum = analysis.sgn.weights[1] / analysis.sgn.weights[0]
        let band = certificate.timescaleBand
        var lo = optimum / 1e3
        var hi = optimum * 1e3
        if let b = band, b.lower > 0 {
            lo = b.lower / 10
            // An unbounded band (a player nobody's gradient depends on) is shown over four decades.
            hi = b.upper.map { $0 * 10 } ?? b.lower * 1e4
        }
        let rs = (0...240).map { exp(log(lo) + (log(hi) - log(lo)) * Double($0) / 240) }
        var chart = LineChart(
            title: "SGN margin against the metric weight ratio \(names[1])/\(names[0])", subtitle: subtitle,
            x: .init(
                label: "metric weight ratio w_\(names[1]) / w_\(names[0]) (not a step-size ratio)", log: true,
                min: lo, max: hi),
            y: .init(label: "margin"))
        let sgnPoints = try rs.map { ($0, try analysis.gamma.margin(weights: [1, $0])) }
        chart.series.append(
            .init(name: "SGN margin alpha*(w)", id: "sgn-margin", points: sgnPoints, color: Self.blue, width: 2.2))
        var values = sgnPoints.map(\.1)
        if Self.exactMarginAffordable(analysis) {
            let exact = try rs.map { ($0, try analysis.spectra.margin(weights: [1, $0])) }
            chart.series.append(
                .init(
                    name: "exact margin (metric)", id: "exact-margin", points: exact,
                    color: Self.green, dash: "6 3"))
            values += exact.map(\.1)
        }
        annotateTwoPlayerBand(&chart, optimum: optimum, lo: lo, hi: hi)
        Self.clampMargins(&chart, values: values, curvature: analysis.constants.curvature)
        return chart
    }

    /// The exact-margin curve is one eigenvalue problem per sample point and chart point: drawn
    /// for up to 64 points of any size up to 200, and for more points (sampled Markov games) while
    /// their total size stays small (`Limits.bandChartExact…`). Without it a game certified by the
    /// weighted rung would have no curve showing why.
    static func exactMarginAffordable(_ analysis: Analysis) -> Bool {
        let set = analysis.set
        let size = set.jacobians.first?.size ?? 0
        let points = set.jacobians.count
        return analysis.hasMargins && size <= Limits.bandChartExactOrder
            && (points <= Limits.bandChartExactPoints
                || Double(points) * pow(Double(size), 3) <= Limits.bandChartExactWork)
    }

    /// The two-player band chart's note, band shade and markers.
    func annotateTwoPlayerBand(_ chart: inout LineChart, optimum: Double, lo: Double, hi: Double) {
        let band = certificate.timescaleBand
        if band == nil {
            // The band is the SGN rung's; a game certified by another rung is still certified.
            if certificate.status == .certified, let rung = certificate.certifiedBy {
                chart.note =
                    """
                    no weight ratio gives a positive SGN margin (the SGN band is empty), but the game is certified by \
                    the \(rung.rawValue) rung: its exact margin is positive at the certificate's weights
                    """
            } else {
                chart.note = "no weight ratio gives a positive SGN margin: the band is empty"
            }
        }
        if optimum > hi || optimum < lo {
            chart.note =
                """
                the optimum ratio \(LineChart.tickLabel(optimum)) is off the chart: the band is unbounded and the \
                margin approaches its best value as the ratio grows
                """
        }
        if let b = band {
            chart.shades.append(
                .init(
                    from: b.lower, to: b.upper ?? .infinity, label: "band: weight ratios with SGN margin >= 0",
                    id: "band",
                    color: Self.green))
        }
        chart.verticalMarkers.append(
            .init(
                value: optimum, label: "optimum \(LineChart.tickLabel(optimum))", id: "optimum",
                color: Self.red, dash: nil))
        let certRatio = certificate.weights[1] / certificate.weights[0]
        if abs(certRatio / optimum - 1) > 1e-6 {
            chart.verticalMarkers.append(
                .init(
                    value: certRatio, label: "certificate's weights", id: "certificate-weights",
                    color: Self.purple))
        }
        chart.horizontalMarkers.append(
            .init(value: 0, label: "margin 0", id: "zero", color: Self.gray, dash: "3 3"))
    }

    /// More players: one curve per player (up to eight), others at the SGN weights.
    func perPlayerBand(_ analysis: Analysis) throws -> LineChart {
        let names = game.playerNames
        let shown = Array(names.indices.prefix(8))
        let ts = (0...160).map { exp(log(1e-3) + (log(1e3) - log(1e-3)) * Double($0) / 160) }
        var chart = LineChart(
            title: "SGN margin against each player's weight factor", subtitle: subtitle,
            x: .init(
                label: "factor t on one player's weight (others at the SGN weights)", log: true,
                min: 1e-3, max: 1e3),
            y: .init(label: "margin"))
        var values: [Double] = []
        for (k, i) in shown.enumerated() {
            let points = try ts.map { t -> (x: Double, y: Double) in
                var w = analysis.sgn.weights
                w[i] *= t
                return (t, try analysis.gamma.margin(weights: w))
            }
            values += points.map(\.y)
            chart.series.append(
                .init(
                    name: "player \(names[i])", id: "player-\(names[i])", points: points,
                    color: Self.palette[k % Self.palette.count]))
        }
        chart.verticalMarkers.append(.init(value: 1, label: "SGN weights", id: "optimum", color: Self.red, dash: nil))
        chart.horizontalMarkers.append(.init(value: 0, label: "margin 0", id: "zero", color: Self.gray, dash: "3 3"))
        if names.count > shown.count { chart.note = "showing the first \(shown.count) of \(names.count) players" }
        Self.clampMargins(&chart, values: values, curvature: analysis.constants.curvature)
        return chart
    }

    /// Margins fall without bound at extreme weights; keep the interesting part in view.
    private static func clampMargins(_ chart: inout LineChart, values: [Double], curvature: [Double]) {
        let finite = values.filter(\.isFinite)
        let top = max(finite.max() ?? 1, 0)
        let scale = top > 0 ? top : max(curvature.map(abs).max() ?? 0, 1e-12)
        let bottom = max(finite.min() ?? -1, -2 * scale)
        chart.y.min = min(bottom, -0.1 * scale)
        chart.y.max = top + 0.15 * (top - chart.y.min!)
    }

    // MARK: steps

    public func steps() throws -> LineChart {
        let simulator = try Simulator(game: game, certificate: certificate)
        guard let steps = certificate.steps, let alpha = certificate.contractionRate else {
            throw Simulator.Failure(message: "no certified step")
        }
        let beta = certificate.lipschitz
        let limit = try Self.eulerStabilityLimit(game: game, estimation: certificate.estimation)
        let hMax = 1.6 * max(steps.euler.max, limit ?? 0)
        let count = 60
        let hs = (1...count).map { hMax * Double($0) / Double(count) }
        let (settings, results) = stepRuns(simulator, steps: hs)
        var chart = LineChart(
            title: "Projected Euler: observed per-step factor against the step size", subtitle: subtitle,
            x: .init(label: "step size h", min: 0, max: hMax),
            y: .init(label: "factor in the certificate's metric"))
        let cap = 1e6
        chart.series.append(
            .init(
                name: "observed worst factor", id: "observed-worst",
                points: zip(hs, results).map { ($0, min(cap, $1.compactMap(\.worstFactor).max() ?? .nan)) },
                color: Self.blue, width: 2))
        chart.series.append(
            .init(
                name: "observed mean factor", id: "observed-mean",
                points: zip(hs, results).map { ($0, min(cap, $1.compactMap(\.meanFactor).max() ?? .nan)) },
                color: Self.green, dash: "5 3"))
        chart.series.append(
            .init(
                name: "certified factor", id: "certified-factor",
                points: hs.filter { $0 < steps.euler.max }.map {
                    ($0, StepSizes.eulerFactor(step: $0, margin: alpha, lipschitz: beta))
                }, color: Self.red, width: 2.2))
        chart.verticalMarkers.append(
            .init(
                value: steps.euler.max, label: "certified max \(LineChart.tickLabel(steps.euler.max))",
                id: "certified-max", color: Self.red))
        chart.verticalMarkers.append(
            .init(
                value: steps.euler.recommended,
                label: "recommended \(LineChart.tickLabel(steps.euler.recommended))",
                id: "recommended", color: Self.orange))
        if let limit {
            // For boxed games this is the limit of the unprojected linear dynamics.
            let what = Certifier.isConstrained(game) ? "unprojected Euler limit" : "true Euler limit"
            chart.verticalMarkers.append(
                .init(
                    value: limit, label: "\(what) \(LineChart.tickLabel(limit))",
                    id: "true-limit", color: Self.purple, dash: "2 3"))
        }
        chart.horizontalMarkers.append(.init(value: 1, label: "factor 1", id: "one", color: Self.gray, dash: "3 3"))
        Self.zoomOnFactors(&chart)
        chart.note =
            """
            \(counted(settings.runs, "seeded run")) of up to \(counted(settings.maxSteps, "step")) per h; factors \
            above 1.6 are off the chart.
            """
        return chart
    }

    /// Projected Euler from a few seeded starts at every step size of the steps chart.
    func stepRuns(_ simulator: Simulator, steps hs: [Double]) -> (SimulationSettings, [[SimulationRun]]) {
        var settings = SimulationSettings()
        settings.runs = max(1, min(runs, 3))
        settings.seed = seed
        settings.maxSteps = 300
        let starts = simulator.starts(settings)
        let frozen = settings
        let results = Parallel.map(count: hs.count) { k in
            starts.enumerated().map {
                simulator.simulate(from: $1, index: $0, method: .euler, step: hs[k], settings: frozen)
            }
        }
        return (settings, results)
    }

    /// Zoom on the factors actually seen (they can all sit close to 1), never above 1.6.
    static func zoomOnFactors(_ chart: inout LineChart) {
        let seen = chart.series.flatMap { $0.points.map(\.y) }.filter { $0.isFinite && $0 >= 0 }
        let hi = max(min(seen.max() ?? 1.6, 1.6), 1 + 0.1 * (1 - (seen.min() ?? 0)))
        let lo = max(0, (seen.min() ?? 0) - 0.05 * (hi - (seen.min() ?? 0)))
        chart.y.min = lo
        chart.y.max = hi + 0.03 * (hi - lo)
    }

    /// Exact games: the largest h for which `I − hJ` has spectral radius below 1,
    /// `min over eigenvalues λ of J of 2 Re λ / |λ|²` (0 when some Re λ ≤ 0); the limit of the
    /// unprojected linear dynamics. nil for sampled constants or games beyond the dense limit.
    public static func eulerStabilityLimit(game: any Game, estimation: Estimation) throws -> Double? {
        guard estimation == .exact, let j = try game.exactJacobian(), j.size <= Verifier.generalEigenLimit else {
            return nil
        }
        let e = try LAPACK.eigen(j.dense())
        var limit = Double.infinity
        for (re, im) in zip(e.real, e.imaginary) {
            let m2 = re * re + im * im
            if m2 == 0 { continue }
            if re <= 0 { return 0 }
            limit = min(limit, 2 * re / m2)
        }
        return limit.isFinite ? limit : nil
    }
}
