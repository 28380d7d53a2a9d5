import Foundation
import Testing

/// Hostile formulas in smooth games through the real binary: exit 2, one error line naming the
/// file, the JSON path of the formula and the column, nothing on stdout, bounded time.
@Suite("Hostile formulas (binary)")
struct SmoothHostileTests {
    static func game(_ loss: String, second: String = "y^2 + x*y") -> String {
        let escaped = loss.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return """
            {"kind": "smooth", "parameters": {"a": 1},
             "players": [{"name": "x", "loss": "\(escaped)"}, {"name": "y", "loss": "\(second)"}]}
            """
    }

    static func expectRejected(
        _ loss: String, words: String, column: Int? = nil, path: String = "players[0].loss",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let file = try CLI.temporaryFile(game(loss), name: "hostile-formula.json")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let start = Date()
        let r = try CLI.run(["certify", file])
        let prefix = "sgn: error: \(file): \(path): " + (column.map { "column \($0): " } ?? "")
        HostileInputTests.expectRejected(
            file, path: path, words: words, r, seconds: Date().timeIntervalSince(start),
            sourceLocation: sourceLocation)
        #expect(r.stderr.hasPrefix(prefix), "stderr: \(r.stderr.prefix(300))", sourceLocation: sourceLocation)
    }

    @Test func unbalancedParentheses() throws {
        try Self.expectRejected("(x^2 + y", words: "expected ')' to close the '(' at column 1", column: 9)
        try Self.expectRejected("x^2 + y)", words: "unbalanced ')'", column: 8)
    }

    @Test func deepNestingAndHugeFormulas() throws {
        let deep = String(repeating: "(", count: 10_000) + "x" + String(repeating: ")", count: 10_000)
        try Self.expectRejected(deep, words: "nests deeper than 200 levels", column: 201)
        let huge = String(repeating: "x+", count: 500_000) + "x"
        try Self.expectRejected(huge, words: "the limit is 65536", column: 65_537)
    }

    @Test func unknownNamesAndNonSmoothFunctions() throws {
        try Self.expectRejected("x^2 + foo(y)", words: "unknown function 'foo'", column: 7)
        try Self.expectRejected("x^2 + abs(y)", words: "non-smooth function 'abs'", column: 7)
        try Self.expectRejected("x^2 + z", words: "unknown variable 'z' (players: x, y; parameters: a)", column: 7)
        try Self.expectRejected("x^2 + NaN*y", words: "'NaN' is not a number", column: 7)
    }

    @Test func namesClashingWithFunctions() throws {
        let text = """
            {"kind": "smooth", "players": [{"name": "exp", "loss": "exp^2"}, {"name": "y", "loss": "y^2"}]}
            """
        let file = try CLI.temporaryFile(text, name: "clash.json")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let r = try CLI.run(["certify", file])
        HostileInputTests.expectRejected(file, path: "players[0].name", words: "clashes with a function", r, seconds: 0)
    }

    /// 50 players whose 60 KB losses read every variable: refused from the work estimate.
    @Test func tooMuchWorkPerJacobian() throws {
        let sum = (0..<50).map { "p\($0)" }.joined(separator: "*")
        let loss = String(repeating: "\(sum)+", count: 150) + "p0^2"
        let players = (0..<50).map { #"{"name": "p\#($0)", "loss": "\#(loss)"}"# }.joined(separator: ", ")
        let file = try CLI.temporaryFile(#"{"kind": "smooth", "players": [\#(players)]}"#, name: "work.json")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let start = Date()
        let r = try CLI.run(["certify", file])
        HostileInputTests.expectRejected(
            file, path: "players", words: "node evaluations per Jacobian", r,
            seconds: Date().timeIntervalSince(start))
    }

    @Test func undefinedOnTheRegion() throws {
        try Self.expectRejected("x^2 + x/y", words: "division by a quantity that can be 0 on the region", column: 8)
        try Self.expectRejected("x^2 + log(y)", words: "log of a quantity that can be <= 0", column: 7)
        try Self.expectRejected("x^2 + exp(exp(exp(exp(10 + y))))", words: "overflow", column: 15)
    }
}
