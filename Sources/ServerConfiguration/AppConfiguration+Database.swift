extension AppConfiguration {
    /// Which store holds the data.
    public struct Database: Sendable, Equatable {
        /// DATABASE_URL, a libpq connection string; nil selects the in-memory store.
        public var url: String?
        /// DATABASE_POOL_SIZE: connections for queries (the listener has its own).
        public var poolSize: Int
        /// DATABASE_PREPARED_STATEMENTS: prepare each statement once per session (false behind a
        /// pooler that moves sessions between clients, such as PgBouncer in transaction mode before 1.21).
        public var preparedStatements: Bool
        /// DATABASE_LOCK_TIMEOUT_MS: how long a write waits for its campaign's lock (held by another
        /// writer, e.g. a transaction left open in psql) before it fails with 503 `campaign_busy`.
        public var lockTimeoutMilliseconds: Int
        /// DATABASE_LISTEN_URL: the LISTEN connection's own connection string (a direct one when
        /// DATABASE_URL goes through a pooler such as PgBouncer, where LISTEN does not work); nil: DATABASE_URL.
        public var listenURL: String?

        public init(
            url: String? = nil, poolSize: Int = 4, preparedStatements: Bool = true, lockTimeoutMilliseconds: Int = 2000, listenURL: String? = nil
        ) {
            self.url = url
            self.listenURL = listenURL
            self.poolSize = poolSize
            self.preparedStatements = preparedStatements
            self.lockTimeoutMilliseconds = lockTimeoutMilliseconds
        }
    }
}
