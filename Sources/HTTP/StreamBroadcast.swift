/// The writes of one broadcast, collected while the sender walks its clients and handed to the
/// transport in one piece by `commit()`: for the HTTP server, one lock and one event-loop wake-up
/// per batch, not per client. Streams that are not the server's sockets send at once instead
/// (see `ResponseStream.send(_:in:)`).
public struct StreamBroadcast: ~Copyable {
    private var writes: [QueuedWrite] = []
    private var handOver: (any WriteHandOver)?

    /// `expectedCount`: about how many writes will be added (one allocation for all of them).
    public init(expectedCount: Int) {
        writes.reserveCapacity(expectedCount)
    }

    /// Adds a write for `handOver`; a write for another one first hands over what was collected.
    mutating func add(_ write: QueuedWrite, via handOver: any WriteHandOver) {
        if let current = self.handOver, current !== handOver { commit() }
        self.handOver = handOver
        writes.append(write)
    }

    /// Hands the collected writes over.
    public mutating func commit() {
        handOver?.hand(&writes)
        handOver = nil
    }

    deinit {
        assert(writes.isEmpty, "a StreamBroadcast was dropped without commit()")
    }
}

/// Bytes for one recipient of a transport (its connection), on their way to the transport's thread.
struct QueuedWrite: Sendable {
    let recipient: any AnyObject & Sendable
    let bytes: [UInt8]
}

/// Where a broadcast's writes go in one piece (the server's `WriteHandoff`).
protocol WriteHandOver: AnyObject, Sendable {
    /// Takes every write (leaving `writes` empty).
    func hand(_ writes: inout [QueuedWrite])
}
