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
}
