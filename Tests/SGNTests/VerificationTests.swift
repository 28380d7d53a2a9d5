import Foundation
import Testing

@testable import SGN

@Suite("Verification: honest certificates hold")
struct VerificationAcceptanceTests {
    /// Every example and test game: the certificate `certify` produces verifies, claim by claim.
    @Test func everyCertificateVerifies() throws {
        for (name, g) in try TestGames.everyGame() {
            let report = try CertificateEdit.verify(g, try CertificateEdit.jsonValue(try Certifier().certify(g)))
            let failed = report.failed.map {
                "\($0.claim) stated \(JSONWriter.write($0.stated)) recomputed \(JSONWriter.write($0.recomputed))"
            }
            #expect(report.holds, "\(name): \(failed)")
            #expect(report.exitCode == 0)
        }
    }

    /// Certificates whose weights maximise other objectives verify as well.
    @Test(arguments: [Objective.euler, .rk4]) func otherObjectivesVerify(_ objective: Objective) throws {
        for (name, g) in try TestGames.everyGame() {
            let report = try CertificateEdit.verify(
                g, try CertificateEdit.jsonValue(try Certifier(objective: objective).certify(g)))
            #expect(report.holds, "\(name): \(report.failed.map(\.claim))")
        }
    }

    /// The certified claims are all present in the report of a certified game.
    @Test func reportListsEveryClaim() throws {
        let g = try GameReader.read(path: examplePath("mini-toy.json"))
        let report = try CertificateEdit.verify(g, try CertificateEdit.jsonValue(try Certifier().certify(g)))
        let names = Set(report.claims.map(\.claim))
        for claim in [
            "game", "constants.curvature", "constants.coupling", "margins.sgn", "metric.weights", "contraction_rate",
            "lipschitz", "status", "steps.euler.max", "steps.euler.recommended", "steps.euler.factor",
            "steps.rk4.max", "steps.rk4.guideline", "timescale_band", "equilibrium",
        ] {
            #expect(names.contains(claim), "missing claim \(claim)")
        }
        guard case let .object(pairs) = report.json(gameFile: "g.json", certificateFile: "c.json"),
            case let .array(claims)? = pairs.first(where: { $0.key == "claims" })?.value,
            case let .object(first)? = claims.first
        else {
            Issue.record("bad report JSON")
            return
        }
        #expect(first.map(\.key) == ["claim", "stated", "recomputed", "holds", "check"])
    }

    /// Conservative edits (weaker claims) still hold: a smaller curvature, a larger coupling
    /// bound, a smaller maximum step, a narrower band.
    @Test func saferEditsHold() throws {
        let g = try GameReader.read(path: examplePath("mini-toy.json"))
        let v = try CertificateEdit.jsonValue(try Certifier().certify(g))
        for edit in [
            (["constants", "curvature", "x"], 0.9), (["constants", "coupling", "x", "y"], 1.1),
            (["steps", "euler", "max"], 0.9), (["steps", "rk4", "max"], 0.9),
            (["timescale_band", "lower"], 1.1), (["timescale_band", "upper"], 0.9),
        ] {
            let report = try CertificateEdit.verify(g, CertificateEdit.scale(v, edit.0, by: edit.1))
            #expect(report.holds, "\(edit.0): \(report.failed.map(\.claim))")
        }
    }
}

@Suite("Verification: tampering in the unsafe direction fails")
struct VerificationTamperingTests {
    struct Case: Sendable, CustomStringConvertible {
        var path: [String]
        var factor: Double
        var also: [[String]] = []
        var description: String { path.joined(separator: ".") + " x\(factor)" }
    }

