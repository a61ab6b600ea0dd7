/// The open end of a streaming response (Server-Sent Events): any thread may push bytes into it.
///
/// The server hands pushed bytes to its event loop, which writes them to the socket when it can and
/// keeps the rest in a bounded buffer that it flushes when the socket is writable again; a client whose unsent bytes would pass
/// the bound is disconnected, so it never slows anyone else down.
public protocol ResponseStream: AnyObject, Sendable {
    /// Identifies the stream in logs and metrics; unique within the process.
    var streamID: UInt64 { get }

    /// Queues already-encoded bytes; never blocks, never suspends. Returns false when the stream is
    /// closed, including when these bytes overflowed its buffer and it was closed for that.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool

    /// Queues `bytes` as one of `broadcast`'s writes: a transport may hold them until
    /// `broadcast.commit()` and hand them over with the rest in one piece (the default sends at once).
    func send(_ bytes: [UInt8], in broadcast: inout StreamBroadcast)

    /// Ends the stream once the bytes already queued have been sent.
    func close()

    /// Calls `handler` once when the stream ends for any reason (client hang-up, overflow, `close()`,
    /// server shutdown). If the stream has already ended, calls it at once.
    func onClose(_ handler: @escaping @Sendable (StreamCloseReason) -> Void)
}

extension ResponseStream {
    public func send(_ bytes: [UInt8], in broadcast: inout StreamBroadcast) {
        send(bytes)
    }
}

/// Why a stream ended.
public enum StreamCloseReason: String, Sendable {
    /// The client went away (or the socket failed).
    case clientClosed = "client-closed"
    /// The client read too slowly and its unsent bytes passed the buffer bound.
    case bufferOverflow = "buffer-overflow"
    /// The client took none of the queued bytes for SEND_TIMEOUT_SECONDS (asleep, vanished, or never reading).
    case sendTimeout = "send-timeout"
    /// The application closed the stream.
    case closedByServer = "closed-by-server"
    /// The server is shutting down.
    case serverShutdown = "server-shutdown"
}
