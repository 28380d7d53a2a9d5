import Dispatch
import Testing

@testable import SGN

/// The one lock box (Support/Locked.swift) and the parallel map built on it.
@Suite("Locked")
struct LockedTests {
    /// Concurrent read-modify-write updates through `withLock` are never lost: 20 000 increments
    /// from all cores leave exactly 20 000 (an unguarded `+= 1` loses updates under contention).
    @Test func concurrentIncrementsAreNotLost() {
        let count = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 20_000) { _ in count.withLock { $0 += 1 } }
        #expect(count.withLock { $0 } == 20_000)
    }

    /// `withLock` returns the body's result and copies of the box share one value.
    @Test func returnsResultAndSharesValue() {
        let box = Locked([Int]())
        let copy = box
        let size = copy.withLock { values -> Int in
            values.append(contentsOf: [3, 1, 2])
            return values.count
        }
        #expect(size == 3)
        #expect(box.withLock { $0 } == [3, 1, 2])
    }

    /// `Parallel.map` (its result slots are a `Locked`) keeps index order on all cores.
    @Test func parallelMapKeepsIndexOrder() {
        let squares = Parallel.map(count: 1000) { $0 * $0 }
        #expect(squares == (0..<1000).map { $0 * $0 })
    }
}