    static let cases: [Case] = [
        // Larger margin (with the rung's margin edited alike, so the certificate stays self-consistent).
        Case(path: ["contraction_rate"], factor: 1.01, also: [["margins", "sgn"]]),
        Case(path: ["margins", "euclidean"], factor: 0.5),  // -4.025 → -2.01: larger
        Case(path: ["margins", "sgn"], factor: 1.01),
        Case(path: ["margins", "weighted"], factor: 1.5),
        // Smaller Lipschitz constant.
        Case(path: ["lipschitz"], factor: 0.99),
        // Larger steps, smaller factor.
        Case(path: ["steps", "euler", "max"], factor: 1.01),
        Case(path: ["steps", "euler", "recommended"], factor: 1.01),
        Case(path: ["steps", "euler", "factor"], factor: 0.99),
        Case(path: ["steps", "rk4", "max"], factor: 1.01),
        Case(path: ["steps", "rk4", "guideline"], factor: 1.01),
        // Changed weights.
        Case(path: ["metric", "weights", "x"], factor: 1.2),
        Case(path: ["metric", "weights", "x"], factor: 0.8),
        // Constants in the unsafe direction.
        Case(path: ["constants", "curvature", "y"], factor: 1.01),
        Case(path: ["constants", "coupling", "y", "x"], factor: 0.99),
        Case(path: ["constants", "own_size", "x"], factor: 0.99),
        Case(path: ["constants", "gain_spectral_radius"], factor: 0.99),
        Case(path: ["constants", "comparison_min_eigenvalue"], factor: 1.01),
        // A wider band, a wrong optimum.
        Case(path: ["timescale_band", "lower"], factor: 0.99),
        Case(path: ["timescale_band", "upper"], factor: 1.01),
        Case(path: ["timescale_band", "optimum"], factor: 1.5),
        // A lower margin tolerance.
        Case(path: ["numerics", "margin_tolerance"], factor: 0.5),
    ]

    @Test(arguments: cases) func miniToyTampering(_ c: Case) throws {
        let g = try GameReader.read(path: examplePath("mini-toy.json"))
        var v = try CertificateEdit.jsonValue(try Certifier().certify(g))
        #expect(CertificateEdit.get(v, c.path) != nil, "no field \(c.path)")
        v = CertificateEdit.scale(v, c.path, by: c.factor)
        for p in c.also { v = CertificateEdit.scale(v, p, by: c.factor) }
        let report = try CertificateEdit.verify(g, v)
        #expect(!report.holds, "\(c) was accepted")
        #expect(report.exitCode == 1)
    }

    /// The same edits on games certified by the other rungs and with more players or boxes.
    @Test(arguments: ["boxed", "network", "zero-sum-like"]) func otherGamesTampering(_ name: String) throws {
        let g = try game(TestGames.all[name]!)
        let c = try Certifier().certify(g)
        let v = try CertificateEdit.jsonValue(c)
        let rung = c.certifiedBy!.rawValue
        var edits: [(path: [String], factor: Double, also: [[String]])] = [
            (["contraction_rate"], 1.001, [["margins", rung]]), (["lipschitz"], 0.999, []),
            (["steps", "euler", "max"], 1.001, []), (["steps", "euler", "recommended"], 1.001, []),
        ]
        if c.steps?.rk4.max != nil { edits.append((["steps", "rk4", "max"], 1.001, [])) }
        for p in c.players { edits.append((["metric", "weights", p], 1.3, [])) }
        for e in edits {
            var t = CertificateEdit.scale(v, e.path, by: e.factor)
            for p in e.also { t = CertificateEdit.scale(t, p, by: e.factor) }
            let report = try CertificateEdit.verify(g, t)
            #expect(!report.holds, "\(name): \(e.path) x\(e.factor) was accepted")
        }
    }

    /// A boxed game states no RK4 step; a certificate that states one anyway fails verification.
    @Test func boxedRK4FigureIsRejected() throws {
        let g = try game(TestGames.boxed)
        let v = try CertificateEdit.jsonValue(try Certifier().certify(g))
        #expect(CertificateEdit.get(v, ["steps", "rk4", "max"]) == .null)
        #expect(try CertificateEdit.verify(g, v).holds)
        let stated = CertificateEdit.set(v, ["steps", "rk4", "max"]) { _ in .number(0.5) }
        #expect(try CertificateEdit.verify(g, stated).failed.map(\.claim) == ["steps.rk4.max"])
    }

    /// A not-certified game (tandem) presented as certified, with self-consistent numbers, fails.
    @Test func certifiedStatusOnAnUncertifiableGame() throws {
        let g = try game(TestGames.tandem)
        let c = try Certifier().certify(g)
        #expect(c.status == .notCertified)
        var forged = c
        forged.status = .certified
        forged.certifiedBy = .sgn
        forged.contractionRate = 0.5
        forged.margins[.sgn] = 0.5
        forged.steps = StepSizes(margin: 0.5, lipschitz: c.lipschitz, exact: true, constrained: false)
        let report = try CertificateEdit.verify(g, try CertificateEdit.jsonValue(forged))
        #expect(!report.holds)
        #expect(report.failed.contains { $0.claim == "status" })
        #expect(report.failed.contains { $0.claim == "contraction_rate" })
    }

