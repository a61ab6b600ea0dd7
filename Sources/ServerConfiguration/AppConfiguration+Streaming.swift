extension AppConfiguration {
    /// The Server-Sent Events stream.
    public struct Streaming: Sendable, Equatable {
        /// SSE_MAX_BUFFER_BYTES: unsent bytes a client may hold before it is disconnected.
        public var maxBufferBytes: Int
        /// SSE_RETRY_MS: the `retry:` sent first on every stream.
        public var retryMilliseconds: Int
        /// SSE_DEBOUNCE_MS: coalescing window of a room's broadcasts.
        public var debounceMilliseconds: Int
        /// HEARTBEAT_INTERVAL_SECONDS: a `: heartbeat` comment this often.
        public var heartbeatIntervalSeconds: Int

        public init(
            maxBufferBytes: Int = 1_048_576, retryMilliseconds: Int = 3000, debounceMilliseconds: Int = 5,
            heartbeatIntervalSeconds: Int = 30
        ) {
            self.maxBufferBytes = maxBufferBytes
            self.retryMilliseconds = retryMilliseconds
            self.debounceMilliseconds = debounceMilliseconds
            self.heartbeatIntervalSeconds = heartbeatIntervalSeconds
        }
    }
}
