import Foundation

/// A value shared between threads behind a lock: the project's one lock box. Every mutable
/// state that concurrent work touches (memo caches, counters, result slots, timing tables,
/// progress) lives in a `Locked`, so the `@unchecked Sendable` promise is made — and checked by
/// reading — in this one place.
///
/// `withLock` runs `body` with exclusive access and returns its result; keep bodies short and
/// never call back into code that takes the same box (the lock is not recursive). The box is a
/// class so copies share the value. It is built on `NSLock` rather than the standard library's
/// `Mutex` because `Mutex` needs macOS 15 and the package supports macOS 13.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value (it may read and change it).
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
