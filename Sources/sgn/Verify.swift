import ArgumentParser
import Foundation
import SGN

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-check a certificate against its game: every claim, recomputed independently.",
        discussion: """
            Recomputes the constants (sampled ones with the game's seed and count), the margin and the \
            Lipschitz constant at the certificate's own weights, the step sizes from the stated margin \
            and Lipschitz constant, the bands and the equilibrium, and compares each stated figure in \
            its safe direction. Prints a JSON report with one entry per claim.
            Exit codes: 0 every claim holds, 1 some claim fails, 2 bad input (game or certificate).
            """
    )

    @Argument(help: "The game file ('-' for stdin).", completion: .file())
    var game: String

    @Argument(help: "The certificate file, as written by 'sgn certify' ('-' for stdin).", completion: .file())
    var certificate: String

    @Flag(help: "Indent the JSON report.")
    var pretty = false

    @Option(help: "Output format: json or text.")
    var format: Certify.Format = .json

    /// The same overrides the certificate was made with (`sgn certify --temperature …`).
    @OptionGroup var overrides: GameOptions

    func validate() throws {
        if game == "-" && certificate == "-" { throw ValidationError("only one of the two inputs can be stdin") }
        try overrides.check(radiusName: "--radius", seedName: "--seed")
        try Console.checkPretty(pretty, format)
    }

    func run() throws {
        try Console.mappingErrors {
            var g = try GameReader.read(path: game, overrides: overrides.overrides)
            let stated = try StatedCertificate.read(path: certificate)
            // A further QRE of `--equilibria all`: the game centred on the QRE near the stated one.
            if stated.equilibriumBranch == .other, let several = g as? any MultipleEquilibria,
                let x = stated.equilibrium, let near = several.game(atEquilibriumNear: x)
            {
                g = near
            }
            let report = try Verifier().verify(game: g, certificate: stated)
            if format == .text {
                Console.out(report.text)
            } else {
                Console.out(JSONWriter.write(report.json(gameFile: game, certificateFile: certificate), pretty: pretty))
            }
            if !report.holds {
                Console.err(
                    """
                    sgn: \(report.failed.count) claim(s) do not hold: \
                    \(report.failed.map(\.claim).joined(separator: ", "))
                    """
                )
            }
            if let check = report.independentCheck, !check.holds {
                Console.err(
                    """
                    sgn: warning: the sampled constants are beaten at independent points of the region \
                    (independent_check): they are estimates, not bounds
                    """
                )
            }
            throw ExitCode(report.exitCode)
        }
    }
}

extension VerificationReport {
    /// One line per claim.
    var text: String {
        var lines = [
            "\(gameName): \(holds ? "VERIFIED" : "FAILED") (\(claims.count - failed.count)/\(claims.count) claims hold)"
        ]
        for c in claims {
            lines.append(
                """
                  \(c.holds ? "ok  " : "FAIL") \(c.claim): stated \(JSONWriter.write(c.stated)), recomputed \
                \(JSONWriter.write(c.recomputed))
                """
            )
        }
        if let c = independentCheck {
            lines.append(
                """
                  \(c.holds ? "ok  " : "DISAGREES") \(c.claim) (reported, not part of the verdict): stated \
                \(JSONWriter.write(c.stated)), recomputed \(JSONWriter.write(c.recomputed))
                """
            )
        }
        return lines.joined(separator: "\n")
    }
}
