import ArgumentParser
import Foundation
import SGN

struct Certify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Certify games: one certificate (JSON) per game on stdout.",
        discussion: """
        One file: its certificate. Several files or a directory (its *.json, sorted): one \
        certificate per line (NDJSON), with a summary table on stderr. '-' reads a game from stdin.
        Exit codes: 0 all certified, 1 some game not certified, 2 some input bad.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case json, text }

    @Argument(help: "Game files, directories of *.json games, or '-' for stdin.")
    var inputs: [String]

    @Option(help: "What the weights maximise: rate (margin α), euler (α/β²) or rk4 (α/β).")
    var objective: Objective = .rate

    @Flag(help: "Indent the JSON output (single-game mode).")
    var pretty = false

    @Option(help: "Output format: json or text.")
    var format: Format = .json

    func run() throws {
        let files = BatchRunner.expand(inputs)
        guard !files.isEmpty else {
            Console.err("sgn: no game files found in \(inputs.joined(separator: " "))")
            throw ExitCode(2)
        }
        let runner = BatchRunner(certifier: Certifier(objective: objective))
        let batch = files.count > 1 || inputs.contains { FileManager.default.isDirectory($0) }
        if !batch {
            let item = runner.run(file: files[0])
            switch item.outcome {
            case let .certificate(c):
                Console.out(format == .text ? c.text : JSONWriter.write(c.json, pretty: pretty))
            case let .badInput(e):
                Console.err("sgn: error: \(e)")
            case let .failure(message):
                Console.err("sgn: error: \(message)")
            }
            throw ExitCode(item.outcome.exitCode)
        }
        let items = runner.run(files: files)
        for item in items {
            switch item.outcome {
            case let .certificate(c):
                if format == .text {
                    Console.out(c.text)
                } else {
                    guard case let .object(pairs) = c.json else { continue }
                    Console.out(JSONWriter.write(.object([("file", .string(item.file))] + pairs)))
                }
            case let .badInput(e):
                Console.out(JSONWriter.write(.object([("file", .string(item.file)), ("error", .string(e.description))])))
            case let .failure(message):
                Console.out(JSONWriter.write(.object([("file", .string(item.file)), ("error", .string(message))])))
            }
        }
        Console.err(Self.summaryTable(items))
        throw ExitCode(BatchRunner.exitCode(items))
    }

    static func summaryTable(_ items: [BatchRunner.Item]) -> String {
        let width = min(60, items.map(\.file.count).max() ?? 0)
        var lines: [String] = []
        var counts = [0, 0, 0]
        for item in items {
            let status: String
            switch item.outcome {
            case let .certificate(c): status = c.summaryLine
            case .badInput, .failure: status = "bad input"
            }
            counts[Int(item.outcome.exitCode)] += 1
            lines.append(item.file.padding(toLength: max(width, item.file.count), withPad: " ", startingAt: 0) + "  " + status)
        }
        lines.append("\(items.count) games: \(counts[0]) certified, \(counts[1]) not certified, \(counts[2]) bad input")
        return lines.joined(separator: "\n")
    }
}

extension Objective: ExpressibleByArgument {}

extension FileManager {
    func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return path != "-" && fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}
