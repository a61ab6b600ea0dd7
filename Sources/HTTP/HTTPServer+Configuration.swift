import Sockets

extension HTTPServer {
    /// Everything that shapes the server's behaviour; every limit protects the process from one client.
    public struct Configuration: Sendable {
        public var host: String
        /// 0 picks a free port (tests); read the result from `HTTPServer.port`.
        public var port: Int
        public var backlog: Int32
        public var limits: HTTPParser.Limits
        /// Open connections served normally; past it REST requests get 503 and streams `overloaded`.
        public var maximumConnections: Int
        /// Connections accepted beyond the maximum only to be told the server is overloaded;
        /// past this too, new connections are closed at once.
        public var overloadAllowance: Int
        /// A request head must be complete this long after its first byte (slowloris).
        public var headerTimeoutSeconds: Int
        /// A keep-alive connection with no request in progress is closed after this long.
        public var idleTimeoutSeconds: Int
        /// A request body must be complete this long after its head.
        public var bodyTimeoutSeconds: Int
        /// Unsent bytes a stream may hold before its client is disconnected (SSE_MAX_BUFFER_BYTES).
        public var streamBufferLimitBytes: Int
        /// While a connection holds more unsent answer bytes than this, its next requests wait in the
        /// socket unread (MAX_UNSENT_RESPONSE_BYTES): a client that pipelines without reading is slowed, not fed.
        public var unsentResponseLimitBytes: Int
        /// A connection whose client takes none of our queued bytes for this long is closed (SEND_TIMEOUT_SECONDS).
        public var sendTimeoutSeconds: Int
        /// Connections one IPv4 address may hold open; past it new ones are closed at once (0 = no limit).
        public var maximumConnectionsPerAddress: Int
        /// New connections one IPv4 address may open per second once its burst is spent; past it they are
        /// closed at once (0 = no limit).
        public var connectionRatePerAddress: Int
        /// New connections one IPv4 address may open at once before `connectionRatePerAddress` applies.
        public var connectionBurstPerAddress: Int
        /// Requests one IPv4 address may make per second once its burst is spent, a body counting one more
        /// per 64 KiB; past it the address's next requests wait unread in their sockets (0 = no limit).
        public var requestRatePerAddress: Int
        /// Requests one IPv4 address may make at once before `requestRatePerAddress` applies.
        public var requestBurstPerAddress: Int
        /// How long, on average, a connection refused for its address's limits is held open and unread
        /// before it is closed (each hold is between half and one and a half times this), so that its
        /// client does not come straight back (see `RefusalHold`); 0 closes at once.
        public var refusalHoldMilliseconds: Int = 1000
        /// Refused connections held at once; past it they are closed at once.
        public var maximumHeldRefusals: Int = 1024
        /// How often the loop looks for timeouts and refreshes its clock: what is due finishes within a tick.
        /// Tests lengthen it to show that something does not wait for it.
        public var tickIntervalMilliseconds: Int = 250
        /// A connection's writes handed over together are bulk from this many bytes (a resumed stream's
        /// replay): they are sent `bulkBytesPerTurn` per turn of the loop, after the small ones.
        public var bulkWriteBytes: Int = 64 * 1024
        /// Bulk bytes sent per turn of the loop (at least one connection's): about 0.2 ms on loopback.
        public var bulkBytesPerTurn: Int = 1024 * 1024
        /// TCP keepalive and user timeout of every accepted socket: a vanished client's slot frees in about two minutes.
        public var keepAlive: Socket.KeepAlive
        /// How long a graceful shutdown waits for in-flight requests before closing everything.
        public var shutdownGracePeriodSeconds: Int
        /// Whether responses are gzip-encoded when the client accepts it.
        public var compressionEnabled: Bool

        /// The parameters without a default are the operator's settings: their defaults live once, in
        /// `AppConfiguration` (ServerConfiguration), which builds this value (`AppConfiguration.http`).
        public init(
            host: String, port: Int, backlog: Int32 = 4096, limits: HTTPParser.Limits,
            maximumConnections: Int, overloadAllowance: Int = 256, headerTimeoutSeconds: Int,
            idleTimeoutSeconds: Int, bodyTimeoutSeconds: Int, streamBufferLimitBytes: Int,
            unsentResponseLimitBytes: Int, sendTimeoutSeconds: Int, maximumConnectionsPerAddress: Int,
            connectionRatePerAddress: Int, connectionBurstPerAddress: Int,
            requestRatePerAddress: Int, requestBurstPerAddress: Int, keepAlive: Socket.KeepAlive = .init(),
            shutdownGracePeriodSeconds: Int, compressionEnabled: Bool = true
        ) {
            self.host = host
            self.port = port
            self.backlog = backlog
            self.limits = limits
            self.maximumConnections = maximumConnections
            self.overloadAllowance = overloadAllowance
            self.headerTimeoutSeconds = headerTimeoutSeconds
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.bodyTimeoutSeconds = bodyTimeoutSeconds
            self.streamBufferLimitBytes = streamBufferLimitBytes
            self.unsentResponseLimitBytes = unsentResponseLimitBytes
            self.sendTimeoutSeconds = sendTimeoutSeconds
            self.maximumConnectionsPerAddress = maximumConnectionsPerAddress
            self.connectionRatePerAddress = connectionRatePerAddress
            self.connectionBurstPerAddress = connectionBurstPerAddress
            self.requestRatePerAddress = requestRatePerAddress
            self.requestBurstPerAddress = requestBurstPerAddress
            self.keepAlive = keepAlive
            self.shutdownGracePeriodSeconds = shutdownGracePeriodSeconds
            self.compressionEnabled = compressionEnabled
        }
    }
}
