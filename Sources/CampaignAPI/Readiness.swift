import CampaignStore
import Synchronization

/// What `/readyz` checks: the database answers, the LISTEN connection is up, and the server is not
/// draining. Shutdown flips `draining` first, so a load balancer stops sending new clients here
/// while the listener still accepts (see `CampaignApplication.shutdown`).
public final class Readiness: Sendable {
    /// A check that can fail, named as `/readyz` names it in `error.field`.
    public enum Check: String, Sendable, CaseIterable {
        case database
        case listener
        case draining
    }

    private let draining = Atomic<Bool>(false)
    private let healthProbe: HealthProbe
    /// nil on the in-memory store, which has no feed to lose.
    private let eventFeed: (any CampaignEventFeed)?

    init(healthProbe: HealthProbe, eventFeed: (any CampaignEventFeed)?) {
        self.healthProbe = healthProbe
        self.eventFeed = eventFeed
    }

    public var isDraining: Bool { draining.load(ordering: .acquiring) }

    /// Fails readiness from now on; true for the first call only.
    public func startDraining() -> Bool {
        !draining.exchange(true, ordering: .acquiringAndReleasing)
    }

    /// The checks that fail now, in `Check` order (empty: ready). The database's answer is the health
    /// probe's, so probes cost the database at most one round trip per `healthCacheMilliseconds`.
    func failingChecks() async -> [Check] {
        var failing: [Check] = []
        if !(await healthProbe.isReachable()) { failing.append(.database) }
        if let eventFeed, !(await eventFeed.isConnected) { failing.append(.listener) }
        if isDraining { failing.append(.draining) }
        return failing
    }
}
