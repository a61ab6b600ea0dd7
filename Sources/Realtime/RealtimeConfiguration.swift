/// Settings of the live stream (docs/API.md "Server-Sent Events"; `.env.example` names them).
public struct RealtimeConfiguration: Sendable {
    /// The middle of the `retry:` sent first on every stream (SSE_RETRY_MS); see `streamRetryMilliseconds()`.
    public var retryMilliseconds: Int
    /// A `: heartbeat` comment after this long without other traffic (HEARTBEAT_INTERVAL_SECONDS).
    public var heartbeatIntervalMilliseconds: UInt64
    /// Coalescing window after a flush (SSE_DEBOUNCE_MS); 0 = flush every batch as it comes.
    public var debounceMilliseconds: UInt64
    /// How long before its token's expiry a stream gets `auth-expiring`.
    public var expiryWarningMilliseconds: UInt64
    /// How long an empty room lingers before it is dropped (a reconnecting browser finds it warm).
    public var emptyRoomGraceMilliseconds: UInt64
    /// Events replayed per store query while a client catches up.
    public var replayPageSize: Int
    /// Live bytes held for one client while it catches up; past it the client is disconnected
    /// (it reconnects with `Last-Event-ID` and tries again).
    public var catchUpBufferLimitBytes: Int
    /// Newest events each room keeps in memory to answer resumes without a store read (count and bytes).
    /// The bytes are the bound that matters; the count (4,096) is set so that it rarely binds first.
    /// At 1,024, a campaign of 600 tasks (1,200 events, about 300 KB) did not fit, and every one of a
    /// reconnect storm's 3,992 resumes from its start read the store: 1 did with 4,096, 3,991 were copies.
    public var recentEventsPerRoom: Int
    public var recentEventBytesPerRoom: Int
    /// Replays reading the store at once in the whole process; the rest queue (one per room at most).
    public var maximumConcurrentReplays: Int

    /// The parameters without a default are the operator's settings: their defaults live once, in
    /// `AppConfiguration` (ServerConfiguration), which builds this value (`AppConfiguration.realtime`).
    public init(
        retryMilliseconds: Int, heartbeatIntervalMilliseconds: UInt64, debounceMilliseconds: UInt64,
        expiryWarningMilliseconds: UInt64 = 60_000, emptyRoomGraceMilliseconds: UInt64 = 5_000, replayPageSize: Int = 1000,
        catchUpBufferLimitBytes: Int = 1024 * 1024, recentEventsPerRoom: Int = 4096,
        recentEventBytesPerRoom: Int = 1024 * 1024, maximumConcurrentReplays: Int = 2
    ) {
        self.retryMilliseconds = retryMilliseconds
        self.heartbeatIntervalMilliseconds = heartbeatIntervalMilliseconds
        self.debounceMilliseconds = debounceMilliseconds
        self.expiryWarningMilliseconds = expiryWarningMilliseconds
        self.emptyRoomGraceMilliseconds = emptyRoomGraceMilliseconds
        self.replayPageSize = replayPageSize
        self.catchUpBufferLimitBytes = catchUpBufferLimitBytes
        self.recentEventsPerRoom = recentEventsPerRoom
        self.recentEventBytesPerRoom = recentEventBytesPerRoom
        self.maximumConcurrentReplays = maximumConcurrentReplays
    }

    /// The `retry:` one stream gets: `retryMilliseconds` ± up to 50 %, drawn per stream, so browsers
    /// dropped together (a restart, a proxy's 502) do not all come back in the same instant.
    public func streamRetryMilliseconds() -> Int {
        let spread = retryMilliseconds / 2
        return retryMilliseconds + Int.random(in: -spread...spread)
    }
}
