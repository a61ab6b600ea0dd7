extension AppConfiguration {
    /// How much of the event log is kept for `Last-Event-ID` resume; older events are pruned.
    public struct Retention: Sendable, Equatable {
        /// EVENT_RETENTION_HOURS: events older than this are pruned.
        public var hours: Int
        /// EVENT_RETENTION_COUNT: at most this many newest events are kept.
        public var count: Int
        /// EVENT_RETENTION_BYTES: the in-memory store keeps at most this many bytes of event data
        /// (oldest dropped first, as by count). PostgreSQL keeps its log on disk and prunes by hours and count.
        public var bytes: Int

        public init(hours: Int = 168, count: Int = 100_000, bytes: Int = 64 * 1_048_576) {
            self.hours = hours
            self.count = count
            self.bytes = bytes
        }
    }
}
