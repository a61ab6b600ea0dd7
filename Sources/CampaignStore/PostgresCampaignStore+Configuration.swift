extension PostgresCampaignStore {
    /// The pooled sessions' `idle_in_transaction_session_timeout`. The store never waits on anything
    /// but PostgreSQL inside a transaction, so a session idle in one this long belongs to a stalled
    /// process (stopped, swapping): PostgreSQL ends it, and the campaign locks it held are released.
    public static let idleInTransactionTimeoutMilliseconds = 10_000

    /// How the store retries transactions that lost a race inside PostgreSQL, and its task limit.
    public struct Configuration: Sendable {
        /// Attempts of a transaction that failed with a serialization failure or a deadlock (40001, 40P01)
        /// before the caller gets `.unavailable`.
        public var maximumAttempts: Int
        /// The pause before a retry grows from this (jittered), so colliding writers spread out.
        public var retryBaseDelayMilliseconds: Int
        /// A create past this many tasks in one campaign is refused (`.taskLimitReached`), as in memory
        /// (MAX_TASKS_PER_CAMPAIGN, whose default lives in `AppConfiguration`).
        public var maximumTasksPerCampaign: Int

        public init(maximumAttempts: Int = 4, retryBaseDelayMilliseconds: Int = 5, maximumTasksPerCampaign: Int) {
            self.maximumAttempts = max(1, maximumAttempts)
            self.retryBaseDelayMilliseconds = max(0, retryBaseDelayMilliseconds)
            self.maximumTasksPerCampaign = min(max(1, maximumTasksPerCampaign), Int(Int32.max))
        }
    }
}
