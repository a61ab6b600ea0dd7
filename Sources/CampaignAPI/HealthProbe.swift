import CampaignStore
import Synchronization
import Prometheus

/// Whether the store is reachable, for `/api/health`: a flood of health requests must not become a
/// flood of database round trips. An answer is reused for `cacheMilliseconds`, and while a check runs
/// every other request waits for that one instead of starting its own (single flight).
final class HealthProbe: Sendable {
    private struct State {
        var answer: (reachable: Bool, at: ContinuousClock.Instant)?
        var inFlight: Task<Bool, Never>?
    }

    private enum Source {
        case cached(Bool)
        case check(Task<Bool, Never>)
    }

    private let store: any CampaignStore
    private let cacheTime: Duration
    /// Counts the checks that reached the store (`campaign_health_checks_total`).
    private let checks: Counter
    private let state = Mutex(State())

    init(store: any CampaignStore, cacheMilliseconds: UInt64, checks: Counter) {
        self.store = store
        cacheTime = .milliseconds(cacheMilliseconds)
        self.checks = checks
    }

    func isReachable() async -> Bool {
        let now = ContinuousClock.now
        let source = state.withLock { state -> Source in
            if let answer = state.answer, answer.at.duration(to: now) < cacheTime { return .cached(answer.reachable) }
            if let running = state.inFlight { return .check(running) }
            // Started under the lock, so its `finish` (which takes the lock) always comes after this.
            let running = Task { [store, checks] in
                checks.increment()
                let reachable = await store.isReachable()
                self.finish(reachable)
                return reachable
            }
            state.inFlight = running
            return .check(running)
        }
        switch source {
        case .cached(let answer): return answer
        case .check(let running): return await running.value
        }
    }

    private func finish(_ reachable: Bool) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.answer = (reachable, now)
            state.inFlight = nil
        }
    }
}
