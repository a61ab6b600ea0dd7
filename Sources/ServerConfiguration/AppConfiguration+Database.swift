extension AppConfiguration {
    /// Which store holds the data.
    public struct Database: Sendable, Equatable {
        /// DATABASE_URL, a libpq connection string; nil selects the in-memory store.
        public var url: String?
        /// DATABASE_POOL_SIZE: connections for queries (the listener has its own).
        public var poolSize: Int

        public init(url: String? = nil, poolSize: Int = 4) {
            self.url = url
            self.poolSize = poolSize
        }
    }
}
