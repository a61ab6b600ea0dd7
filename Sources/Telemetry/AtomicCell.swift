import Synchronization

/// One atomic integer on the heap: `Atomic` cannot be copied, so an array of counters needs a box each.
final class AtomicCell: Sendable {
    let value = Atomic<Int>(0)

    init() {}
}
