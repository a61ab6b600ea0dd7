extension PostgresCampaignStore {
    /// How the store retries transactions that lost a race inside PostgreSQL.
    public struct Configuration: Sendable {
        /// Attempts of a transaction that failed with a serialization failure or a deadlock (40001, 40P01)
        /// before the caller gets `.unavailable`.
        public var maximumAttempts: Int
        /// The pause before a retry grows from this (jittered), so colliding writers spread out.
        public var retryBaseDelayMilliseconds: Int

        public init(maximumAttempts: Int = 4, retryBaseDelayMilliseconds: Int = 5) {
            self.maximumAttempts = max(1, maximumAttempts)
            self.retryBaseDelayMilliseconds = max(0, retryBaseDelayMilliseconds)
        }
    }
}
