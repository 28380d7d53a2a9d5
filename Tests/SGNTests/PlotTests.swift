import Foundation
import Testing

@testable import SGN

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses SVG text with Foundation's XMLParser and collects the series, markers and shades.
final class SVGInspector: NSObject, XMLParserDelegate {
    var series = Set<String>()
    var markers = Set<String>()
    var shades = Set<String>()
    var texts: [String] = []
    var root: String?
    private var text = ""

    static func inspect(_ svg: String) throws -> SVGInspector {
        let inspector = SVGInspector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = inspector
        let ok = parser.parse()
        #expect(ok, "SVG is not well-formed XML: \(String(describing: parser.parserError))")
        return inspector
    }

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if root == nil { root = name }
        if let s = attributes["data-series"] { series.insert(s) }
        if let m = attributes["data-marker"] { markers.insert(m) }
        if let s = attributes["data-shade"] { shades.insert(s) }
        text = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text" || name == "title" { texts.append(text) }
    }
}

@Suite("Plots")
struct PlotTests {
    func plotter(_ g: any Game) throws -> Plotter { Plotter(game: g, certificate: try Certifier().certify(g), runs: 2) }

    @Test func trajectoryChart() throws {
        let p = try plotter(try GameReader.read(path: examplePath("mini-toy.json")))
        let svg = try #require(try p.chart(.trajectory).svg)
        let x = try SVGInspector.inspect(svg)
        #expect(x.root == "svg")
        #expect(x.series == ["euclidean", "metric", "bound-euler", "bound-flow"])
        #expect(x.texts.contains { $0.contains("time t = k h") })
        #expect(x.texts.contains { $0.contains("log scale") })
    }