    /// Status and fields must agree: certified without steps, or by the euclidean rung at
    /// non-unit weights, is inconsistent.
    @Test func inconsistentStatusFails() throws {
        let g = try GameReader.read(path: examplePath("mini-toy.json"))
        let v = try CertificateEdit.jsonValue(try Certifier().certify(g))
        let noSteps = CertificateEdit.set(v, ["steps"]) { _ in .null }
        let failed = try CertificateEdit.verify(g, noSteps).failed
        #expect(failed.map(\.claim) == ["status"])
        // A failing claim names what is wrong: never two equal values.
        #expect(failed.first?.stated == .string("certified"))
        #expect(failed.first?.recomputed == .string("certified, but steps is null"))
        let euclidean = CertificateEdit.set(v, ["certified_by"]) { _ in .string("euclidean") }
        #expect(!(try CertificateEdit.verify(g, euclidean).holds))
    }

    /// A proven guarantee claimed where the certificate may only estimate fails; so does an edited equilibrium.
    @Test func guaranteeAndEquilibriumEdits() throws {
        let g = try game(TestGames.boxed)
        let v = try CertificateEdit.jsonValue(try Certifier().certify(g))
        let proven = CertificateEdit.set(v, ["steps", "rk4", "guarantee"]) { _ in
            .string(RK4Guarantee.provenLinear.prose)
        }
        #expect(try CertificateEdit.verify(g, proven).failed.map(\.claim) == ["steps.rk4.guarantee"])
        // A sentence no version of sgn wrote is bad input, named by its JSON path.
        let unknown = CertificateEdit.set(v, ["steps", "rk4", "guarantee"]) { _ in
            .string("Proven for this linear pseudo-gradient: anything.")
        }
        let error = #expect(throws: InputError.self) { try CertificateEdit.verify(g, unknown) }
        #expect(error?.description.hasPrefix("steps.rk4.guarantee: unknown RK4 step guarantee") == true)
        let moved = CertificateEdit.set(v, ["equilibrium", "point", "a"]) { _ in .array([.number(0.5), .number(0.5)]) }
        // The stated residual (0) also understates the residual at the moved point.
        #expect(try CertificateEdit.verify(g, moved).failed.map(\.claim) == ["equilibrium", "equilibrium.residual"])
    }

    /// A certificate of another game with the same players fails on its constants.
    @Test func certificateOfAnotherGame() throws {
        let toy = try GameReader.read(path: examplePath("mini-toy.json"))
        let other = try game(TestGames.zeroSumLike)
        let report = try CertificateEdit.verify(other, try CertificateEdit.jsonValue(try Certifier().certify(toy)))
        #expect(!report.holds)
        #expect(report.failed.contains { $0.claim == "constants.coupling" })
    }

    /// Different players or dimensions: only the identity claim is reported, and it fails.
    @Test func certificateForDifferentPlayers() throws {
        let net = try game(TestGames.network)
        let toy = try GameReader.read(path: examplePath("mini-toy.json"))
        let report = try CertificateEdit.verify(net, try CertificateEdit.jsonValue(try Certifier().certify(toy)))
        #expect(report.claims.map(\.claim) == ["game"])
        #expect(!report.holds)
    }
}

@Suite("Verification: malformed certificates are bad input with a JSON path")
struct CertificateReadingTests {
    func decodeError(_ v: JSONValue) -> InputError? {
        do {
            _ = try StatedCertificate.decode(JSONNode(v))
            return nil
        } catch {
            return error
        }
    }

    func certificate() throws -> JSONValue {
        try CertificateEdit.jsonValue(try Certifier().certify(try GameReader.read(path: examplePath("mini-toy.json"))))
    }

    @Test func missingKeyNamesItsPath() throws {
        let v = CertificateEdit.set(try certificate(), ["steps", "euler"]) { e in
            guard case let .object(p) = e else { return e }
            return .object(p.filter { $0.key != "max" })
        }
        let e = try #require(decodeError(v))
        #expect(e.path == "steps.euler")
        #expect(e.message.contains("\"max\""))
    }

