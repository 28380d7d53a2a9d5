import Foundation

@testable import SGN

/// Games beyond the example set that exercise verification, simulation and plots: a boxed game
/// with its equilibrium on the boundary, a four-player network with a cycle, a zero-sum-like game
/// only the Euclidean rung certifies, and the singular tandem game.
enum TestGames {
    static let boxed = """
        {"name": "boxed", "kind": "quadratic", "players": [
          {"name": "a", "dim": 2, "hessian": [[2, 0.5], [0, 1]], "coupling": {"b": [[1, 0], [0, 0.5]]}, \
        "linear": [-5, 1], "lower": -1, "upper": 1},
          {"name": "b", "dim": 2, "hessian": 1.5, "coupling": {"a": [[0.3, 0], [0.2, 0.1]]}, "linear": [0, 3], \
        "lower": [-1, -1], "upper": [1, 1]}]}
        """
    static let network = """
        {"name": "network", "kind": "quadratic", "players": [
          {"name": "p", "dim": 1, "hessian": 2, "coupling": {"q": [[1]]}},
          {"name": "q", "dim": 1, "hessian": 1, "coupling": {"r": [[0.5]]}},
          {"name": "s", "dim": 1, "hessian": 1.5, "coupling": {"p": [[0.8]], "q": [[0.2]]}},
          {"name": "r", "dim": 1, "hessian": 3, "coupling": {"s": [[2]]}, "linear": [1]}]}
        """
    static let zeroSumLike = """
        {"name": "zero-sum-like", "kind": "quadratic", "players": [
          {"name": "x", "dim": 1, "hessian": 1, "coupling": {"y": [[10]]}, "linear": [1]},
          {"name": "y", "dim": 1, "hessian": 1, "coupling": {"x": [[-10]]}, "linear": [-2]}]}
        """
    static let tandem = """
        {"name": "tandem", "kind": "quadratic", "players": [
          {"name": "x", "dim": 1, "hessian": 2, "coupling": {"y": [[2]]}},
          {"name": "y", "dim": 1, "hessian": 2, "coupling": {"x": [[2]]}}]}
        """
    static let all = ["boxed": boxed, "network": network, "zero-sum-like": zeroSumLike, "tandem": tandem]

    /// Every game file in examples/ plus the games above, by name.
    static func everyGame() throws -> [(name: String, game: any Game)] {
        let dir = examplePath("")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".json") }.sorted()
        var out: [(String, any Game)] = try files.map { ($0, try GameReader.read(path: dir + "/" + $0)) }
        for (name, json) in all.sorted(by: { $0.key < $1.key }) { out.append((name, try game(json))) }
        return out
    }
}

/// Certificates as JSON values, and edits to them.
enum CertificateEdit {
    static func jsonValue(_ c: Certificate) throws -> JSONValue {
        try JSONParser.parse(Array(JSONWriter.write(c.json).utf8))
    }

    /// The value at a path of object keys.
    static func get(_ v: JSONValue, _ path: [String]) -> JSONValue? {
        guard let first = path.first else { return v }
        guard let child = v[first] else { return nil }
        return get(child, Array(path.dropFirst()))
    }

    /// `v` with the value at `path` replaced by `transform` of it.
    static func set(_ v: JSONValue, _ path: [String], _ transform: (JSONValue) -> JSONValue) -> JSONValue {
        guard let first = path.first else { return transform(v) }
        guard case let .object(pairs) = v else { return v }
        return .object(pairs.map { $0.key == first ? ($0.key, set($0.value, Array(path.dropFirst()), transform)) : $0 })
    }

    /// Multiplies the number at `path` by `factor`.
    static func scale(_ v: JSONValue, _ path: [String], by factor: Double) -> JSONValue {
        set(v, path) {
            if case let .number(x) = $0 { return .number(x * factor) }
            return $0
        }
    }

    static func verify(_ game: any Game, _ v: JSONValue) throws -> VerificationReport {
        try Verifier().verify(game: game, certificate: try StatedCertificate.decode(JSONNode(v)))
    }
}
