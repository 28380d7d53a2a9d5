import Foundation
import Testing

/// Hostile input through the real binary: every file in `Hostile/` (and a few generated ones)
/// must end in exit code 2 with one `sgn: error: FILE: JSON-PATH: message` line on stderr,
/// nothing on stdout, no trap, and in bounded time.
@Suite("Hostile input (binary)")
struct HostileInputTests {
    static let directory = CLI.root.appendingPathComponent("Tests/sgnCLITests/Hostile")

    /// File name → (JSON path the message must name, words the message must contain).
    static let expected: [String: (path: String, words: String)] = [
        "bad-escape.json": ("players[0].name", "invalid escape"),
        "comment.json": ("(top level)", "not JSON at line 1, column 1: the input starts with '// a game'"),
        "control-char-in-string.json": ("players[0].name", "control character"),
        "coupling-self.json": ("players[0].coupling.x", "coupled to itself"),
        "coupling-unknown-player.json": ("players[0].coupling.z", "unknown player"),
        "coupling-wrong-shape.json": ("players[0].coupling.y", "expected 2x1 matrix"),
        "deep-nesting-unclosed.json": ("[0][0][0][0][0][0][0][0][0][0]", "nesting deeper than 256"),
        "deep-nesting.json": ("players[0][0][0][0][0][0][0][0", "nesting deeper than 256"),
        "denormal.json": ("players[0].linear[0]", "too small"),
        "dim-1e300.json": ("players[0].dim", "whole number"),
        "dim-beyond-limit.json": ("players[0].dim", "from 1 to 10000"),
        "dim-fractional.json": ("players[0].dim", "whole number"),
        "dim-negative.json": ("players[0].dim", "from 1 to 10000"),
        "dim-string.json": ("players[0].dim", "got a string"),
        "dim-zero.json": ("players[0].dim", "from 1 to 10000"),
        "duplicate-coupling-key.json": ("players[0].coupling", "duplicate key \"y\""),
        "duplicate-player-key.json": ("players[0]", "duplicate key \"dim\""),
        "duplicate-player-name.json": ("players[1].name", "duplicate player name"),
        "duplicate-top-key.json": ("(top level)", "duplicate key \"kind\""),
        "empty-hessian.json": ("players[0].hessian", "empty array"),
        "empty-linear.json": ("players[0].linear", "got 0"),
        "empty-name.json": ("players[0].name", "non-empty"),
        "empty-object.json": ("kind", "missing required key"),
        "empty-players.json": ("players", "at least one player"),
        "empty-row.json": ("players[0].hessian", "got 1x0"),
        "empty.json": ("(top level)", "not JSON at line 1, column 1: the input is empty"),
        "hex-number.json": ("players[0].hessian[0]", "found 'x'"),
        "huge-1e308.json": ("players[0].hessian", "too large"),
        "huge-dim-scalar-many-players.json": ("players[1].hessian", "matrix entries"),
        "huge-dim-tiny-matrix.json": ("players[0].hessian", "expected 10000x10000 matrix, got 1x1"),
        "inf-short.json": ("players[0].hessian[0][0]", "NaN and Infinity"),
        "infinity-negative.json": ("players[0].hessian[0][0]", "NaN and Infinity"),
        "infinity.json": ("players[0].hessian[0][0]", "NaN and Infinity"),
        "leading-zero.json": ("players[0].hessian[0][0]", "leading zeros"),
        "lower-above-upper.json": ("players[0].lower", "exceeds upper bound"),
        "missing-kind.json": ("kind", "missing required key \"kind\""),
        "nan-bare.json": ("players[0].hessian[0][0]", "NaN and Infinity"),
        "nan-lower.json": ("players[0].hessian[0][0]", "NaN and Infinity"),
        "nan-negative.json": ("players[0].hessian[0][0]", "NaN and Infinity"),
        "nan-string.json": ("players[0].hessian[0][0]", "expected a number, got a string"),
        "negative-overflow.json": ("players[0].hessian[0][0]", "out of range"),
        "non-utf8-in-string.json": ("players[0].name", "not valid UTF-8"),
        "non-utf8-outside.json": ("players[0]", "byte 0xC0"),
        "nul-byte.json": ("(top level)", "byte 0x0"),
        "number-as-players.json": ("players", "expected an array"),
        "overflow-1e999.json": ("players[0].hessian[0][0]", "out of range"),
        "plus-sign.json": ("players[0].hessian[0][0]", "unexpected '+'"),
        "ragged-matrix.json": ("players[0].hessian", "unequal lengths"),
        "scalar-nonsquare-coupling.json": ("players[0].coupling.y", "needs a square block"),
        "single-quotes.json": ("(top level)", "quoted key"),
        "tiny-1e-200.json": ("players[0].hessian[0][0]", "too small"),
        "top-level-array.json": ("(top level)", "expected a game object"),
        "trailing-comma.json": ("players[1]", "unexpected ']'"),
        "trailing-garbage.json": ("(top level)", "a second JSON document starts here; one document is expected"),
        "truncated-after-colon.json": ("players[0].hessian", "truncated"),
        "truncated-in-string.json": ("players[0].name", "unterminated string"),
        "truncated-mid-number.json": ("players[0].dim", "truncated"),
        "unknown-key.json": ("players[0].hesian", "unknown key \"hesian\""),
        "unknown-kind.json": ("kind", "unknown game kind"),
        "unpaired-surrogate.json": ("players[0].name", "surrogate"),
        "utf16-bom.json": ("(top level)", "UTF-16 byte-order mark; JSON must be UTF-8"),
        "whitespace-only.json": ("(top level)", "the input is empty (or only white space)"),
    ]

