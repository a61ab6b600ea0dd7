import Synchronization

/// Live counters of the transport, read by the metrics endpoint and health checks.
public final class ServerStatistics: Sendable {
    let openConnectionsCounter = Atomic<Int>(0)
    let openStreamsCounter = Atomic<Int>(0)
    let acceptedCounter = Atomic<Int>(0)
    let refusedCounter = Atomic<Int>(0)
    let overflowCounter = Atomic<Int>(0)
    let malformedCounter = Atomic<Int>(0)
    let timeoutCounter = Atomic<Int>(0)

    public init() {}

    /// Connections open now (streams included).
    public var openConnections: Int { openConnectionsCounter.load(ordering: .relaxed) }
    /// Streaming responses open now.
    public var openStreams: Int { openStreamsCounter.load(ordering: .relaxed) }
    /// Connections accepted since start.
    public var acceptedConnections: Int { acceptedCounter.load(ordering: .relaxed) }
    /// Connections closed at once because even the overload allowance was used up.
    public var refusedConnections: Int { refusedCounter.load(ordering: .relaxed) }
    /// Streams closed because their client read too slowly.
    public var streamOverflows: Int { overflowCounter.load(ordering: .relaxed) }
    /// Requests rejected as malformed or over a limit.
    public var malformedRequests: Int { malformedCounter.load(ordering: .relaxed) }
    /// Connections closed by the header, body or idle timeout.
    public var timedOutConnections: Int { timeoutCounter.load(ordering: .relaxed) }
}
