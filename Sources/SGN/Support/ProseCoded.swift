/// A value a certificate states as a sentence (a guarantee, a sampling or proof method): the
/// model holds the value, `prose` is what the JSON says, and `init?(prose:)` reads back every
/// sentence this or an earlier version of sgn wrote for it (nil for any other sentence).
public protocol ProseCoded: Sendable, Hashable {
    /// What the sentence states, for error messages ("RK4 step guarantee").
    static var proseDescription: String { get }
    var prose: String { get }
    init?(prose: String)
}

/// A prose-coded value with finitely many cases: read back by comparing with each case's prose,
/// then with the wordings of earlier versions (`legacyProse`).
public protocol ProseCases: ProseCoded, CaseIterable {
    /// Sentences earlier versions wrote that are worded differently today.
    static var legacyProse: [String: Self] { get }
}

extension ProseCases {
    public static var legacyProse: [String: Self] { [:] }

    public init?(prose: String) {
        guard let found = Self.allCases.first(where: { $0.prose == prose }) ?? Self.legacyProse[prose] else {
            return nil
        }
        self = found
    }
}