    /// Seconds any hostile file may take (debug build, shared machine).
    static let timeLimit = 20.0

    static func expectRejected(
        _ file: String, path: String, words: String, _ r: CLI.Result, seconds: Double,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(r.status == 2, "\(file): exit \(r.status), stderr: \(r.stderr)", sourceLocation: sourceLocation)
        #expect(r.stdout.isEmpty, "\(file): printed a certificate", sourceLocation: sourceLocation)
        #expect(
            r.stderr.hasPrefix("sgn: error: \(file): \(path)"), "\(file): stderr \(r.stderr)",
            sourceLocation: sourceLocation)
        #expect(r.stderr.contains(words), "\(file): expected '\(words)' in \(r.stderr)", sourceLocation: sourceLocation)
        #expect(
            !r.stderr.contains("Fatal error") && !r.stderr.contains("crashed"), "\(file) trapped",
            sourceLocation: sourceLocation)
        #expect(
            r.stderr.split(separator: "\n").count == 1, "\(file): one line expected: \(r.stderr)",
            sourceLocation: sourceLocation)
        #expect(seconds < timeLimit, "\(file) took \(seconds) s", sourceLocation: sourceLocation)
    }

    /// The corpus on disk and the table above agree, so a new nasty file cannot go untested.
    @Test func everyCorpusFileHasAnExpectation() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).sorted()
        #expect(Set(files) == Set(Self.expected.keys))
        #expect(files.count >= 60)
    }

    /// Each corpus file is rejected with its JSON path and reason.
    @Test(arguments: Self.expected.keys.sorted())
    func corpusFileIsRejected(_ name: String) throws {
        let file = "Tests/sgnCLITests/Hostile/\(name)"
        let start = Date()
        let r = try CLI.run(["certify", file])
        let (path, words) = Self.expected[name]!
        Self.expectRejected(file, path: path, words: words, r, seconds: Date().timeIntervalSince(start))
    }

    /// A 200 MB file (sparse: no 200 MB are written) is refused from its size, before reading.
    @Test func twoHundredMegabyteFile() throws {
        let path = try CLI.temporaryFile("", name: "big.json")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 200 * 1024 * 1024)
        try handle.close()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let start = Date()
        let r = try CLI.run(["certify", path])
        #expect(r.status == 2)
        #expect(r.stderr == "sgn: error: \(path): file is 209715200 bytes; the limit is 134217728 bytes\n")
        #expect(Date().timeIntervalSince(start) < 5)
    }

    /// An endless device is read in bounded chunks and refused once past the limit.
    @Test func endlessStream() throws {
        let r = try CLI.run(["certify", "/dev/zero"])
        #expect(r.status == 2)
        #expect(r.stderr == "sgn: error: /dev/zero: input exceeds the limit of 134217728 bytes\n")
    }

    /// Standard input gets the same parser and messages.
    @Test func garbageOnStdin() throws {
        let r = try CLI.run(
            ["certify", "-"],
            stdin: "{\"kind\": \"quadratic\", \"players\": [{\"name\": \"x\", \"dim\": 1, \"hessian\": [[NaN]]}]}")
        Self.expectRejected("<stdin>", path: "players[0].hessian[0][0]", words: "NaN and Infinity", r, seconds: 0)
    }

    /// A directory of hostile files: one error line per file in NDJSON, the others unaffected, exit 2.
    @Test func batchOfHostileFiles() throws {
        let r = try CLI.run(["certify", "Tests/sgnCLITests/Hostile", CLI.example("mini-toy.json")])
        #expect(r.status == 2)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == Self.expected.count + 1)
        var errors = 0
        var certified = 0
        for line in lines {
            let obj = try CLI.json(String(line))
            if obj["error"] != nil { errors += 1 }
            if obj["status"] as? String == "certified" { certified += 1 }
        }
        #expect(errors == Self.expected.count)
        #expect(certified == 1)
    }

    /// Missing files and directories without games are usage/input errors too.
    @Test func missingAndEmptyInputs() throws {
        let missing = try CLI.run(["certify", "/nonexistent/game.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "sgn: error: /nonexistent/game.json: no such file\n")
        let dir = URL(fileURLWithPath: try CLI.temporaryFile("x", name: "notes.txt")).deletingLastPathComponent().path
        let empty = try CLI.run(["certify", dir])
        #expect(empty.status == 2)
    }
}
