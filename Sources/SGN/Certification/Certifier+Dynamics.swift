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
            // Proven constants of a Markov game bound K = F^{-1/2} J F^{-1/2} at every point of the
            // region, which is the Jacobian of the certified dynamics only at the equilibrium
            // (docs/markov-games.md).
            steps.euler.guarantee =
                "Proven bounds on the linearisation: alpha and beta bound K = F^{-1/2} J F^{-1/2} (F the Fisher matrix in the certificate's weights, J the pseudo-gradient's Jacobian) at every point of the region (interval enclosures), so for 0 < h < max the Euler step of the linearisation at any point of the region contracts in the certificate's metric by sqrt(1 - 2h*alpha + h^2*beta^2) < 1; at the equilibrium this is the certified dynamics' own linearisation. Not proven: contraction of the nonlinear natural-gradient flow between two points away from the equilibrium (its Jacobian also carries the derivative of the Fisher matrix)."
            steps.rk4.guarantee =
                "Local only: near the equilibrium, RK4 with 0 < h <= max is linearly stable (beta is a proven bound on the region); not a global guarantee. guideline is the paper's 2.5/beta."
        }
        return steps
    }

    /// Whether the RK4 figure of a certificate is a proven convergence guarantee (exact constants,
    /// unprojected dynamics) rather than a local statement or no figure at all (boxed games).
    public static func rk4IsProven(for game: any Game, estimation: Estimation) -> Bool {
        estimation == .exact && !isConstrained(game)
    }
}
