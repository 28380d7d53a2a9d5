extension Certifier {
    /// Whether the game's dynamics are projected onto a constraint set, which changes what the
    /// step-size guarantees cover (SGN-METHOD §5). One place, shared by certify, verify and
    /// simulate.
    public static func isConstrained(_ game: any Game) -> Bool {
        (game as? QuadraticGame)?.isConstrained ?? false
    }

    /// The step sizes a certificate states for margin `a` and Lipschitz constant `b` in its
    /// metric, with the guarantee that fits the game (exact or sampled constants, projected or not).
    public static func stepSizes(for game: any Game, estimation: Estimation, margin a: Double, lipschitz b: Double) -> StepSizes {
        var steps = StepSizes(margin: a, lipschitz: b, exact: estimation == .exact, constrained: isConstrained(game))
        if case .proven = estimation {
            // Constants proven on a region (an enclosure of the Jacobian), not exact everywhere
            // and not sampled estimates: the guarantees hold while iterates stay in the region.
            steps.euler.guarantee = "Proven on the region: for every step h with 0 < h < max, Euler contracts in the certificate's metric by the factor sqrt(1 - 2h*alpha + h^2*beta^2) < 1 per step while iterates stay in the region the enclosure covers; at the recommended step that factor is `factor`."
            steps.rk4.guarantee = "Linearised only: at every point of the region the Jacobian lies in the proven enclosure, so RK4 with 0 < h <= max is linearly stable there; not a guarantee for the nonlinear iteration. guideline is the paper's 2.5/beta."
        }
        return steps
    }

    /// Whether the RK4 figure of a certificate is a proven convergence guarantee (exact constants,
    /// unprojected dynamics) rather than a local statement or no figure at all (boxed games).
    public static func rk4IsProven(for game: any Game, estimation: Estimation) -> Bool {
        estimation == .exact && !isConstrained(game)
    }
}
