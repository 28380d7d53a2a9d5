import ArgumentParser
import Foundation
import SGN

struct Plot: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write SVG charts (trajectory, band, steps) for games.",
        discussion: """
            For each game, certifies it and writes <output>/<game file name>-<chart>.svg for each chart \
            that applies (trajectory and steps need a certified game; band needs two or more players). \
            Prints the paths written, one per line; skipped charts are explained on stderr.
            Exit codes: 0 done, 2 some input was bad, 3 some file could not be written.
            """
    )

    @Argument(help: "Game files or directories of *.json games.", completion: .file())
    var inputs: [String]

    @Option(help: "Directory for the SVG files (created if missing).", completion: .directory)
    var output: String = "plots"

    @Option(help: "Comma-separated charts: trajectory, band, steps.")
    var chart: String = ChartKind.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Seeded runs per simulated chart.")
    var runs: Int = 4

    @Option(help: "Seed of the starting points.")
    var seed: UInt64 = 1

    @Option(help: "What the certificate's weights maximise: rate, euler or rk4.")
    var objective: Objective = .rate

    @OptionGroup var region: RegionOptions

    /// The charts named by `--chart`, each once, in the order first named (`band,band` draws
    /// one band chart: two would write the same file).
    func kinds() throws -> [ChartKind] {
        var kinds: [ChartKind] = []
        for name in chart.split(separator: ",") {
            guard let k = ChartKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError(
                    "unknown chart '\(name)' (charts: \(ChartKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if !kinds.contains(k) { kinds.append(k) }
        }
        return kinds
    }

    /// The stem of `file`'s SVG names (`<stem>-<chart>.svg`).
    static func stem(_ file: String) -> String {
        file == "-" ? "stdin" : URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
    }

    /// The input files without repeats of the same path (first kept); two different files whose
    /// charts would have the same path are a usage error (exit 2) before anything is certified
    /// or written, naming both: one would silently overwrite the other.
    static func distinctOutputs(_ files: [String]) throws -> [String] {
        var seen: Set<String> = []
        var owner: [String: String] = [:]
        var kept: [String] = []
        for file in files {
            let key = file == "-" ? "-" : URL(fileURLWithPath: file).standardizedFileURL.path
            guard seen.insert(key).inserted else { continue }
            let stem = stem(file)
            if let other = owner[stem] {
                Console.err(
                    """
                    sgn: error: \(other) and \(file) would both be drawn as \(stem)-<chart>.svg in the output \
                    directory; plot them in separate runs with different --output directories
                    """
                )
                throw ExitCode(2)
            }
            owner[stem] = file
            kept.append(file)
        }
        return kept
    }

    func validate() throws {
        if try kinds().isEmpty { throw ValidationError("--chart names no chart") }
        if runs < 1 || runs > 1000 { throw ValidationError("--runs must be between 1 and 1000") }
        try region.check()
        try Console.checkStdinOnce(inputs)
    }

    func run() throws {
        var files = BatchRunner.expand(inputs, temperatureGiven: region.temperature != nil)
        if files.count > 1 || inputs.contains(where: FileManager.default.isDirectory) {
            files = Console.skippingOutputs(files)
        }
        guard !files.isEmpty else {
            Console.err("sgn: no game files found in \(inputs.joined(separator: " "))")
            throw ExitCode(2)
        }
        files = try Self.distinctOutputs(files)
        Console.createDirectory(output)
        let kinds = try kinds()
        var code: Int32 = 0
        for file in files {
            do {
                let game = try GameReader.read(path: file, overrides: region.overrides)
                let certificate = try Certifier(objective: objective).certify(game)
                let plotter = Plotter(game: game, certificate: certificate, runs: runs, seed: seed)
                let stem = Self.stem(file)
                for kind in kinds {
                    let (svg, reason) = try plotter.chart(kind)
                    guard let svg else {
                        Console.err("sgn: \(file): no \(kind.rawValue) chart (\(reason ?? "not applicable"))")
                        continue
                    }
                    let name = "\(stem)-\(kind.rawValue).svg"
                    let path = output.hasSuffix("/") ? output + name : output + "/" + name
                    do {
                        try Data(svg.utf8).write(to: URL(fileURLWithPath: path))
                        Console.out(path)
                    } catch {
                        // As for every output: a file that cannot be written is exit code 3
                        // (the worst code of the run wins); the other charts are still drawn.
                        Console.err("sgn: error: cannot write \(path): \(error.localizedDescription)")
                        code = max(code, Console.outputErrorCode)
                    }
                }
            } catch let e as InputError {
                Console.err("sgn: error: \(e)")
                code = max(code, 2)
            } catch {
                Console.err("sgn: error: \(file): \(error)")
                code = max(code, 2)
            }
        }
        throw ExitCode(code)
    }
}
