import Synchronization

/// A value that goes up and down (open connections, rooms); lock-free.
public final class Gauge: Sendable {
    private let storage = Atomic<Int>(0)

    init() {}

    /// Replaces the value.
    public func set(_ value: Int) {
        storage.store(value, ordering: .relaxed)
    }

    /// Adds `amount` (negative amounts subtract).
    public func increment(by amount: Int = 1) {
        storage.wrappingAdd(amount, ordering: .relaxed)
    }

    /// Subtracts `amount`.
    public func decrement(by amount: Int = 1) {
        storage.wrappingSubtract(amount, ordering: .relaxed)
    }

    /// The current value.
    public var value: Int { storage.load(ordering: .relaxed) }
}
