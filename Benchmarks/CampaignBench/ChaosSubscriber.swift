/// One simulated browser tab of the chaos run: a chain of stream connections to one campaign, resumed with
/// `Last-Event-ID` after every drop, and everything it received, for the check against the event log.
final class ChaosSubscriber {
    /// A `resync` this subscriber received, and the snapshot it then fetched as a board would.
    final class Resync {
        /// How many events the subscriber had received when the resync came.
        let position: Int
        let reason: String
        var snapshot: Snapshot?
        var fetcher: RESTClient?
        var attempts = 0

        init(position: Int, reason: String) {
            self.position = position
            self.reason = reason
        }
    }

    let index: Int
    let campaign: Int
    /// The instance the subscriber uses now: it moves to another one when its own refuses connections.
    var instance: Int
    var client: SSEClient?
    /// A reconnect is scheduled.
    var reconnecting = false
    /// The delay before a reconnect: the server's last `retry:`, else a browser's default of 3 s.
    var retryMilliseconds = 3000

    /// `lastEventId` of the first `connected`: the subscriber is due every event of its campaign after it.
    var startEventID: Int64?
    /// Every event id received (task and history events), in arrival order, and when each arrived (wall ms).
    var eventIDs: [Int64] = []
    var arrivals: [Int64] = []
    var resyncs: [Resync] = []
    var connections = 0
    var failovers = 0

    init(index: Int, campaign: Int, instance: Int) {
        self.index = index
        self.campaign = campaign
        self.instance = instance
    }

    /// The id to resume after, as a browser's EventSource keeps it: the last id received (the first
    /// `connected`'s before any).
    var lastEventID: Int64? { eventIDs.last ?? startEventID }

    /// How far the subscriber is known to be up to date: its last id, or a newer snapshot after a resync.
    var upToDateThrough: Int64 {
        var through = lastEventID ?? -1
        for resync in resyncs { if let snapshot = resync.snapshot { through = max(through, snapshot.lastEventId) } }
        return through
    }
}
