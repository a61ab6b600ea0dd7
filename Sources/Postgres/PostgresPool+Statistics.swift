extension PostgresPool {
    /// A snapshot of the pool's state, for health checks and metrics.
    public struct Statistics: Sendable, Equatable {
        /// The configured maximum number of sessions.
        public let size: Int
        /// Worker threads started so far (each owns at most one session).
        public let workerThreads: Int
        /// Sessions currently open.
        public let openConnections: Int
        /// Sessions running a caller's work right now.
        public let busyConnections: Int
        /// Callers waiting for a free session.
        public let waitingRequests: Int
    }
}
