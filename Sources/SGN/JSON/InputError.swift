/// Bad input: names the file, the JSON path inside it and what was expected.
///
/// Rendered as `file: path: message` (path omitted for whole-file problems). The CLI maps every
/// `InputError` to exit code 2 and never prints a certificate for it.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var path: String
    public var message: String

    public init(file: String = "", path: String = "", message: String) {
        self.file = file
        self.path = path
        self.message = message
    }

    public var description: String {
        [file, path, message].filter { !$0.isEmpty }.joined(separator: ": ")
    }

    func inFile(_ name: String) -> InputError {
        var e = self
        e.file = name
        return e
    }
}

/// Documented limits on input size. Anything larger is rejected as bad input, before any
/// allocation proportional to the declared size.
public enum InputLimits {
    /// Largest game file read, in bytes.
    public static let maxFileBytes = 128 * 1024 * 1024
    public static let maxPlayers = 1_000_000
    public static let maxPlayerDimension = 10_000
    /// Sum of all players' dimensions.
    public static let maxTotalDimension = 2_000_000
    /// Matrix entries stored for the whole game (own blocks and present couplings, a number
    /// standing for a multiple of the identity counting as d² entries): about 800 MB of doubles.
    /// Checked from the declared dimensions before any block is allocated, so a tiny file that
    /// declares huge dimensions cannot exhaust memory.
    public static let maxMatrixEntries = 100_000_000
    /// Largest magnitude accepted for any number in a game. Larger values overflow when squared
    /// (Lipschitz constants enter step sizes squared).
    public static let maxMagnitude = 1e100
    /// Smallest magnitude of a non-zero number; smaller ones (including denormals) underflow
    /// when squared and are rejected rather than silently flushed.
    public static let minMagnitude = 1e-100
}
