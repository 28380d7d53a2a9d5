import ArgumentParser
import Foundation
import SGN

@main
struct SGNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sgn",
        abstract: "Certify convergence of simultaneous gradient play in games (Small-Gain Nash).",
        discussion: "Exit codes: 0 certified, 1 valid input but not certified, 2 bad input or usage.",
        version: Certifier.version,
        subcommands: [Certify.self, Verify.self, Simulate.self, Plot.self, Generate.self, SweepCommand.self, MergeCommand.self]
    )

    /// Runs the command, mapping every usage error to exit code 2 (ArgumentParser uses 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                self.exit(withError: error)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}

/// Writing to the standard streams.
enum Console {
    static func out(_ s: String) {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }

    static func err(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }

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
