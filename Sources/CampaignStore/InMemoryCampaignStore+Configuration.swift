extension InMemoryCampaignStore {
    /// Bounds of the embedded store.
    public struct Configuration: Sendable {
        /// The event log keeps at most this many events (oldest pruned first, as `pruneEvents` would),
        /// so memory stays bounded even when nobody calls `pruneEvents`.
        public var maximumRetainedEvents: Int

        public init(maximumRetainedEvents: Int = 100_000) {
            self.maximumRetainedEvents = max(1, maximumRetainedEvents)
        }
    }
}
