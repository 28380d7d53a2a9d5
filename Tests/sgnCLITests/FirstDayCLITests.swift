import Foundation
import Testing

/// A new user's first day (issue #16): output errors, batches next to their own output, text
/// output, usage errors, completions, null-present keys and the `$schema` key, through the binary.
@Suite("First day: output errors, batches, text, usage (binary)") struct FirstDayCLITests {
    /// Runs `sgn` through `env` (so SIGPIPE's disposition is fixed whatever the test runner's is)
    /// with stdout as given and stderr captured.
    static func run(_ arguments: [String], stdout: FileHandle?, sigpipe: String) throws -> (
        process: Process, stderr: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [sigpipe, CLI.binary.path] + arguments
        process.currentDirectoryURL = CLI.root
        let err = Pipe()
        if let stdout { process.standardOutput = stdout }
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process, String(decoding: errData, as: UTF8.self))
    }

    /// Runs a shell script with `$SGN` naming the binary.
    static func shell(_ script: String) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = CLI.root
        var env = ProcessInfo.processInfo.environment
        env["SGN"] = CLI.binary.path
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    static func lines(_ s: String) -> [Substring] { s.split(separator: "\n") }

    // MARK: output errors

    /// A full disk: one line on stderr, exit code 3, no backtrace (it was a trap, exit 132).
    @Test func diskFull() throws {
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let (p, stderr) = try Self.run(
            ["certify", "examples/mini-toy.json"], stdout: full, sigpipe: "--default-signal=PIPE")
        #expect(p.terminationReason == .exit && p.terminationStatus == 3)
        #expect(Self.lines(stderr) == ["sgn: error: cannot write the output to stdout: No space left on device"])
    }

    /// `generate --output` to a path that cannot be written: one line naming the path, exit code
    /// 3 (it was exit 2 with a raw Foundation error).
    @Test func generateOutputNotWritable() throws {
        for path in ["/dev/full", "/nonexistent-sgn-dir/x.json"] {
            let r = try CLI.run(["generate", "lq", "--output", path])
            #expect(r.status == 3)
            #expect(Self.lines(r.stderr).count == 1)
            #expect(r.stderr.hasPrefix("sgn: error: cannot write \(path): "))
            #expect(r.stdout.isEmpty)
        }
    }

    /// `simulate --radius` beyond 1e100 is a usage error (squared distances would overflow into
    /// a false divergence); 1e100 itself still runs.
    @Test func simulateRadiusLimit() throws {
        #expect(try CLI.run(["simulate", "examples/mini-toy.json", "--runs", "1", "--radius", "1e155"]).status == 2)
        #expect(try CLI.run(["simulate", "examples/mini-toy.json", "--runs", "1", "--radius", "1e100"]).status == 0)
    }

    /// stdout closed (`>&-`): one line, exit code 3.
    @Test func stdoutClosed() throws {
        let r = try Self.shell("\"$SGN\" certify examples/mini-toy.json >&-")
        #expect(r.status == 3)
        #expect(Self.lines(r.stderr) == ["sgn: error: cannot write the output to stdout: Bad file descriptor"])
    }

    /// A reader that went away while SIGPIPE is ignored (EPIPE): one line, exit code 3.
    @Test func brokenPipeWithSigpipeIgnored() throws {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let (p, stderr) = try Self.run(
            ["certify", "examples/mini-toy.json"], stdout: pipe.fileHandleForWriting,
            sigpipe: "--ignore-signal=PIPE")
        #expect(p.terminationReason == .exit && p.terminationStatus == 3)
        #expect(Self.lines(stderr) == ["sgn: error: cannot write the output to stdout: Broken pipe"])
    }

    /// With SIGPIPE at its default (a shell pipeline such as `sgn certify dir | head -1`), the
    /// process ends quietly by the signal, as any Unix filter does.
    @Test func brokenPipeInAPipelineIsQuiet() throws {
        let pipe = Pipe()
        try pipe.fileHandleForReading.close()
        let (p, stderr) = try Self.run(
            ["certify", "examples/mini-toy.json"], stdout: pipe.fileHandleForWriting,
            sigpipe: "--default-signal=PIPE")
        #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGPIPE)
        #expect(stderr.isEmpty)
        let r = try Self.shell("env --default-signal=PIPE sh -c '\"$SGN\" certify examples | head -1'")
        #expect(r.status == 0 && Self.lines(r.stdout).count == 1)
        #expect(!r.stderr.contains("error") && !r.stderr.contains("Fatal"))
    }

    // MARK: batches next to their own output

    /// `sgn certify g > g/certs.json` works, and later runs skip the certificate files there.
    @Test func outputsInTheGamesFolderAreSkipped() throws {
        let dir = URL(fileURLWithPath: try CLI.temporaryFile("", name: "placeholder")).deletingLastPathComponent().path
        try FileManager.default.removeItem(atPath: dir + "/placeholder")
        try FileManager.default.copyItem(atPath: CLI.example("mini-toy.json"), toPath: dir + "/a.json")
        try FileManager.default.copyItem(atPath: CLI.example("tandem.json"), toPath: dir + "/b.json")
        let first = try Self.shell("\"$SGN\" certify '\(dir)' > '\(dir)/certs.json'")
        #expect(first.status == 1)  // tandem is not certified; nothing was bad input
        #expect(first.stderr.contains("sgn: skipped 1 file(s) that are sgn output, not games"))
        #expect(first.stderr.contains("2 games: 1 certified, 1 not certified, 0 bad input"))
        let written = try String(contentsOfFile: dir + "/certs.json", encoding: .utf8)
        #expect(Self.lines(written).count == 2)
        // A single certificate (pretty-printed) next to them is skipped by content too.
        let single = try CLI.run(["certify", "--pretty", dir + "/a.json"])
        try Data(single.stdout.utf8).write(to: URL(fileURLWithPath: dir + "/c-cert.json"))
        let second = try CLI.run(["certify", dir])
        #expect(second.status == 1)
        #expect(Self.lines(second.stdout).count == 2)
        #expect(Self.lines(second.stderr).filter { $0.hasPrefix("sgn: skipped") }.count == 1)
        #expect(
            second.stderr.contains("skipped 2 file(s)") && second.stderr.contains("certs.json")
                && second.stderr.contains("c-cert.json"))
        // `sgn plot` batches skip them too (they were bad input, exit 2).
        let plots = URL(fileURLWithPath: dir).appendingPathComponent("plots").path
        let plot = try CLI.run(["plot", dir, "--output", plots, "--chart", "band"])
        #expect(plot.status == 0)
        #expect(Self.lines(plot.stdout).count == 2)
        #expect(plot.stderr.contains("skipped 2 file(s)"))
    }

    // MARK: text output

    /// `--format text` on several files: no JSON line, bad inputs as text lines, and the stderr
    /// summary says why the input was bad.
    @Test func textBatchHasNoJSONLines() throws {
        let bad = try CLI.temporaryFile(#"{"kind": "quadratic", "players": [{"name": "x", "hesian": 1}]}"#)
        let r = try CLI.run(["certify", "--format", "text", CLI.example("mini-toy.json"), bad])
        #expect(r.status == 2)
        #expect(!Self.lines(r.stdout).contains { $0.hasPrefix("{") })
        #expect(r.stdout.contains("\(bad): BAD INPUT: \(bad): players[0].hesian: unknown key \"hesian\""))
        #expect(r.stderr.contains("bad input: \(bad): players[0].hesian: unknown key \"hesian\""))
    }

    /// The rigor verdict is in the text, and the batch summary keeps the whole reason.
    @Test func textShowsRigorAndFullReason() throws {
        let r = try CLI.run(["certify", "--rigorous", "--format", "text", CLI.example("mini-toy.json")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("\n  rigor: certified, proven sgn margin >= 0.292893\n"))
        let b = try CLI.run([
            "certify", "--rigorous", "--format", "text", CLI.example("mini-toy.json"),
            CLI.example("coordination-2x2x2.json"),
        ])
        #expect(b.stdout.contains("rigor: undecided: rigorous mode covers quadratic games only"))
        #expect(
            b.stderr.contains(
                "not certified: rigorous mode: rigorous mode covers quadratic games only: "
                    + "markov games have constants proven on their region (constants.estimation), but the margins "
                    + "computed from them are not re-checked rigorously"
            ))
    }

    // MARK: usage

    /// Bare `sgn` and `sgn help NAME` with an unknown NAME are usage errors (exit 2, help or the
    /// error on stderr); `sgn help certify` is a request (exit 0).
    @Test func usageErrorsExitTwo() throws {
        let bare = try CLI.run([])
        #expect(bare.status == 2 && bare.stdout.isEmpty && bare.stderr.contains("USAGE: sgn <subcommand>"))
        let unknown = try CLI.run(["help", "foo"])
        #expect(unknown.status == 2 && unknown.stdout.isEmpty && unknown.stderr.contains("unknown command 'foo'"))
        let known = try CLI.run(["help", "certify"])
        #expect(known.status == 0 && known.stdout.contains("USAGE: sgn certify"))
    }

    /// A negative number as an option value reaches validation instead of reading as a flag.
    @Test func negativeStep() throws {
        let r = try CLI.run(["simulate", CLI.example("mini-toy.json"), "--step", "-1"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--step must be a positive number"))
        #expect(!r.stderr.contains("Missing value"))
        let g = try CLI.run(["generate", "lq", "--dim", "2", "--lambda", "-0.5"])
        #expect(g.status == 0 && g.stdout.contains("\"kind\""))
    }

    /// The completion scripts complete file names for game files and --output.
    @Test func completionsCompleteFiles() throws {
        let bash = try CLI.run(["--generate-completion-script", "bash"]).stdout
        let certify = try #require(bash.range(of: "_sgn_certify()")).upperBound
        let body = bash[certify...].split(separator: "\n_sgn_").first ?? ""
        #expect(body.contains("__sgn_add_completions -f"))
        let plot = try #require(bash.range(of: "_sgn_plot()")).upperBound
        let plotBody = bash[plot...].split(separator: "\n_sgn_").first ?? ""
        #expect(plotBody.contains("'--output')\n        __sgn_add_completions -d"))
        let zsh = try CLI.run(["--generate-completion-script", "zsh"]).stdout
        #expect(zsh.contains(":inputs:_files"))
        let fish = try CLI.run(["--generate-completion-script", "fish"]).stdout
        #expect(
            fish.contains("\"sgn plot\" output' -l 'output'") && fish.contains("-rfa '(__sgn_complete_directories)'"))
        #expect(fish.contains("__sgn_should_offer_completions_for_positional \"sgn certify\" -ge 1' -F"))
    }

    // MARK: certificate keys

    /// timescale_band, weight_bands and basin are present (null where they do not apply) for
    /// every player count and game kind.
    @Test func keysArePresentWhateverThePlayerCount() throws {
        for name in ["mini-toy.json", "network-4.json", "coordination-2x2x2.json", "supply-chain-3x3.json"] {
            let c = try CLI.json(try CLI.run(["certify", CLI.example(name)]).stdout)
            for key in ["timescale_band", "weight_bands", "basin", "steps", "equilibrium"] {
                #expect(c[key] != nil, "\(name): no key \(key)")
            }
        }
        let toy = try CLI.json(try CLI.run(["certify", CLI.example("mini-toy.json")]).stdout)
        #expect(toy["weight_bands"] is NSNull && toy["basin"] is NSNull)
        let network = try CLI.json(try CLI.run(["certify", CLI.example("network-4.json")]).stdout)
        #expect(network["timescale_band"] is NSNull && network["weight_bands"] is [String: Any])
    }

    // MARK: boxed games and RK4

    /// A boxed game states no RK4 step; `simulate --method both` cannot observe an RK4 claim and
    /// exits 1 (it exited 0 while projected RK4 never reached the equilibrium).
    @Test func boxedGamesHaveNoRK4Step() throws {
        let c = try CLI.json(try CLI.run(["certify", CLI.example("boxed.json")]).stdout)
        let rk4 = try #require((c["steps"] as? [String: Any])?["rk4"] as? [String: Any])
        #expect(rk4["max"] is NSNull && rk4["guideline"] is NSNull)
        #expect((rk4["guarantee"] as? String)?.hasPrefix("No RK4 step") == true)
        let both = try CLI.run(["simulate", CLI.example("boxed.json"), "--method", "both"])
        #expect(both.status == 1)
        #expect(both.stderr.contains("the certificate states no RK4 step for this game"))
        let euler = try CLI.run(["simulate", CLI.example("boxed.json")])
        #expect(euler.status == 0)
    }

    // MARK: $schema

    /// Game files may name their schema; anything but a string there is bad input.
    @Test func schemaKeyIsAccepted() throws {
        let toy = try String(contentsOfFile: CLI.example("mini-toy.json"), encoding: .utf8)
        let named = toy.replacingOccurrences(
            of: "{", with: "{\"$schema\": \"../docs/schema/quadratic-game.schema.json\", ", range: toy.range(of: "{"))
        let ok = try CLI.run(["certify", try CLI.temporaryFile(named)])
        #expect(ok.status == 0)
        let number = toy.replacingOccurrences(of: "{", with: "{\"$schema\": 1, ", range: toy.range(of: "{"))
        let bad = try CLI.run(["certify", try CLI.temporaryFile(number)])
        #expect(bad.status == 2 && bad.stderr.contains(": $schema: expected a string"))
    }
}
