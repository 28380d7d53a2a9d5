import ArgumentParser
import Foundation
import SGN

/// `sgn generate`: reproducible benchmark and test games, written as ordinary game JSON.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write seeded random games (ordinary game JSON) to stdout or a file.",
        discussion: """
            Every game is a pure function of its options and --seed, so a benchmark input is \
            reproduced by its command line. With --count M, M games with seeds seed, seed+1, … are \
            written into the directory given by --output.
            """,
        subcommands: [Network.self, LQ.self, Dense.self]
    )

    struct Common: ParsableArguments {
        @Option(help: "Random seed.")
        var seed: UInt64 = 1

        @Option(
            help: "Write to this file (or, with --count, into this directory) instead of stdout.", completion: .file())
        var output: String?

        @Option(help: "Number of games (seeds seed, seed+1, …); needs --output naming a directory.")
        var count: Int = 1

        func validate() throws {
            // As many games as a sweep has values at most: each is a file in one directory.
            guard (1...1_000_000).contains(count) else { throw ValidationError("--count must be from 1 to 1000000") }
            if count > 1 && output == nil { throw ValidationError("--count above 1 needs --output DIR") }
        }

        /// Writes the games. Each game's text is first read back with `GameReader.decode`, the
        /// rules `sgn certify` applies to a file, so generate never writes a game certify would
        /// refuse (a coupling scale whose entries leave the accepted magnitudes, a file over the
        /// size limit): that is a usage error (exit 2) naming `valueOptions`, the options that
        /// set the entries.
        func emit(valueOptions: String, _ make: (UInt64) -> QuadraticGame) throws {
            func text(_ s: UInt64) throws -> String {
                let json = make(s).inputJSON()
                do {
                    _ = try GameReader.decode(bytes: Array(json.utf8))
                } catch {
                    Console.err(
                        """
                        sgn: error: \(valueOptions): the generated game (seed \(s)) is not a valid game file, so \
                        certify would refuse it: \(error)
                        """
                    )
                    throw ExitCode(2)
                }
                return json
            }
            guard let output else {
                Console.write(try text(seed))
                return
            }
            if count == 1 && !FileManager.default.isDirectory(output) {
                Console.writeFile(try text(seed), to: output)
                return
            }
            Console.createDirectory(output)
            let width = String(count - 1).count
            for k in 0..<count {
                let s = seed &+ UInt64(k)
                let index = String(k)
                let file = "\(output)/game-\(String(repeating: "0", count: width - index.count))\(index).json"
                Console.writeFile(try text(s), to: file)
            }
        }
    }

    struct Network: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Sparse network game: players on a ring plus random chords, each coupled to about --degree neighbours.")

        @Option(help: "Number of players.") var players: Int = 1000
        @Option(help: "Dimension of every player.") var dim: Int = 2
        @Option(help: "Average number of neighbours (ring + random chords).") var degree: Int = 4
        @Option(parsing: .unconditional, help: "Coupling strength (about the gain spectral radius; below 1 certifies).")
        var coupling: Double = 0.5
        @OptionGroup var common: Common

        func validate() throws {
            guard (1...InputLimits.maxPlayers).contains(players) else {
                throw ValidationError("--players must be from 1 to \(InputLimits.maxPlayers)")
            }
            guard (1...InputLimits.maxPlayerDimension).contains(dim) else {
                throw ValidationError("--dim must be from 1 to \(InputLimits.maxPlayerDimension)")
            }
            guard degree >= 0 else { throw ValidationError("--degree must be non-negative") }
            guard coupling.isFinite, coupling >= 0 else {
                throw ValidationError("--coupling must be a non-negative number")
            }
            if let problem = GameGenerators.sizeProblem(
                players: players, dim: dim, blocks: GameGenerators.networkBlocks(players: players, degree: degree),
                options: "--players \(players) --dim \(dim) --degree \(degree)")
            {
                throw ValidationError(problem)
            }
        }

        func run() throws {
            try common.emit(valueOptions: "--coupling \(JSONWriter.format(coupling))") {
                GameGenerators.network(players: players, dim: dim, degree: degree, coupling: coupling, seed: $0)
            }
        }
    }

    struct LQ: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lq",
            abstract: "Two-player LQ game: Q_i = I, A12 = 10 lambda R, A21 = 0.05 lambda R^T, R random orthogonal.")

        @Option(help: "Dimension of each player.") var dim: Int = 64
        @Option(parsing: .unconditional, help: "Coupling scale lambda (SGN certifies for lambda < sqrt 2).") var lambda:
            Double = 1
        @OptionGroup var common: Common

        func validate() throws {
            guard (1...InputLimits.maxPlayerDimension).contains(dim) else {
                throw ValidationError("--dim must be from 1 to \(InputLimits.maxPlayerDimension)")
            }
            guard lambda.isFinite else { throw ValidationError("--lambda must be a finite number") }
            if let problem = GameGenerators.sizeProblem(players: 2, dim: dim, blocks: 4, options: "--dim \(dim)") {
                throw ValidationError(problem)
            }
        }

        func run() throws {
            try common.emit(valueOptions: "--lambda \(JSONWriter.format(lambda))") {
                GameGenerators.lq(dim: dim, lambda: lambda, seed: $0)
            }
        }
    }

    struct Dense: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Random dense game: every pair of players coupled.")

        @Option(help: "Number of players.") var players: Int = 50
        @Option(help: "Dimension of every player.") var dim: Int = 20
        @Option(parsing: .unconditional, help: "Coupling strength (about the gain spectral radius; below 1 certifies).")
        var coupling: Double = 0.5
        @OptionGroup var common: Common

        func validate() throws {
            guard (1...2000).contains(players) else {
                throw ValidationError("--players must be from 1 to 2000 for a dense game")
            }
            guard (1...InputLimits.maxPlayerDimension).contains(dim) else {
                throw ValidationError("--dim must be from 1 to \(InputLimits.maxPlayerDimension)")
            }
            guard coupling.isFinite, coupling >= 0 else {
                throw ValidationError("--coupling must be a non-negative number")
            }
            if let problem = GameGenerators.sizeProblem(
                players: players, dim: dim, blocks: GameGenerators.denseBlocks(players: players),
                options: "--players \(players) --dim \(dim)")
            {
                throw ValidationError(problem)
            }
        }

        func run() throws {
            try common.emit(valueOptions: "--coupling \(JSONWriter.format(coupling))") {
                GameGenerators.dense(players: players, dim: dim, coupling: coupling, seed: $0)
            }
        }
    }
}