    @Test func wrongTypeNamesItsPath() throws {
        let e = try #require(decodeError(CertificateEdit.set(try certificate(), ["lipschitz"]) { _ in .string("big") }))
        #expect(e.path == "lipschitz")
        #expect(e.message.contains("expected a number"))
    }

    @Test func weightsMustNameEveryPlayer() throws {
        let v = CertificateEdit.set(try certificate(), ["metric", "weights"]) { _ in .object([("x", .number(1))]) }
        let e = try #require(decodeError(v))
        #expect(e.path == "metric.weights")
    }

    @Test func unknownFormatAndStatus() throws {
        let a = try #require(
            decodeError(CertificateEdit.set(try certificate(), ["certificate"]) { _ in .string("sgn/9") }))
        #expect(a.path == "certificate")
        let b = try #require(decodeError(CertificateEdit.set(try certificate(), ["status"]) { _ in .string("maybe") }))
        #expect(b.path == "status")
    }

    @Test func invalidJSON() {
        #expect(throws: InputError.self) { try StatedCertificate.decode(bytes: Array("{\"certificate\": ".utf8)) }
        #expect(throws: InputError.self) { try StatedCertificate.decode(bytes: Array("[1, 2]".utf8)) }
    }

    /// A line of `sgn certify`'s NDJSON batch output (with its `file` key) reads as a certificate.
    @Test func batchLineReads() throws {
        guard case let .object(pairs) = try certificate() else {
            Issue.record("not an object")
            return
        }
        let line = JSONValue.object([("file", .string("examples/mini-toy.json"))] + pairs)
        #expect(decodeError(line) == nil)
    }
}

/// A game that cannot be examined: its Jacobians cannot be computed.
private struct UnexaminableGame: Game {
    struct Blocked: Error, CustomStringConvertible {
        var description: String { "no equilibrium to centre the region on" }
    }
    var name: String { "blocked" }
    var kind: String { "quadratic" }
    var playerNames: [String] { ["x", "y"] }
    var dims: [Int] { [1, 1] }
    var geometry: String? { nil }
    var region: RegionReport { .global }
    func jacobians() throws -> JacobianSet { throw Blocked() }
    func equilibrium(certifiedStep step: Double?) -> Equilibrium? { nil }
    func basinRadius(weights: [Double]) -> Double? { nil }
    var stateDimension: Int { 2 }
    func field(_ x: [Double]) -> [Double] { x }
    func project(_ x: [Double]) -> [Double] { x }
    func metricNorm(_ dx: [Double], weights: [Double]) -> Double { 0 }
    func equilibriumState(certifiedStep: Double?) -> [Double]? { nil }
}

@Suite("Verification: bands and unexaminable games")
struct VerificationEdgeTests {
    /// Widening a player's weight band (more players) fails; narrowing it holds.
    @Test func weightBandEdits() throws {
        let g = try game(TestGames.network)
        let v = try CertificateEdit.jsonValue(try Certifier().certify(g))
        #expect(CertificateEdit.get(v, ["weight_bands", "p", "lower"]) != nil)
        for (end, factor, holds) in [
            ("lower", 0.99, false), ("upper", 1.01, false), ("lower", 1.05, true), ("upper", 0.95, true),
        ] {
            let report = try CertificateEdit.verify(
                g, CertificateEdit.scale(v, ["weight_bands", "q", end], by: factor))
            #expect(report.holds == holds, "\(end) x\(factor)")
            if !holds { #expect(report.failed.map(\.claim) == ["weight_bands"]) }
        }
    }

    /// A game that cannot be examined admits only a certificate that promises nothing.
    @Test func unexaminableGame() throws {
        let toy = try CertificateEdit.jsonValue(
            try Certifier().certify(try GameReader.read(path: examplePath("mini-toy.json"))))
        let renamed = CertificateEdit.set(toy, ["game", "players"]) { _ in .array([.string("x"), .string("y")]) }
        let report = try CertificateEdit.verify(UnexaminableGame(), renamed)
        #expect(report.claims.map(\.claim) == ["game", "status"])
        #expect(!report.holds)
        var nothing = CertificateEdit.set(renamed, ["status"]) { _ in .string("not_certified") }
        for key in ["certified_by", "contraction_rate", "steps"] {
            nothing = CertificateEdit.set(nothing, [key]) { _ in .null }
        }
        #expect(try CertificateEdit.verify(UnexaminableGame(), nothing).holds)
    }
}
