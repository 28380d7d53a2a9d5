import ArgumentParser
import Foundation
import SGN

@main
struct SGNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sgn",
        abstract: "Certify convergence of simultaneous gradient play in games (Small-Gain Nash).",
        discussion:
            """
            Exit codes: 0 certified, 1 valid input but not certified, 2 bad input or usage, 3 the output could not be \
            written.
            """,
        version: Certifier.version,
        subcommands: [
            Certify.self, Verify.self, Simulate.self, Plot.self, Generate.self, SweepCommand.self, MergeCommand.self,
        ]
    )

    /// Runs the command, mapping every usage error to exit code 2 (ArgumentParser uses 64).
    /// Bare `sgn` and `sgn help NAME` with an unknown NAME are usage errors too: the help
    /// (or the error) goes to stderr and the exit code is 2 (docs/cli.md).
    static func main() {
        // A closed standard stream (`>&-`) is reopened on /dev/null, read-only for stdout, so no
        // file the run opens can take its number: writes to a closed stdout still fail (EBADF,
        // exit 3) instead of landing in a game file.
        for (fd, flags) in [(Int32(0), O_RDONLY), (1, O_RDONLY), (2, O_WRONLY)] where fcntl(fd, F_GETFD) == -1 {
            _ = open("/dev/null", flags)
        }
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.isEmpty {
            Console.err(helpMessage())
            Foundation.exit(2)
        }
        if arguments.first == "help",
            let unknown = unknownSubcommand(arguments.dropFirst().filter { !$0.hasPrefix("-") })
        {
            Console.err("Error: unknown command '\(unknown)'\nSee 'sgn help' for the commands.")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // Help, version and completion scripts are requested output: written through
                // `Console`, so a failed write to stdout exits 3 like any other (it exited 0).
                Console.write(fullMessage(for: error) + "\n")
                Foundation.exit(0)
            }
            Console.err(fullMessage(for: error))
            Foundation.exit(2)
        }
    }
}

extension SGNCommand {
    /// The first name in `path` that is not a subcommand of the command before it; nil when the
    /// whole path names a command.
    static func unknownSubcommand(_ path: [String]) -> String? {
        var command: any ParsableCommand.Type = SGNCommand.self
        if path == ["help"] { return nil }  // `sgn help help`: ArgumentParser's own help command
        for name in path {
            guard let next = command.configuration.subcommands.first(where: { $0._commandName == name }) else {
                return name
            }
            command = next
        }
        return nil
    }
}

/// Writing to the standard streams.
enum Console {
    /// Exit code when the output cannot be written (disk full, stdout closed, a reader that went
    /// away while SIGPIPE is ignored): the run's result never reached its destination, which is
    /// neither bad input (2) nor a verdict (0/1). docs/cli.md.
    static let outputErrorCode: Int32 = 3

    /// Writes `s` and a newline to stdout; a failed write ends the process with one line on
    /// stderr and exit code 3 (never a trap).
    static func out(_ s: String) {
        write(s + "\n")
    }

    /// Writes `s` to stdout as is (see `out`).
    static func write(_ s: String) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(s.utf8))
        } catch {
            let ns = error as NSError
            let posix = ns.domain == NSPOSIXErrorDomain ? ns : ns.userInfo[NSUnderlyingErrorKey] as? NSError
            let reason = posix.map { String(cString: strerror(Int32($0.code))) } ?? ns.localizedDescription
            err("sgn: error: cannot write the output to stdout: \(reason)")
            Foundation.exit(outputErrorCode)
        }
    }

    /// Writes `s` to the file at `path`; a failed write (or directory creation) ends the process
    /// with one line on stderr naming the path and exit code 3, like a failed write to stdout.
    static func writeFile(_ s: String, to path: String) {
        do {
            try Data(s.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            outputFailed(path, error)
        }
    }

    /// Creates the directory `path` (and its parents) or ends the process as `writeFile` does.
    static func createDirectory(_ path: String) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            // Foundation gives no POSIX reason when a file stands where a directory is needed.
            var ancestor = URL(fileURLWithPath: path).standardizedFileURL
            while ancestor.path != "/" && !FileManager.default.fileExists(atPath: ancestor.path) {
                ancestor.deleteLastPathComponent()
            }
            if !FileManager.default.isDirectory(ancestor.path) {
                err("sgn: error: cannot create the directory \(path): \(ancestor.path) is not a directory")
                Foundation.exit(outputErrorCode)
            }
            outputFailed(path, error)
        }
    }

    private static func outputFailed(_ path: String, _ error: any Error) -> Never {
        let ns = error as NSError
        let posix = ns.domain == NSPOSIXErrorDomain ? ns : ns.userInfo[NSUnderlyingErrorKey] as? NSError
        let reason = posix.map { String(cString: strerror(Int32($0.code))) } ?? ns.localizedDescription
        err("sgn: error: cannot write \(path): \(reason)")
        Foundation.exit(outputErrorCode)
    }

    /// Writes `s` and a newline to stderr; errors are ignored (there is nowhere left to report them).
    static func err(_ s: String) {
        try? FileHandle.standardError.write(contentsOf: Data((s + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }

    /// `--pretty` indents JSON: given with `--format text` it would be silently ignored, so the
    /// pair is a usage error (exit 2).
    static func checkPretty(_ pretty: Bool, _ format: Certify.Format) throws {
        if pretty && format == .text {
            throw ValidationError("--pretty indents JSON output; it does not apply to --format text")
        }
    }

    /// Standard input can be read once: a second `-` among the inputs would read it again and
    /// find it empty (it was certified as a truncated game). A usage error (exit 2), before
    /// anything is read.
    static func checkStdinOnce(_ inputs: [String]) throws {
        if inputs.filter({ $0 == "-" }).count > 1 {
            throw ValidationError("'-' (standard input) can be given only once: stdin can be read only once")
        }
    }

    /// A batch's game files without sgn's own outputs (`BatchRunner.separateOutputs`), saying
    /// once on stderr which files were skipped.
    static func skippingOutputs(_ files: [String]) -> [String] {
        let separated = BatchRunner.separateOutputs(files)
        if !separated.outputs.isEmpty {
            err(
                """
                sgn: skipped \(separated.outputs.count) file(s) that are sgn output, not games (write outputs outside \
                the input directories): \(separated.outputs.joined(separator: ", "))
                """
            )
        }
        return separated.games
    }

    /// Runs a subcommand's body and maps library errors to the stable exit codes in one place:
    /// bad input (and any other failure) 2, explicit exit codes passed through.
    static func mappingErrors(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let e as ExitCode {
            throw e
        } catch let e as InputError {
            err("sgn: error: \(e)")
            throw ExitCode(2)
        } catch {
            err("sgn: error: numerical failure: \(error)")
            throw ExitCode(2)
        }
    }
}
