import CampaignModel

extension InMemoryCampaignStore {
    /// Bounds of the embedded store: everything it holds grows only up to these.
    public struct Configuration: Sendable {
        /// The event log keeps at most this many events (oldest pruned first, as `pruneEvents` would),
        /// so memory stays bounded even when nobody calls `pruneEvents`.
        public var maximumRetainedEvents: Int
        /// The event log keeps at most this many bytes of event data (see `InMemoryEventLog.retainedBytes`):
        /// events carry whole tasks, so a count alone does not bound the memory.
        public var maximumRetainedEventBytes: Int
        /// A create past this many tasks in one campaign is refused (`.taskLimitReached`).
        public var maximumTasksPerCampaign: Int
        /// History entries kept per campaign, newest first. The API only ever serves the newest
        /// `ExecutionSnapshot.historyLimit`, so that is all the store keeps by default.
        public var historyKeptPerCampaign: Int
        /// Ids of deleted tasks remembered (over all campaigns) so that a create reusing one is a
        /// conflict, as in PostgreSQL; past this many the oldest are forgotten and may be used again.
        public var retiredTaskIdsKept: Int

        /// The parameters without a default are the operator's settings (EVENT_RETENTION_COUNT,
        /// EVENT_RETENTION_BYTES, MAX_TASKS_PER_CAMPAIGN): their defaults live once, in `AppConfiguration`.
        public init(
            maximumRetainedEvents: Int, maximumRetainedEventBytes: Int,
            maximumTasksPerCampaign: Int, historyKeptPerCampaign: Int = ExecutionSnapshot.historyLimit,
            retiredTaskIdsKept: Int = 100_000
        ) {
            self.maximumRetainedEvents = max(1, maximumRetainedEvents)
            self.maximumRetainedEventBytes = max(0, maximumRetainedEventBytes)
            self.maximumTasksPerCampaign = max(1, maximumTasksPerCampaign)
            self.historyKeptPerCampaign = max(0, historyKeptPerCampaign)
            self.retiredTaskIdsKept = max(0, retiredTaskIdsKept)
        }
    }
}
