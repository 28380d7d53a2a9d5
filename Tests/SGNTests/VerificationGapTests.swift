import Foundation
import Testing

@testable import SGN

/// Fields a hostile-input review found `verify` accepting unchecked: the condition factor, an
/// understated equilibrium residual and the `rigor` block. Each edit fails naming its field; the
/// genuine certificate holds with the recomputed value equal to the stated one.
@Suite("Verification: derived fields, residuals and rigor are re-checked")
struct VerificationGapTests {
    static func certificate(_ file: String, rigorous: Bool = false) throws -> (any Game, JSONValue) {
        let g = try GameReader.read(path: examplePath(file))
        return (g, try CertificateEdit.jsonValue(try Certifier(rigorous: rigorous).certify(g)))
    }

    static func claim(_ report: VerificationReport, _ name: String) throws -> Claim {
        try #require(report.claims.first { $0.claim == name }, "no claim \(name)")
    }

    /// The failing claims of `v` are exactly `names`.
    static func fails(_ g: any Game, _ v: JSONValue, _ names: [String]) throws {
        let report = try CertificateEdit.verify(g, v)
        #expect(report.failed.map(\.claim) == names)
        #expect(report.exitCode == 1)
    }

    /// boxed.json (sgn weights 1 and 0.025: √40) and dirac-gan-linearised (lyapunov rung).
    @Test func conditionFactor() throws {
        let (boxed, v) = try Self.certificate("boxed.json")
        let genuine = try Self.claim(try CertificateEdit.verify(boxed, v), "metric.condition_factor")
        #expect(genuine.holds)
        #expect(genuine.recomputed == .number(40.0.squareRoot()))
        #expect(genuine.stated == genuine.recomputed)
        try Self.fails(
            boxed, CertificateEdit.set(v, ["metric", "condition_factor"]) { _ in .number(1) },
            ["metric.condition_factor"])
        try Self.fails(
            boxed, CertificateEdit.set(v, ["metric", "condition_factor"]) { _ in .null },
            ["metric.condition_factor"])

        let (gan, l) = try Self.certificate("dirac-gan-linearised.json")
        #expect(CertificateEdit.get(l, ["certified_by"]) == .string("lyapunov"))
        let report = try CertificateEdit.verify(gan, l)
        #expect(report.holds)
        #expect(try Self.claim(report, "metric.lyapunov.condition_factor").holds)
        try Self.fails(
            gan, CertificateEdit.set(l, ["metric", "condition_factor"]) { _ in .number(1) },
            ["metric.condition_factor"])
        try Self.fails(
            gan, CertificateEdit.set(l, ["metric", "lyapunov", "condition_factor"]) { _ in .number(1) },
            ["metric.lyapunov.condition_factor"])
    }

    /// An understated residual fails for a smooth, a Markov and a quadratic game; a quadratic
    /// point moved by 1e-10 (within the `equilibrium` tolerance) with its residual kept at 0 too.
    @Test(arguments: ["cournot-nonlinear.json", "rps-perturbed-tau0.1.json", "network-4.json"])
    func understatedResidual(_ file: String) throws {
        let (g, v) = try Self.certificate(file)
        let genuine = try Self.claim(try CertificateEdit.verify(g, v), "equilibrium.residual")
        #expect(genuine.holds)
        guard case let .number(stated)? = CertificateEdit.get(v, ["equilibrium", "residual"]) else {
            Issue.record("no residual")
            return
        }
        #expect(stated > 0)
        #expect(CertificateEdit.get(genuine.recomputed, ["residual"]) == .number(stated))
        try Self.fails(
            g, CertificateEdit.set(v, ["equilibrium", "residual"]) { _ in .number(0) },
            ["equilibrium.residual"])
        try Self.fails(g, CertificateEdit.scale(v, ["equilibrium", "residual"], by: 0.5), ["equilibrium.residual"])
        // Overstating is safe.
        #expect(try CertificateEdit.verify(g, CertificateEdit.scale(v, ["equilibrium", "residual"], by: 2)).holds)
    }

    @Test func movedQuadraticPointWithZeroResidual() throws {
        let (g, v) = try Self.certificate("mini-toy.json")
        #expect(CertificateEdit.get(v, ["equilibrium", "residual"]) == .number(0))
        let moved = CertificateEdit.set(v, ["equilibrium", "point", "x"]) {
            guard case let .array(xs) = $0, case let .number(x)? = xs.first else { return $0 }
            return .array([.number(x + 1e-10)] + xs.dropFirst())
        }
        let report = try CertificateEdit.verify(g, moved)
        #expect(try Self.claim(report, "equilibrium").holds)
        #expect(report.failed.map(\.claim) == ["equilibrium.residual"])
    }

    static func editRigor(_ v: JSONValue, _ key: String, _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        CertificateEdit.set(v, ["rigor", key], transform)
    }

