/// A capability a game class adopts when its dynamics can have several equilibria and it can find
/// them (Markov games: several QREs). Shared code asks for it with `as? any MultipleEquilibria`;
/// a class without it has exactly the one equilibrium `Game.equilibrium(certifiedStep:)` reports.
public protocol MultipleEquilibria: Game {
    /// The game once per distinct equilibrium found, each a copy centred on it, the game's own
    /// (principal) equilibrium first; empty when none was found.
    func gamesAtDistinctEquilibria() -> [any Game]

    /// The game centred on the equilibrium found near `state` (a flat state in the game's own
    /// coordinates, as a certificate states it), or nil when none is found there: how `sgn verify`
    /// re-finds a further equilibrium (branch `other`) of `certify --equilibria all`.
    func game(atEquilibriumNear state: [Double]) -> (any Game)?
}

extension Game {
    /// `certify --equilibria all`: the game once per distinct equilibrium, principal first; the
    /// game itself when its class has one equilibrium or no other was found.
    public func gamesPerEquilibrium() -> [any Game] {
        guard let several = self as? any MultipleEquilibria else { return [self] }
        let found = several.gamesAtDistinctEquilibria()
        return found.isEmpty ? [self] : found
    }
}
