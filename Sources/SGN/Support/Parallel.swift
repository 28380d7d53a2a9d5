import Dispatch
import Foundation

/// Data-parallel loops on all cores. Work is split into chunks whose results come back in
/// index order, so parallel code stays deterministic.
public enum Parallel {
    /// Applies `body` to disjoint chunks covering `0..<count` (concurrently when there is enough
    /// work) and returns the chunk results in order.
    public static func mapChunks<T: Sendable>(count: Int, minimumChunk: Int, _ body: @Sendable (Range<Int>) -> T) -> [T]
    {
        if count <= minimumChunk { return count > 0 ? [body(0..<count)] : [] }
        let chunks = min(Limits.parallelChunks, (count + minimumChunk - 1) / minimumChunk)
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

extension Parallel {
    /// Runs two independent pieces of work, concurrently when `concurrently` is true, and
    /// returns both results (the first error wins, in argument order). Each piece must not
    /// depend on the other's side effects, so the results are the same either way.
    public static func both<A: Sendable, B: Sendable>(
        concurrently: Bool, _ a: @Sendable () throws -> A,
        _ b: @Sendable () throws -> B
    ) throws -> (A, B) {
        guard concurrently else { return (try a(), try b()) }
        let first = SlotArray<Result<A, Error>>(count: 1)
        let second = SlotArray<Result<B, Error>>(count: 1)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            if k == 0 { first.set(0, Result { try a() }) } else { second.set(0, Result { try b() }) }
        }
        return (try first.values()[0].get(), try second.values()[0].get())
    }
}

/// Write-once slots filled concurrently, one index per writer.
private struct SlotArray<T: Sendable>: Sendable {
    private let storage: Locked<[T?]>
    init(count: Int) { storage = Locked(Array(repeating: nil, count: count)) }
    func set(_ i: Int, _ v: T) { storage.withLock { $0[i] = v } }
    func values() -> [T] { storage.withLock { $0.map { $0! } } }
}
