extension PostgresPool {
    public typealias SessionSetup = @Sendable (PostgresConnection) throws -> Void

    /// How the pool connects, how many sessions it keeps and how long it waits.
    public struct Configuration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        /// A libpq connection string (URI or `key=value`); never logged, it may hold a password.
        public var connectionString: String
        /// The most sessions (and worker threads) the pool opens.
        public var size: Int
        /// libpq's `connect_timeout` (libpq's minimum is 2 seconds).
        public var connectTimeoutSeconds: Int
        /// How long a caller waits for a free session before `.poolTimeout`.
        public var acquireTimeoutSeconds: Int
        /// The server-side `statement_timeout` of every session; nil leaves the server's default.
        public var statementTimeoutMilliseconds: Int?
        /// The server-side `lock_timeout` of every session: a statement waiting this long for a lock
        /// (another transaction's row or advisory lock) fails with 55P03; nil leaves the server's default.
        public var lockTimeoutMilliseconds: Int?
        /// The server-side `idle_in_transaction_session_timeout`: a session of this pool left inside a
        /// transaction this long (its process stalled) is ended by the server, releasing its locks.
        public var idleInTransactionTimeoutMilliseconds: Int?
        /// Whether each statement is prepared once per session and then only executed (see
        /// `PostgresConnection.query`); off behind poolers that move sessions between clients.
        public var preparesStatements: Bool
        /// Runs on every new session before its first use (and before `openSessions()` returns): a
        /// warm-up, so the first real statements find the server process's caches filled. Should
        /// leave the session idle; a failure is logged and ignored.
        public var sessionSetup: SessionSetup?

        /// Creates a configuration. `size` and `preparesStatements` are the operator's settings
        /// (DATABASE_POOL_SIZE, DATABASE_PREPARED_STATEMENTS): their defaults live once, in `AppConfiguration`.
        public init(connectionString: String, size: Int, connectTimeoutSeconds: Int = 5,
                    acquireTimeoutSeconds: Int = 10, statementTimeoutMilliseconds: Int? = 15000, preparesStatements: Bool) {
            self.connectionString = connectionString
            self.size = size
            self.connectTimeoutSeconds = connectTimeoutSeconds
            self.acquireTimeoutSeconds = acquireTimeoutSeconds
            self.statementTimeoutMilliseconds = statementTimeoutMilliseconds
            self.preparesStatements = preparesStatements
        }

        // The connection string is left out of every textual form so it cannot reach a log.
        public var description: String {
            "PostgresPool.Configuration(size: \(size), connectTimeoutSeconds: \(connectTimeoutSeconds), "
                + "acquireTimeoutSeconds: \(acquireTimeoutSeconds), "
                + "statementTimeoutMilliseconds: \(statementTimeoutMilliseconds.map(String.init) ?? "nil"), "
                + "lockTimeoutMilliseconds: \(lockTimeoutMilliseconds.map(String.init) ?? "nil"), "
                + "idleInTransactionTimeoutMilliseconds: \(idleInTransactionTimeoutMilliseconds.map(String.init) ?? "nil"), "
                + "preparesStatements: \(preparesStatements))"
        }

        public var debugDescription: String { description }

        public var customMirror: Mirror {
            Mirror(self, children: [
                "connectionString": "<redacted>",
                "size": size,
                "connectTimeoutSeconds": connectTimeoutSeconds,
                "acquireTimeoutSeconds": acquireTimeoutSeconds,
                "statementTimeoutMilliseconds": statementTimeoutMilliseconds as Any,
                "lockTimeoutMilliseconds": lockTimeoutMilliseconds as Any,
                "idleInTransactionTimeoutMilliseconds": idleInTransactionTimeoutMilliseconds as Any,
                "preparesStatements": preparesStatements,
            ])
        }
    }
}
