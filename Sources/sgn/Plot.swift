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
            Exit codes: 0 done, 2 some input was bad or a file could not be written.
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

    func kinds() throws -> [ChartKind] {
        try chart.split(separator: ",").map { name in
            guard let k = ChartKind(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError(
                    "unknown chart '\(name)' (charts: \(ChartKind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return k
        }
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
        do {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        } catch {
            Console.err("sgn: error: cannot create the output directory \(output): \(error.localizedDescription)")
            throw ExitCode(2)
        }
        let kinds = try kinds()
        var code: Int32 = 0
        for file in files {
            do {
                let game = try GameReader.read(path: file, overrides: region.overrides)
                let certificate = try Certifier(objective: objective).certify(game)
                let plotter = Plotter(game: game, certificate: certificate, runs: runs, seed: seed)
                let stem = file == "-" ? "stdin" : URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
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
                        Console.err("sgn: error: cannot write \(path): \(error.localizedDescription)")
                        code = 2
                    }
                }
            } catch let e as InputError {
                Console.err("sgn: error: \(e)")
                code = 2
            } catch {
                Console.err("sgn: error: \(file): \(error)")
                code = 2
            }
        }
        throw ExitCode(code)
    }
}
