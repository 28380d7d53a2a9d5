extension Certifier {
    /// Whether the game's dynamics are projected onto a constraint set, which changes what the
    /// step-size guarantees cover (docs/method.md §5). One place, shared by certify, verify and
    /// simulate.
    public static func isConstrained(_ game: any Game) -> Bool {
        game.isConstrained
    }

    /// The step sizes a certificate states for margin `a` and Lipschitz constant `b` in its
    /// metric, with the guarantee that fits the game (exact or sampled constants, projected or not).
    public static func stepSizes(for game: any Game, estimation: Estimation, margin a: Double, lipschitz b: Double)
        -> StepSizes
    {
        var proven = false
        if case .proven = estimation { proven = true }
        var steps = StepSizes(
            margin: a, lipschitz: b, exact: estimation == .exact, constrained: isConstrained(game),
            provenOnRegion: proven)
        if case let .proven(method, _, _) = estimation, method == RegionProof.method {
            // Proven constants of a Markov game bound the Jacobian of the certified field in the
            // certificate's metric at every point of the region (docs/markov-games.md).
            steps.euler.guarantee = .provenCertifiedField
            steps.rk4.guarantee = .localProvenLipschitz
        }
        return steps
    }

    /// Whether the RK4 figure of a certificate is a proven convergence guarantee (exact constants,
    /// unprojected dynamics) rather than a local statement or no figure at all (boxed games).
    public static func rk4IsProven(for game: any Game, estimation: Estimation) -> Bool {
        estimation == .exact && !isConstrained(game)
    }
}
