import Synchronization

/// Lets at most `limit` tasks through at once; the others wait their turn in arrival order. Used where a
/// kind of work must never take every thread or session: store replays (a reconnect storm queues
/// behind a few store sessions instead of taking the pool from the REST API) and large request bodies
/// (a client sending them back to back leaves a thread for everyone else).
public final class AsyncGate: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    public let limit: Int
    private let state = Mutex(State())

    public init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Tasks through the gate now (tests, metrics).
    public var running: Int { state.withLock { $0.running } }
    /// Tasks waiting for a place now.
    public var waiting: Int { state.withLock { $0.waiting.count } }

    /// Waits for a place; every `enter` is followed by one `leave`.
    public func enter() async {
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

    public func leave() {
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
