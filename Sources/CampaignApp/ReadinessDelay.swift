import Synchronization

/// The pause between "not ready" and "stop accepting" at shutdown: load balancers and Kubernetes
/// endpoints notice a failed readiness probe only at their next probe, and until then they keep
/// sending new clients. A second shutdown request (a second SIGTERM or Ctrl-C) ends it early.
final class ReadinessDelay: Sendable {
    private struct State {
        var ended = false
        var sleeper: Task<Void, Never>?
    }

    private let state = Mutex(State())

    /// Waits `seconds`, or less if `end()` is called or the waiting task is cancelled.
    func wait(seconds: Int) async {
        guard seconds > 0 else { return }
        let sleeper = state.withLock { state -> Task<Void, Never>? in
            guard !state.ended else { return nil }
            let sleeper = Task<Void, Never> { _ = try? await Task.sleep(for: .seconds(seconds)) }
            state.sleeper = sleeper
            return sleeper
        }
        await withTaskCancellationHandler {
            await sleeper?.value
        } onCancel: {
            sleeper?.cancel()
        }
    }

    /// Ends the wait now (and any wait that has not begun yet).
    func end() {
        let sleeper = state.withLock { state -> Task<Void, Never>? in
            state.ended = true
            return state.sleeper
        }
        sleeper?.cancel()
    }
}
