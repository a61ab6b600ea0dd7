import Synchronization

/// A value that only goes up (requests served, bytes sent); lock-free.
public final class Counter: Sendable {
    private let storage = Atomic<Int>(0)

    init() {}

    /// Adds `amount`, which must not be negative: a counter that goes down breaks `rate()`.
    public func increment(by amount: Int = 1) {
        precondition(amount >= 0, "a counter only goes up")
        storage.wrappingAdd(amount, ordering: .relaxed)
    }

    /// The current total.
    public var value: Int { storage.load(ordering: .relaxed) }
}
