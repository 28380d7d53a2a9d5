/// Markov games can have several QREs (docs/markov-games.md): `distinctEquilibria()` and
/// `equilibrium(near:)` (MarkovGame+Equilibrium.swift) are the capability.
extension MarkovGame: MultipleEquilibria {
    public func gamesAtDistinctEquilibria() -> [any Game] { distinctEquilibria() }

    public func game(atEquilibriumNear state: [Double]) -> (any Game)? { equilibrium(near: state) }
}