    /// mini-toy (certified), bilinear (refuted), matching pennies (undecided: sampled constants).
    @Test func rigorBlock() throws {
        let (g, v) = try Self.certificate("mini-toy.json", rigorous: true)
        let genuine = try Self.claim(try CertificateEdit.verify(g, v), "rigor")
        #expect(genuine.holds)
        #expect(genuine.stated == genuine.recomputed)
        try Self.fails(g, CertificateEdit.scale(v, ["rigor", "proven_margin"], by: 1.5), ["rigor"])
        // A smaller proven margin claims less and holds.
        #expect(try CertificateEdit.verify(g, CertificateEdit.scale(v, ["rigor", "proven_margin"], by: 0.5)).holds)
        let flipped = Self.editRigor(v, "checks") { checks in
            guard case let .array(items) = checks, case let .object(first)? = items.first else { return checks }
            let edited = first.map { $0.key == "passed" ? ($0.key, .bool($0.value != .bool(true))) : $0 }
            return .array([.object(edited)] + items.dropFirst())
        }
        try Self.fails(g, flipped, ["rigor"])
        try Self.fails(g, Self.editRigor(v, "not_rigorous") { _ in .array([]) }, ["rigor"])
        try Self.fails(g, Self.editRigor(v, "verdict") { _ in .string("undecided") }, ["rigor"])
        // Without `rigor` the certificate is an ordinary (default-mode) one and verifies as such.
        guard case let .object(pairs) = v else { return }
        #expect(try CertificateEdit.verify(g, .object(pairs.filter { $0.key != "rigor" })).holds)

        let (bilinear, refuted) = try Self.certificate("bilinear.json", rigorous: true)
        #expect(CertificateEdit.get(refuted, ["rigor", "verdict"]) == .string("refuted"))
        #expect(try CertificateEdit.verify(bilinear, refuted).holds)
        try Self.fails(bilinear, Self.editRigor(refuted, "verdict") { _ in .string("undecided") }, ["rigor"])

        let (pennies, undecided) = try Self.certificate("matching-pennies-tau2.json", rigorous: true)
        #expect(CertificateEdit.get(undecided, ["rigor", "verdict"]) == .string("undecided"))
        #expect(try CertificateEdit.verify(pennies, undecided).holds)
        try Self.fails(pennies, Self.editRigor(undecided, "reason") { _ in .string("proven") }, ["rigor"])
    }
}

/// Certificates are read back strictly: a key no field of the format names is bad input at any
/// level, named by its JSON path; a batch line's `file` is the one extra key accepted.
@Suite("Certificate codec: unknown keys are bad input")
struct CertificateUnknownKeyTests {
    /// Every object of `v` (path steps: keys and indices), except the free-form region description.
    static func objects(_ v: JSONValue, _ path: [String] = []) -> [[String]] {
        switch v {
        case let .object(pairs):
            if path.suffix(2) == ["region", "description"] { return [] }
            return [path] + pairs.flatMap { objects($0.value, path + [$0.key]) }
        case let .array(items): return items.indices.flatMap { objects(items[$0], path + ["[\($0)]"]) }
        default: return []
        }
    }

    /// `v` with `key: 1` added to the object at `path`.
    static func adding(_ key: String, at path: [String], to v: JSONValue) -> JSONValue {
        guard let first = path.first else {
            guard case let .object(pairs) = v else { return v }
            return .object(pairs + [(key, .number(1))])
        }
        let rest = Array(path.dropFirst())
        switch v {
        case let .object(pairs):
            return .object(pairs.map { $0.key == first ? ($0.key, adding(key, at: rest, to: $0.value)) : $0 })
        case let .array(items):
            let i = Int(first.dropFirst().dropLast())!
            return .array(
                items.enumerated().map { $0.offset == i ? adding(key, at: rest, to: $0.element) : $0.element })
        default: return v
        }
    }

    static func rendered(_ path: [String]) -> String {
        path.reduce("") { $1.hasPrefix("[") ? $0 + $1 : ($0.isEmpty ? $1 : $0 + "." + $1) }
    }

    @Test func unknownKeysAtEveryLevel() throws {
        var certificates = [
            try Certifier(rigorous: true).certify(try GameReader.read(path: examplePath("mini-toy.json"))),
            try Certifier().certify(GameGenerators.network(players: 420, dim: 1, degree: 4, seed: 1)),
        ]
        for file in ["dirac-gan-linearised.json", "matching-pennies-tau2.json", "cournot-nonlinear.json", "boxed.json"]
        {
            certificates.append(try Certifier().certify(try GameReader.read(path: examplePath(file))))
        }
        var seen = Set<String>()
        for c in certificates {
            let v = try CertificateEdit.jsonValue(c)
            #expect(throws: Never.self) { try Certificate.decode(JSONNode(v)) }
            for path in Self.objects(v) {
                let prefix = Self.rendered(path)
                seen.insert(prefix)
                let error = #expect(throws: InputError.self, "\(prefix)") {
                    try Certificate.decode(JSONNode(Self.adding("zz_extra", at: path, to: v)))
                }
                // Objects keyed by player name reject the whole object or the unknown name.
                let path = error?.path ?? ""
                #expect(
                    path == (prefix.isEmpty ? "" : prefix + ".") + "zz_extra" || path == prefix, "\(prefix): \(path)")
            }
        }
        // The edits reached the nested sections this review found unchecked.
        for section in [
            "", "tool", "rigor", "rigor.checks[0]", "equilibrium", "region", "metric.lyapunov", "numerics.iterative",
            "constants.proof", "steps.euler", "timescale_band", "basin",
        ] {
            #expect(seen.contains(section), "\(section) not exercised")
        }
        let top = #expect(throws: InputError.self) {
            try Certificate.decode(
                JSONNode(Self.adding("extra", at: [], to: try CertificateEdit.jsonValue(certificates[0]))))
        }
        #expect(top?.description.hasPrefix("extra: unknown key \"extra\"") == true)
    }
}
