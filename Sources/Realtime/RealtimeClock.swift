/// The time rooms live by: heartbeats, token expiries, the debounce window, the pause before a log
/// read is retried and the grace before an empty room is dropped. Injected (`RoomRegistry.init`) so
/// tests drive a room's time instead of waiting for it.
public protocol RealtimeClock: Sendable {
    /// Milliseconds on a monotonic clock; only differences and comparisons mean anything.
    func now() -> UInt64
    /// Returns once `now()` reaches `deadline`; throws `CancellationError` if the task is cancelled first.
    func sleep(until deadline: UInt64) async throws
}

extension RealtimeClock {
    /// Sleeps `milliseconds` from now (see `sleep(until:)`).
    public func sleep(milliseconds: UInt64) async throws {
        try await sleep(until: now() &+ milliseconds)
    }
}

/// The process's monotonic clock (`SuspendingClock`), counted from the first use.
public struct SystemRealtimeClock: RealtimeClock {
    private static let origin = SuspendingClock.now

    public init() {}

    public func now() -> UInt64 {
        let elapsed = Self.origin.duration(to: SuspendingClock.now).components
        return UInt64(max(0, elapsed.seconds)) &* 1000 &+ UInt64(max(0, elapsed.attoseconds) / 1_000_000_000_000_000)
    }

    public func sleep(until deadline: UInt64) async throws {
        try await Task.sleep(until: Self.origin.advanced(by: .milliseconds(deadline)), clock: .suspending)
    }
}
