import Foundation
import Testing

/// Defects a hostile review of the first day left open (docs/robustness.md §9), through the
/// binary: each test failed before its fix.
@Suite("Review leftovers: usage, output errors, messages (binary)") struct ReviewLeftoversCLITests {
    static func lines(_ s: String) -> [Substring] { s.split(separator: "\n") }

    /// Runs `sgn` with stdout on /dev/full (a write fails with ENOSPC).
    static func toFullDisk(_ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let process = Process()
        process.executableURL = CLI.binary
        process.arguments = arguments
        process.currentDirectoryURL = CLI.root
        let err = Pipe()
        process.standardOutput = full
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: errData, as: UTF8.self))
    }

    // MARK: override magnitudes

    /// `--temperature 1e-300` was reported at the file's `temperature` key, which the user never
    /// wrote; the option's own check now names it, with the range a game file accepts.
    @Test func overrideMagnitudesNameTheOption() throws {
        for (arguments, option) in [
            (["certify", CLI.example("gambit/pd.nfg"), "--temperature", "1e-300"], "--temperature"),
            (["certify", CLI.example("matching-pennies-tau2.json"), "--temperature", "1e200"], "--temperature"),
            (["certify", CLI.example("matching-pennies-tau2.json"), "--radius", "1e-300"], "--radius"),
        ] {
            let r = try CLI.run(arguments)
            #expect(r.status == 2)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("\(option) must be between 1e-100 and 1e+100"))
        }
    }

    // MARK: stdin given twice

    /// `certify - -` read stdin twice (the second read found it empty and reported a truncated
    /// game); a repeated '-' is now a usage error before anything is read, for plot too.
    @Test func stdinTwiceIsAUsageError() throws {
        let game = try String(contentsOfFile: CLI.example("mini-toy.json"), encoding: .utf8)
        let plots = FileManager.default.temporaryDirectory.appendingPathComponent("sgn-tests-\(UUID().uuidString)").path
        for arguments in [
            ["certify", "-", "-"], ["certify", "-", CLI.example("mini-toy.json"), "-"],
            ["plot", "-", "-", "--output", plots],
        ] {
            let r = try CLI.run(arguments, stdin: game)
            #expect(r.status == 2)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("'-' (standard input) can be given only once"))
        }
        let once = try CLI.run(["certify", "-"], stdin: game)
        #expect(once.status == 0 && once.stdout.contains("\"certified\""))
    }

    // MARK: stdout write failures

    /// Help, version and completion scripts written to a full disk exited 0 (ArgumentParser's own
    /// print); now one line on stderr and exit code 3, as for certificates.
    @Test func helpToAFullDiskExitsThree() throws {
        for arguments in [["--help"], ["--version"], ["help", "certify"], ["certify", "--help"]] {
            let r = try Self.toFullDisk(arguments)
            #expect(r.status == 3, "\(arguments)")
            #expect(Self.lines(r.stderr) == ["sgn: error: cannot write the output to stdout: No space left on device"])
        }
        let help = try CLI.run(["--help"])
        #expect(help.status == 0 && help.stdout.hasPrefix("OVERVIEW: ") && help.stdout.hasSuffix("\n"))
        #expect(!help.stdout.hasSuffix("\n\n\n"))
    }

    // MARK: messages

    /// The one stderr line of a bad input, which must be exit 2 with nothing on stdout.
    static func badInput(_ arguments: [String], stdin: String? = nil) throws -> String {
        let r = try CLI.run(arguments, stdin: stdin)
        #expect(r.status == 2 && r.stdout.isEmpty, "\(arguments)")
        #expect(Self.lines(r.stderr).count == 1, "\(r.stderr)")
        return r.stderr.trimmingCharacters(in: .newlines)
    }

    /// A file that is no JSON at all says so, with line and column (it was a JSON syntax error,
    /// "invalid literal (expected null)" or a NaN complaint).
    @Test func notJSONSaysSo() throws {
        let cases: [(String, String)] = [
            (
                "hello world\n",
                "not JSON at line 1, column 1: the input starts with 'hello world', which begins no JSON value"
            ),
            ("nfg 1 R", "not JSON at line 1, column 1: the input starts with 'nfg 1 R', which begins no JSON value"),
            (
                "\n\n  NaN",
                "not JSON at line 3, column 3: the input starts with 'NaN', which begins no JSON value (NaN and"
            ),
            ("# a comment\n{}", "not JSON at line 1, column 1: the input starts with '# a comment'"),
            ("", "not JSON at line 1, column 1: the input is empty (or only white space): no JSON value"),
        ]
        for (text, message) in cases {
            let path = try CLI.temporaryFile(text, name: "game.json")
            let line = try Self.badInput(["certify", path])
            #expect(line.hasPrefix("sgn: error: \(path): (top level): \(message)"), "\(line)")
        }
        // A JSON document with a syntax error inside it is still "invalid JSON".
        let broken = try CLI.temporaryFile("{\"kind\": nul}", name: "game.json")
        #expect(try Self.badInput(["certify", broken]).contains("kind: invalid JSON at line 1, column 10"))
        // The same wording for a certificate given to verify.
        let certificate = try CLI.temporaryFile("<html>", name: "cert.json")
        #expect(
            try Self.badInput(["verify", CLI.example("mini-toy.json"), certificate]).contains(
                "not JSON at line 1, column 1: the input starts with '<html>'"))
    }

    /// `"hessian": true` said a number needs "dim"; it names the key and what is expected.
    @Test func hessianOfTheWrongKind() throws {
        let game = #"{"kind": "quadratic", "players": [{"name": "x", "hessian": true}]}"#
        #expect(
            try Self.badInput(["certify", "-"], stdin: game)
                == """
                sgn: error: <stdin>: players[0].hessian: expected a square matrix (an array of rows) or a number (c \
                stands for c*I, with "dim" given), got a boolean
                """)
        let scalar = #"{"kind": "quadratic", "players": [{"name": "x", "hessian": 2}]}"#
        #expect(
            try Self.badInput(["certify", "-"], stdin: scalar).hasSuffix(
                "players[0]: missing \"dim\": \"hessian\" is a number (c stands for c*I), so the player's "
                    + "dimension must be given"))
    }

    /// An empty (or non-Gambit) `.nfg` file with --temperature was reported as truncated JSON;
    /// it gets the .nfg reader's message. A JSON game named .nfg still reads as JSON.
    @Test func emptyNFG() throws {
        let empty = try CLI.temporaryFile("", name: "empty.nfg")
        #expect(
            try Self.badInput(["certify", empty, "--temperature", "1"])
                == "sgn: error: \(empty): line 1, column 1: expected \"NFG\" (a Gambit strategic-form file starts "
                + "with NFG 1 R), found the end of the file")
        let text = try CLI.temporaryFile("hello", name: "x.nfg")
        #expect(try Self.badInput(["certify", text, "--temperature", "1"]).contains("expected \"NFG\""))
        let json = try CLI.temporaryFile(
            try String(contentsOfFile: CLI.example("mini-toy.json"), encoding: .utf8), name: "json.nfg")
        #expect(try CLI.run(["certify", json]).status == 0)
    }

    /// A `.nfg` sidecar that is a directory was silently ignored (the file then "needs a
    /// temperature"); it is named as a directory.
    @Test func nfgSidecarThatIsADirectory() throws {
        let game = try CLI.temporaryFile(
            try String(contentsOfFile: CLI.root.appendingPathComponent("examples/gambit/pd.nfg").path, encoding: .utf8),
            name: "pd.nfg")
        try FileManager.default.createDirectory(atPath: game + ".json", withIntermediateDirectories: false)
        #expect(
            try Self.badInput(["certify", game, "--temperature", "1"])
                == "sgn: error: \(game).json: the sidecar of \(game) is a directory; expected a JSON file such as "
                + "{\"temperature\": 1}")
    }

    /// Counts of one take the singular ("1 games", "1 runs", "1 players" were slips), and one
    /// override option "applies".
    @Test func singularCounts() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sgn-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: CLI.example("mini-toy.json"), toPath: dir.appendingPathComponent("g.json").path)
        let batch = try CLI.run(["certify", dir.path])
        #expect(batch.stderr.contains("\n1 game: 1 certified, 0 not certified, 0 bad input"))
        let simulate = try CLI.run(["simulate", CLI.example("mini-toy.json"), "--runs", "1", "--format", "text"])
        #expect(simulate.stdout.hasPrefix("mini-toy: certified by sgn, 1 run from 1 seeded start (seed 1)"))
        let single = #"{"kind": "quadratic", "players": [{"name": "x", "hessian": [[1]]}]}"#
        let text = try CLI.run(["certify", "-", "--format", "text"], stdin: single)
        #expect(text.stdout.hasPrefix("stdin (quadratic, 1 player, dims 1): CERTIFIED"))
        #expect(
            try Self.badInput(["certify", CLI.example("mini-toy.json"), "--temperature", "1"]).hasSuffix(
                "kind: --temperature applies to Markov games and .nfg/.efg files only"))
        #expect(
            try Self.badInput(["certify", CLI.example("mini-toy.json"), "--temperature", "1", "--samples", "3"])
                .hasSuffix("kind: --temperature, --samples apply to Markov games and .nfg/.efg files only"))
    }

    // MARK: plot

    /// Two charts with the same path were both written (the second overwrote the first and both
    /// paths were printed): a chart named twice is drawn once, the same file named twice is
    /// plotted once, and two files with the same stem are a usage error naming both.
    @Test func plotWritesEachPathOnce() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sgn-tests-\(UUID().uuidString)")
        for sub in ["a", "b"] {
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
        let a = root.appendingPathComponent("a/g.json").path
        let b = root.appendingPathComponent("b/g.json").path
        try FileManager.default.copyItem(atPath: CLI.example("mini-toy.json"), toPath: a)
        try FileManager.default.copyItem(atPath: CLI.example("scaled-0.5.json"), toPath: b)
        let out = root.appendingPathComponent("out").path
        let clash = try CLI.run(["plot", a, b, "--output", out, "--chart", "band"])
        #expect(clash.status == 2 && clash.stdout.isEmpty)
        #expect(clash.stderr.contains("\(a) and \(b) would both be drawn as g-<chart>.svg"))
        #expect(!FileManager.default.fileExists(atPath: out + "/g-band.svg"))
        let twice = try CLI.run([
            "plot", a, root.appendingPathComponent("a/../a/g.json").path, "--output", out, "--chart", "band,band",
        ])
        #expect(twice.status == 0)
        #expect(Self.lines(twice.stdout) == ["\(out)/g-band.svg"])
    }

    /// A chart file that cannot be written is exit code 3, like every other output (it was 2,
    /// the code of bad input); the output directory blocked by a file is 3 with its reason.
    @Test func plotWriteFailureExitsThree() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sgn-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("mini-toy-band.svg"), withIntermediateDirectories: true)
        let r = try CLI.run(["plot", CLI.example("mini-toy.json"), "--output", root.path, "--chart", "band"])
        #expect(r.status == 3 && r.stdout.isEmpty)
        #expect(r.stderr.hasPrefix("sgn: error: cannot write \(root.path)/mini-toy-band.svg"))
        let file = try CLI.temporaryFile("x", name: "file")
        let blocked = try CLI.run(["plot", CLI.example("mini-toy.json"), "--output", file + "/plots"])
        #expect(blocked.status == 3)
        #expect(
            Self.lines(blocked.stderr) == [
                "sgn: error: cannot create the directory \(file)/plots: \(file) is not a directory"
            ])
    }

    // MARK: --estimation on games that are not sampled

    /// `--estimation proven` on a quadratic game was silently ignored; the certificate is the
    /// same (its constants are exact) and stderr says why there is nothing to prove. A batch says
    /// it once per kind of note, with the number of games.
    @Test func estimationOnExactGamesIsSaid() throws {
        let plain = try CLI.run(["certify", CLI.example("mini-toy.json")])
        let proven = try CLI.run(["certify", CLI.example("mini-toy.json"), "--estimation", "proven"])
        #expect(proven.status == 0 && proven.stdout == plain.stdout)
        #expect(
            try CLI.json(proven.stdout)["constants"].flatMap { ($0 as? [String: Any])?["estimation"] as? String }
                == "exact")
        #expect(
            Self.lines(proven.stderr) == [
                """
                sgn: note: --estimation proven: this game's constants are exact (constants.estimation "exact"), which \
                is stronger than proven bounds; there is nothing to prove
                """
            ])
        #expect(plain.stderr.isEmpty)
        let sampled = try CLI.run(["certify", CLI.example("mini-toy.json"), "--estimation", "sampled"])
        #expect(sampled.stderr.contains("--estimation sampled: this game's constants are exact"))
        let batch = try CLI.run([
            "certify", CLI.example("mini-toy.json"), CLI.example("scaled-0.5.json"), "--estimation", "proven",
        ])
        #expect(batch.stderr.hasSuffix("there is nothing to prove (2 games of 2)\n"))
    }

    // MARK: generate writes only games certify accepts

    /// `generate dense --dim 10000` tried to allocate 2.5e11 entries, and `--coupling 1e150`
    /// wrote a game certify refuses; both are usage errors (exit 2) naming the options, checked
    /// with certify's own limits and decoder, before anything is written.
    @Test func generateRefusesWhatCertifyRefuses() throws {
        let sizes: [([String], String)] = [
            (
                ["generate", "dense", "--dim", "10000"],
                "--players 50 --dim 10000: the game would store 2500 blocks of 10000x10000, more than certify's "
                    + "limit of 100000000 matrix entries"
            ),
            (
                ["generate", "network", "--players", "1000000", "--dim", "2"],
                "--players 1000000 --dim 2 --degree 4: the game would store 20000000 matrix entries, at least 152 "
                    + "MiB of JSON, above certify's file limit of 128 MiB"
            ),
            (
                ["generate", "network", "--players", "1000", "--dim", "10000"],
                "--players 1000 --dim 10000 --degree 4: the total dimension (players x dim) exceeds certify's limit"
            ),
            (["generate", "lq", "--dim", "10000"], "--dim 10000: the game would store 4 blocks of 10000x10000"),
        ]
        for (arguments, message) in sizes {
            let r = try CLI.run(arguments)
            #expect(r.status == 2 && r.stdout.isEmpty, "\(arguments)")
            #expect(r.stderr.hasPrefix("Error: \(message)"), "\(r.stderr)")
        }
        let values: [([String], String)] = [
            (["generate", "dense", "--players", "2", "--dim", "2", "--coupling", "1e150"], "--coupling 1e+150"),
            (["generate", "network", "--players", "3", "--coupling", "1e-120"], "--coupling 1e-120"),
            (["generate", "lq", "--dim", "2", "--lambda", "1e120"], "--lambda 1e+120"),
        ]
        for (arguments, option) in values {
            let r = try CLI.run(arguments)
            #expect(r.status == 2 && r.stdout.isEmpty, "\(arguments)")
            #expect(
                r.stderr.hasPrefix(
                    "sgn: error: \(option): the generated game (seed 1) is not a valid game file, so certify would "
                        + "refuse it: players[0].coupling."), "\(r.stderr)")
        }
        // Within the limits, what generate writes certify reads.
        for arguments in [
            ["lq", "--dim", "3", "--lambda", "1e90"], ["dense", "--players", "3", "--coupling", "1e-90"],
        ] {
            let g = try CLI.run(["generate"] + arguments)
            #expect(g.status == 0)
            #expect(try CLI.run(["certify", "-"], stdin: g.stdout).status != 2, "\(arguments)")
        }
    }

    // MARK: own hostile inputs

    /// A certificate path that is a directory or an empty device said "cannot read the file
    /// (… error 256)" or "You don't have permission"; the certificate is now read like a game.
    @Test func verifyReadsTheCertificateLikeAGame() throws {
        let game = CLI.example("mini-toy.json")
        let dir = FileManager.default.temporaryDirectory.path
        #expect(try Self.badInput(["verify", game, dir]) == "sgn: error: \(dir): is a directory")
        #expect(
            try Self.badInput(["verify", game, "/dev/null"])
                == "sgn: error: /dev/null: not JSON at line 1, column 1: the input is empty (or only white space): no "
                + "JSON value")
        let certificate = try CLI.run(["certify", game]).stdout
        #expect(try CLI.run(["verify", game, "-"], stdin: certificate).status == 0)
        // Two NDJSON lines (a batch's output) are two documents, named as such.
        let two = try CLI.temporaryFile(certificate + certificate, name: "two.ndjson")
        #expect(
            try Self.badInput(["verify", game, two])
                == "sgn: error: \(two): invalid JSON at line 2, column 1: a second JSON document starts here; one "
                + "document is expected (an NDJSON file of several lines holds several: give one line)")
    }

    /// Sweep values obey the magnitudes of every number in a game (a denormal step 1e-320 was
    /// certified with factor 1); negative --runs and --max-steps reach validation.
    @Test func sweepValuesAndSimulateCounts() throws {
        let toy = CLI.example("mini-toy.json")
        #expect(
            try Self.badInput(["sweep", toy, "--parameter", "step", "--values", "1e-320"])
                == "sgn: error: --values: 1e-320 is outside the accepted magnitudes (0, or 1e-100 to 1e+100, as for "
                + "every number of a game)")
        #expect(
            try Self.badInput(["sweep", toy, "--parameter", "coupling-scale", "--range", "0:1e300:3"]).hasPrefix(
                "sgn: error: --range: 5e+299 is outside the accepted magnitudes"))
        #expect(try CLI.run(["sweep", toy, "--parameter", "coupling-scale", "--values", "0,1e-100"]).status <= 1)
        let steps = try CLI.run(["simulate", toy, "--max-steps", "-1"])
        #expect(steps.status == 2 && steps.stderr.contains("--max-steps must be between 1 and 100000000"))
        let runs = try CLI.run(["simulate", toy, "--runs", "-3"])
        #expect(runs.status == 2 && runs.stderr.contains("--runs must be between 1 and 100000"))
    }

    /// merge named a directory, a missing file and /dev/null alike "cannot read the file"; a
    /// sweep index of 1e300 trapped (exit 132). generate --count is bounded like sweep's grid.
    @Test func mergeAndGenerateEdges() throws {
        let dir = FileManager.default.temporaryDirectory.path
        #expect(try Self.badInput(["merge", dir]) == "sgn: error: \(dir): is a directory")
        #expect(try Self.badInput(["merge", "/nonexistent-sgn"]) == "sgn: error: /nonexistent-sgn: no such file")
        #expect(try Self.badInput(["merge", "/dev/null"]).contains("/dev/null: no shard trailer and no lines"))
        let huge = try CLI.temporaryFile(#"{"sweep":{"index":1e300},"x":1}"# + "\n", name: "s.ndjson")
        #expect(try Self.badInput(["merge", huge]).contains("expected a sweep line"))
        let count = try CLI.run(["generate", "lq", "--count", "2000000", "--output", dir + "/sgn-never"])
        #expect(count.status == 2 && count.stderr.contains("--count must be from 1 to 1000000"))
        #expect(!FileManager.default.fileExists(atPath: dir + "/sgn-never"))
    }

    /// Conflicting options: `--pretty` with `--format text` was silently ignored; a negative
    /// sweep `--tolerance` said "Missing value" instead of reaching validation.
    @Test func conflictingOptions() throws {
        let toy = CLI.example("mini-toy.json")
        for arguments in [
            ["certify", toy], ["simulate", toy, "--runs", "1"], ["verify", toy, toy],
        ] {
            let r = try CLI.run(arguments + ["--pretty", "--format", "text"])
            #expect(r.status == 2 && r.stdout.isEmpty, "\(arguments)")
            #expect(r.stderr.contains("--pretty indents JSON output; it does not apply to --format text"))
        }
        let tolerance = try CLI.run([
            "sweep", toy, "--parameter", "coupling-scale", "--values", "1", "--tolerance", "-1",
        ])
        #expect(tolerance.status == 2)
        #expect(tolerance.stderr.contains("--tolerance: expected a positive number, got -1"))
    }

    /// A non-zero literal that underflows (1e-400) was read as exactly 0 and certified as such,
    /// although non-zero magnitudes below 1e-100 are refused; `0e-400` is still 0.
    @Test func underflowingLiteralIsRefused() throws {
        func game(_ h: String) -> String {
            #"{"kind":"quadratic","players":[{"name":"x","hessian":[["# + h + "]]}]}"
        }
        #expect(
            try Self.badInput(["certify", "-"], stdin: game("-1e-400"))
                == "sgn: error: <stdin>: players[0].hessian[0][0]: invalid JSON at line 1, column 56: number "
                + "-1e-400 is too small for a double: it is not 0 but would be read as 0")
        for zero in ["0e-400", "0.000e-999", "-0"] {
            let r = try CLI.run(["certify", "-"], stdin: game(zero))
            #expect(r.status == 1 && r.stdout.contains("\"not_certified\""), "\(zero)")
        }
    }
}
