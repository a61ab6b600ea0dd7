import Synchronization

/// Lets at most `limit` replays read the store at once; the others wait their turn in arrival order.
/// A reconnect storm then queues behind a few store sessions instead of taking the whole pool from
/// the REST API.
final class ReplayGate: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    let limit: Int
    private let state = Mutex(State())

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Replays running now (tests, metrics).
    var running: Int { state.withLock { $0.running } }
    /// Replays waiting for a place now.
    var waiting: Int { state.withLock { $0.waiting.count } }

    /// Waits for a place; every `enter` is followed by one `leave`.
    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state -> Bool in
                if state.running < limit {
                    state.running += 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            // The place passes straight to the next in line: `running` stays the same.
            guard !state.waiting.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
