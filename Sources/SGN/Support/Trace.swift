import Foundation

/// Timestamped progress lines on stderr when `SGN_DEBUG` is set (iteration counts of the Krylov
/// methods, the stages of reading, certifying and writing a game): how to see where the time
/// of a large game goes without a profiler. Silent, and free, otherwise.
public enum Trace {
    static let enabled = ProcessInfo.processInfo.environment["SGN_DEBUG"] != nil

    public static func log(_ message: @autoclosure () -> String) {
        guard enabled else { return }
        let t = String(format: "%.3f", ProcessInfo.processInfo.systemUptime)
        FileHandle.standardError.write(Data(("[\(t)] " + message() + "\n").utf8))
    }
}
