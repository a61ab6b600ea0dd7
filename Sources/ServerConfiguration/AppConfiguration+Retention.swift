extension AppConfiguration {
    /// How much of the event log is kept for `Last-Event-ID` resume; older events are pruned.
    public struct Retention: Sendable, Equatable {
        /// EVENT_RETENTION_HOURS: events older than this are pruned.
        public var hours: Int
        /// EVENT_RETENTION_COUNT: at most this many newest events are kept.
        public var count: Int

        public init(hours: Int = 168, count: Int = 100_000) {
            self.hours = hours
            self.count = count
        }
    }
}
