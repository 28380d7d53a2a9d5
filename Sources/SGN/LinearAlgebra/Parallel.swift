import Dispatch
import Foundation

/// Data-parallel loops on all cores. Work is split into chunks whose results come back in
/// index order, so parallel code stays deterministic.
public enum Parallel {
    /// Applies `body` to disjoint chunks covering `0..<count` (concurrently when there is enough
    /// work) and returns the chunk results in order.
    public static func mapChunks<T: Sendable>(count: Int, minimumChunk: Int, _ body: @Sendable (Range<Int>) -> T) -> [T] {
        if count <= minimumChunk { return count > 0 ? [body(0..<count)] : [] }
        let chunks = min(64, (count + minimumChunk - 1) / minimumChunk)
        let size = (count + chunks - 1) / chunks
        return map(count: chunks) { k in body((k * size)..<min(count, (k + 1) * size)) }
    }

    /// `map` over `0..<count` on all cores, results in index order.
    public static func map<T: Sendable>(count: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        if count == 1 { return [transform(0)] }
        let slots = SlotArray<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in slots.set(i, transform(i)) }
        return slots.values()
    }
}

/// Write-once slots filled concurrently, one index per writer.
private final class SlotArray<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { lock.lock(); storage[i] = v; lock.unlock() }
    func values() -> [T] { storage.map { $0! } }
}
