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
            guard count >= 1 else { throw ValidationError("--count must be at least 1") }
            if count > 1 && output == nil { throw ValidationError("--count above 1 needs --output DIR") }
        }

        func emit(_ make: (UInt64) -> QuadraticGame) throws {
            guard let output else {
                Console.write(make(seed).inputJSON())
                return
            }
            if count == 1 && !FileManager.default.isDirectory(output) {
                Console.writeFile(make(seed).inputJSON(), to: output)
                return
            }
            Console.createDirectory(output)
            let width = String(count - 1).count
            for k in 0..<count {
                let s = seed &+ UInt64(k)
                let index = String(k)
                let file = "\(output)/game-\(String(repeating: "0", count: width - index.count))\(index).json"
                Console.writeFile(make(s).inputJSON(), to: file)
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
                throw ValidationError("--dim must be at least 1")
            }
            guard degree >= 0 else { throw ValidationError("--degree must be non-negative") }
            guard coupling.isFinite, coupling >= 0 else {
                throw ValidationError("--coupling must be a non-negative number")
            }
        }

        func run() throws {
            try common.emit {
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
                throw ValidationError("--dim must be at least 1")
            }
            guard lambda.isFinite else { throw ValidationError("--lambda must be a finite number") }
        }

        func run() throws { try common.emit { GameGenerators.lq(dim: dim, lambda: lambda, seed: $0) } }
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
                throw ValidationError("--dim must be at least 1")
            }
            guard coupling.isFinite, coupling >= 0 else {
                throw ValidationError("--coupling must be a non-negative number")
            }
        }

        func run() throws {
            try common.emit { GameGenerators.dense(players: players, dim: dim, coupling: coupling, seed: $0) }
        }
    }
}
