extension AppConfiguration {
    /// Where the server listens and the limits that protect it from any one client.
    public struct Server: Sendable, Equatable {
        /// HOST: an IPv4 address (or `localhost`); forced to 127.0.0.1 when auth is disabled.
        public var host: String
        /// PORT; 0 picks a free port.
        public var port: Int
        /// MAX_CONNECTIONS.
        public var maxConnections: Int
        /// MAX_BODY_BYTES.
        public var maxBodyBytes: Int
        /// HEADER_TIMEOUT_SECONDS: a request head must be complete this long after its first byte.
        public var headerTimeoutSeconds: Int
        /// IDLE_TIMEOUT_SECONDS: an idle keep-alive connection is closed after this long.
        public var idleTimeoutSeconds: Int
        /// BODY_TIMEOUT_SECONDS: a request body must be complete this long after its head.
        public var bodyTimeoutSeconds: Int
        /// SHUTDOWN_GRACE_SECONDS: how long shutdown waits for in-flight requests.
        public var shutdownGraceSeconds: Int
        /// SHUTDOWN_READINESS_DELAY_SECONDS: at shutdown `/readyz` fails this long before the listener closes.
        public var shutdownReadinessDelaySeconds: Int
        /// MAX_UNSENT_RESPONSE_BYTES: past this many unsent answer bytes a connection's next requests wait unread.
        public var maxUnsentResponseBytes: Int
        /// SEND_TIMEOUT_SECONDS: a connection whose client takes none of our queued bytes for this long is closed.
        public var sendTimeoutSeconds: Int
        /// MAX_CONNECTIONS_PER_ADDRESS: open connections one client address may hold (0 = no limit).
        public var maxConnectionsPerAddress: Int
        /// CONNECTION_RATE_PER_ADDRESS: new connections one client address may open per second once its
        /// burst is spent (0 = no limit).
        public var connectionRatePerAddress: Int
        /// CONNECTION_BURST_PER_ADDRESS: new connections one client address may open at once.
        public var connectionBurstPerAddress: Int
        /// REQUEST_RATE_PER_ADDRESS: requests one client address may make per second once its burst is
        /// spent; a body counts one more request per 64 KiB (0 = no limit). Past it, requests wait unread.
        public var requestRatePerAddress: Int
        /// REQUEST_BURST_PER_ADDRESS: requests one client address may make at once.
        public var requestBurstPerAddress: Int

        public init(
            host: String = "0.0.0.0", port: Int = 3001, maxConnections: Int = 10_000, maxBodyBytes: Int = 1_048_576,
            headerTimeoutSeconds: Int = 10, idleTimeoutSeconds: Int = 60, bodyTimeoutSeconds: Int = 30,
            shutdownGraceSeconds: Int = 10, maxUnsentResponseBytes: Int = 262_144, sendTimeoutSeconds: Int = 30,
            maxConnectionsPerAddress: Int = 0, connectionRatePerAddress: Int = 0, connectionBurstPerAddress: Int = 100,
            requestRatePerAddress: Int = 0, requestBurstPerAddress: Int = 100, shutdownReadinessDelaySeconds: Int = 5
        ) {
            self.host = host
            self.port = port
            self.maxConnections = maxConnections
            self.maxBodyBytes = maxBodyBytes
            self.headerTimeoutSeconds = headerTimeoutSeconds
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.bodyTimeoutSeconds = bodyTimeoutSeconds
            self.shutdownGraceSeconds = shutdownGraceSeconds
            self.maxUnsentResponseBytes = maxUnsentResponseBytes
            self.sendTimeoutSeconds = sendTimeoutSeconds
            self.maxConnectionsPerAddress = maxConnectionsPerAddress
            self.connectionRatePerAddress = connectionRatePerAddress
            self.connectionBurstPerAddress = connectionBurstPerAddress
            self.requestRatePerAddress = requestRatePerAddress
            self.requestBurstPerAddress = requestBurstPerAddress
            self.shutdownReadinessDelaySeconds = shutdownReadinessDelaySeconds
        }
    }
}
