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
    let sendTimeoutCounter = Atomic<Int>(0)
    let addressLimitCounter = Atomic<Int>(0)
    let connectionRateCounter = Atomic<Int>(0)
    let heldRefusalsCounter = Atomic<Int>(0)
    let requestRatePauseCounter = Atomic<Int>(0)
    let backpressureCounter = Atomic<Int>(0)
    let readBudgetCounter = Atomic<Int>(0)
    let unsentBytesCounter = Atomic<Int>(0)
    let peakUnsentBytesCounter = Atomic<Int>(0)

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
    /// Connections closed because their client took none of our queued bytes for SEND_TIMEOUT_SECONDS.
    public var sendTimeouts: Int { sendTimeoutCounter.load(ordering: .relaxed) }
    /// Connections closed at accept because their address already had MAX_CONNECTIONS_PER_ADDRESS open.
    public var connectionsRefusedPerAddress: Int { addressLimitCounter.load(ordering: .relaxed) }
    /// Connections closed at accept because their address opened more than CONNECTION_RATE_PER_ADDRESS allows.
    public var connectionsRefusedByRate: Int { connectionRateCounter.load(ordering: .relaxed) }
    /// Connections refused for their address's limits and held open, unread, before they are closed, now.
    public var heldRefusals: Int { heldRefusalsCounter.load(ordering: .relaxed) }
    /// Times a connection's next request was left unread because its address had spent REQUEST_RATE_PER_ADDRESS.
    public var requestRatePauses: Int { requestRatePauseCounter.load(ordering: .relaxed) }
    /// Times a connection stopped reading requests because its unsent answers passed the limit.
    public var backpressurePauses: Int { backpressureCounter.load(ordering: .relaxed) }
    /// Times a connection's read stopped at its per-turn budget with more waiting (a large body arriving).
    public var readsContinuedNextTurn: Int { readBudgetCounter.load(ordering: .relaxed) }
    /// Bytes accepted for sockets that could not take them yet, over all connections, now.
    public var unsentBytes: Int { unsentBytesCounter.load(ordering: .relaxed) }
    /// The most unsent bytes any one connection has held since start.
    public var peakUnsentBytesPerConnection: Int { peakUnsentBytesCounter.load(ordering: .relaxed) }

    /// Records a connection's queue changing from `before` to `after` bytes.
    func unsentBytesChanged(from before: Int, to after: Int) {
        guard before != after else { return }
        unsentBytesCounter.add(after - before, ordering: .relaxed)
        var peak = peakUnsentBytesCounter.load(ordering: .relaxed)
        while after > peak {
            let (exchanged, current) = peakUnsentBytesCounter.compareExchange(
                expected: peak, desired: after, ordering: .relaxed)
            if exchanged { break }
            peak = current
        }
    }
}
