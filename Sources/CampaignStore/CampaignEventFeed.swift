/// News of the event log from outside the process: with PostgreSQL, another instance's or a raw SQL
/// write commits events this process never saw, and the LISTEN connection (`DatabaseListener`) says
/// so. The in-memory store has no feed: it hands its events to a `CampaignEventSink` itself.
public protocol CampaignEventFeed: Sendable {
    /// Tells the feed's subscriber what changed until the task is cancelled.
    func run() async
    /// Whether the feed is connected now; an instance that is not misses news (`/readyz` fails).
    var isConnected: Bool { get async }
}

/// Told by a feed that the event log has news. A notification is only a hint, so a forged one (any
/// role may NOTIFY) costs one read and delivers nothing the log does not hold: the subscriber reads
/// the log itself.
public protocol EventFeedSubscriber: Sendable {
    /// The log of this campaign has news.
    func logChanged(campaignId: String)
    /// Any log may have news (the feed reconnected, or a notification named no campaign).
    func logMayHaveChangedEverywhere()
}

/// What a feed reports for metrics.
public protocol EventFeedObserver: Sendable {
    /// The feed reconnected after losing its connection.
    func feedReconnected()
    /// The feed's connection came up (true) or was lost or closed (false).
    func feedConnectionChanged(connected: Bool)
}

/// Observes nothing (tests).
public struct NoEventFeedObserver: EventFeedObserver {
    public init() {}
    public func feedReconnected() {}
    public func feedConnectionChanged(connected: Bool) {}
}
