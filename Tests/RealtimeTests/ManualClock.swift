import Realtime
import Synchronization

/// A clock that moves only when the test says: `advance(by:)` wakes every sleeper whose deadline it
/// passes. Rooms on it send heartbeats, warnings and debounced batches when the test decides.
final class ManualClock: RealtimeClock, Sendable {
    private struct Sleeper {
        let id: UInt64
        let deadline: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: UInt64 = 1_000
        var nextId: UInt64 = 0
        var sleepers: [Sleeper] = []
        var cancelled: Set<UInt64> = []
    }

    private let state = Mutex(State())

    func now() -> UInt64 { state.withLock { $0.now } }

    /// Sleepers waiting now (a room's timer task, a debounce wait).
    var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline anyone sleeps towards.
    var nextDeadline: UInt64? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    func sleep(until deadline: UInt64) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextId += 1
            return state.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome = state.withLock { state -> Result<Void, any Error>? in
                    if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                    if deadline <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                    state.cancelled.insert(id)  // not asleep yet: fail as soon as it tries
                    return nil
                }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes whoever's deadline has come.
    func advance(by milliseconds: UInt64) {
        let due = state.withLock { state -> [Sleeper] in
            state.now += milliseconds
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }
}