    @Test func bandChartTwoPlayers() throws {
        let p = try plotter(try GameReader.read(path: examplePath("mini-toy.json")))
        let x = try SVGInspector.inspect(try #require(try p.chart(.band).svg))
        #expect(x.series == ["sgn-margin", "exact-margin"])
        #expect(x.shades == ["band"])
        #expect(x.markers.isSuperset(of: ["optimum", "zero"]))
        #expect(x.texts.contains { $0.contains("optimum 200") })
    }

    /// A game certified by another rung while the SGN band is empty: the chart must not read as
    /// "nothing works" (rotation-like coupling: rho(G) = 2, yet sym J = I).
    @Test func bandChartAgreesWithTheVerdict() throws {
        let g = try game(
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": 1, "#
                + #""coupling": {"y": 2}}, {"name": "y", "dim": 1, "hessian": 1, "coupling": {"x": -2}}]}"#
        )
        let p = try plotter(g)
        #expect(
            p.certificate.status == .certified && p.certificate.certifiedBy == .euclidean
                && p.certificate.timescaleBand == nil)
        let x = try SVGInspector.inspect(try #require(try p.chart(.band).svg))
        #expect(x.series.contains("exact-margin"))
        #expect(x.texts.contains { $0.contains("certified by the euclidean rung") })
        #expect(!x.texts.contains { $0.contains("the band is empty") && !$0.contains("certified") })
    }

    /// A sampled (Markov) game's band chart has the exact-margin curve too: its certificate may
    /// rest on the weighted rung (it was left out for more than 64 sample points).
    @Test func bandChartOfAMarkovGameHasTheExactCurve() throws {
        let p = try plotter(try GameReader.read(path: examplePath("coordination-2x2x2.json")))
        let x = try SVGInspector.inspect(try #require(try p.chart(.band).svg))
        #expect(x.series == ["sgn-margin", "exact-margin"])
        #expect(x.texts.contains { $0.contains("metric weight ratio w_p2 / w_p1 (not a step-size ratio)") })
    }

    @Test func bandChartMorePlayers() throws {
        let p = try plotter(try game(TestGames.network))
        let x = try SVGInspector.inspect(try #require(try p.chart(.band).svg))
        #expect(x.series == ["player-p", "player-q", "player-s", "player-r"])
        #expect(x.markers.contains("optimum"))
    }

    @Test func stepsChart() throws {
        let p = try plotter(try GameReader.read(path: examplePath("mini-toy.json")))
        let x = try SVGInspector.inspect(try #require(try p.chart(.steps).svg))
        #expect(x.series == ["observed-worst", "observed-mean", "certified-factor"])
        #expect(x.markers.isSuperset(of: ["certified-max", "recommended", "true-limit", "one"]))
        #expect(x.texts.contains { $0.contains("true Euler limit 1.172") })
    }

    /// docs/method.md §9: the mini-toy's true Euler stability limit is 2 − √2 … = 1.171573.
    @Test func eulerStabilityLimit() throws {
        let limit = try Plotter.eulerStabilityLimit(
            game: try GameReader.read(path: examplePath("mini-toy.json")), estimation: .exact)
        expectClose(limit, 1.171573, 1e-6)
    }

    /// The Euler stability limit is min over eigenvalues λ of 2 Re λ / |λ|²: a rotation game with
    /// eigenvalues 1 ± 3i has 2/10; an eigenvalue with negative real part makes every step
    /// unstable (0); sampled games have no exact limit (nil).
    @Test func eulerStabilityLimitClosedForms() throws {
        let rotation = try game(
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": 1, "#
                + #""coupling": {"y": 3}}, {"name": "y", "dim": 1, "hessian": 1, "coupling": {"x": -3}}]}"#
        )
        expectClose(try Plotter.eulerStabilityLimit(game: rotation, estimation: .exact), 0.2, 1e-12)
        let unstable = try game(
            #"{"kind": "quadratic", "players": [{"name": "x", "dim": 1, "hessian": -1}, "#
                + #"{"name": "y", "dim": 1, "hessian": 2}]}"#
        )
        #expect(try Plotter.eulerStabilityLimit(game: unstable, estimation: .exact) == 0)
        let sampled = Estimation.sampled(count: 3, seed: 1, method: .noPoints)
        #expect(try Plotter.eulerStabilityLimit(game: rotation, estimation: sampled) == nil)
    }

    /// Not-certified games get a band chart only; the reason for the others is given.
    @Test func notCertifiedGetsBandOnly() throws {
        let p = try plotter(try game(TestGames.tandem))
        #expect(try p.chart(.band).svg != nil)
        #expect(try p.chart(.trajectory).svg == nil)
        #expect(try p.chart(.steps).reason?.contains("not certified") == true)
    }

    /// Text and attributes are escaped: a game name full of XML specials still parses.
    @Test func escaping() throws {
        #expect(SVGDocument.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;")
        let g = try game(
            """
            {"name": "<&\\"odd'>", "kind": "quadratic", "players": [
              {"name": "x<", "dim": 1, "hessian": 1, "coupling": {"y&": [[10]]}},
              {"name": "y&", "dim": 1, "hessian": 1, "coupling": {"x<": [[0.05]]}}]}
            """)
        let p = try plotter(g)
        for kind in ChartKind.allCases {
            let x = try SVGInspector.inspect(try #require(try p.chart(kind).svg))
            #expect(x.texts.contains { $0.contains("<&\"odd'>") })
        }
    }

    /// Ticks: 1-2-5 steps on linear axes, decades on log axes, compact labels.
    @Test func ticks() {
        #expect(LineChart.ticks(0, 1, log: false) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(LineChart.ticks(1, 1000, log: true) == [1, 10, 100, 1000])
        #expect(LineChart.ticks(1e-12, 1e4, log: true).count <= 9)
        #expect(LineChart.tickLabel(1e-6) == "1e-6")
        #expect(LineChart.tickLabel(0.25) == "0.25")
        #expect(LineChart.tickLabel(200) == "200")
        #expect(LineChart.tickLabel(2.5e7) == "2.5e7")
    }

    /// Same inputs, same bytes.
    @Test func deterministic() throws {
        let g = try game(TestGames.boxed)
        let a = try plotter(g)
        let b = try plotter(g)
        for kind in ChartKind.allCases { #expect(try a.chart(kind).svg == b.chart(kind).svg) }
    }
}
