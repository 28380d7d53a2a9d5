/// Thrown by a game's `jacobians()` when it cannot be examined at all — for example when the
/// point its region is built around (a Markov game's equilibrium) could not be computed to the
/// required accuracy. The `Certifier` turns it into a `not_certified` certificate carrying
/// `reason` (exit code 1), not into a crash or a bad-input error: the input was valid, the
/// game just has no certificate.
public struct GameNotCertifiable: Error, Sendable, CustomStringConvertible {
    /// Plain-words explanation, copied into the certificate's `reason`.
    public var reason: String
    /// How the constants would have been estimated (reported with no values).
    public var estimation: Estimation

    public init(reason: String, estimation: Estimation) {
        self.reason = reason
        self.estimation = estimation
    }

    public var description: String { reason }
}
