import Glibc
import Sockets
import Synchronization

/// One accepted socket: parses requests on the event loop thread, runs each through the handler
/// as a task, writes the answer, and, for a streaming response, becomes the `ResponseStream`.
///
/// Threading: reads, parsing, timers and closing happen on the loop thread. Writes may come from
/// any thread (a handler's task, a room's broadcast) and go through `shared`, whose lock also
/// guards the descriptor's validity, so no write can reach a closed (and reused) descriptor.
final class HTTPConnection: EventSink, ResponseStream, @unchecked Sendable {
    enum Phase: Equatable {
        /// Waiting for the first byte of a request head (a fresh or an idle keep-alive connection).
        case awaitingRequest
        case readingHead
        case readingBody
        /// The handler is running.
        case handling
        /// Answers already given wait unsent past `unsentResponseLimitBytes`: the next request stays
        /// unread in the socket until the client takes enough of them (backpressure).
        case backpressured
        case streaming
        /// Output shut down; draining input briefly so the peer receives our last bytes (no RST).
        case lingering
    }

    /// State shared between the loop thread and writers, guarded by `shared`'s lock.
    struct Shared {
        var closed = false
        var phase = Phase.awaitingRequest
        var phaseSince: UInt64
        var outbound = OutboundBuffer()
        /// When `outbound` last shrank or became non-empty: the send timeout counts from here.
        var lastSendProgress: UInt64 = 0
        /// The last send stopped short: wait for writability instead of trying again.
        var socketFull = false
        /// Close (linger, then close) once `outbound` is empty.
        var closeWhenFlushed: StreamCloseReason? = nil
        var readableWhileHandling = false
        var peerFinishedSending = false
        var anyResponseWritten = false
        var closeHandlers: [@Sendable (StreamCloseReason) -> Void] = []
        var closeReason: StreamCloseReason? = nil
        /// Became a streaming response (counted in `openStreams` until it closes, whatever phase it ends in).
        var isStream = false
    }

    let fd: Int32
    let streamID: UInt64
    /// Strong: a handler's task may answer after the server stopped, and must find it still there.
    /// The server drops the connection from its table when it closes, which ends the cycle.
    let server: HTTPServer
    let shared: Mutex<Shared>
    /// Accepted beyond the connection limit: its one request gets the overload answer.
    let isOverflow: Bool

    // Loop thread only.
    var parser: HTTPParser
    var tableIndex = -1
    /// The peer's IPv4 address while it counts against MAX_CONNECTIONS_PER_ADDRESS.
    var countedAddress: UInt32?
    /// The peer's IPv4 address (host byte order), handed to every request of this connection.
    var peerAddress: UInt32?

    init(fd: Int32, id: UInt64, server: HTTPServer, isOverflow: Bool, now: UInt64) {
        self.fd = fd
        self.streamID = id
        self.server = server
        self.isOverflow = isOverflow
        self.parser = HTTPParser(limits: server.configuration.limits)
        self.shared = Mutex(Shared(phaseSince: now))
    }

    func handleEvents(_ events: UInt32) {
        if events & EventLoop.writable != 0 {
            flushOutbound()
        }
        if events & (EventLoop.readable | EventLoop.hangUp) != 0 {
            readAvailable(hangUp: events & EventLoop.failedOrClosed != 0,
                          mayStopAtShortRead: events & EventLoop.peerFinishedWriting == 0)
        }
    }

    // MARK: Closing (loop thread)

    /// Closes the socket now and tells the stream's listeners. Loop thread only.
    func closeNow(_ reason: StreamCloseReason) {
        let (handlers, wasStreaming) = shared.withLock { state -> ([@Sendable (StreamCloseReason) -> Void], Bool) in
            guard !state.closed else { return ([], false) }
            state.closed = true
            state.closeReason = reason
            let handlers = state.closeHandlers
            state.closeHandlers = []
            discardOutbound(&state)
            return (handlers, state.isStream)
        }
        guard tableIndex >= 0 else { return }
        server.loop.deregister(fd, sink: self)
        if reason == .sendTimeout { Socket.reset(fd) } else { Socket.close(fd) }
        server.connectionClosed(self, wasStreaming: wasStreaming)
        for handler in handlers { handler(reason) }
    }

    /// Asks for the connection to end once queued bytes are sent; callable from any thread.
    func closeWhenFlushed(_ reason: StreamCloseReason) {
        enum Next { case nothing, finish, flush }
        let next = shared.withLock { state -> Next in
            guard !state.closed, state.closeWhenFlushed == nil else { return .nothing }
            state.closeWhenFlushed = reason
            if state.outbound.isEmpty { return .finish }
            // Held-back bytes with room in the socket (a stream's head) go out now; a full socket
            // flushes on writability and finishes then.
            return state.socketFull ? .nothing : .flush
        }
        switch next {
        case .nothing: break
        case .finish: server.loop.execute { [self] in finishAfterFlush() }
        case .flush: server.loop.execute { [self] in flushOutbound() }
        }
    }

    /// Called on the loop thread once the last queued byte left: half-close and linger.
    func finishAfterFlush() {
        let reason = shared.withLock { state -> StreamCloseReason? in
            guard !state.closed, let reason = state.closeWhenFlushed, state.outbound.isEmpty else { return nil }
            if state.phase == .lingering { return nil }
            state.closeReason = reason
            state.phase = .lingering
            state.phaseSince = EventLoop.monotonicMilliseconds()
            return reason
        }
        guard let reason else { return }
        if reason == .bufferOverflow || reason == .clientClosed || reason == .sendTimeout {
            closeNow(reason)
            return
        }
        // Our side is done; reading until the peer closes avoids a reset that could discard the
        // response still in flight (the lingering close of RFC 9112 §9.6).
        shutdown(fd, Int32(SHUT_WR))
        readAvailable(hangUp: false)
    }

    // MARK: ResponseStream

    func onClose(_ handler: @escaping @Sendable (StreamCloseReason) -> Void) {
        let closedReason = shared.withLock { state -> StreamCloseReason? in
            if state.closed { return state.closeReason ?? .clientClosed }
            state.closeHandlers.append(handler)
            return nil
        }
        if let closedReason { handler(closedReason) }
    }

    func close() {
        closeWhenFlushed(.closedByServer)
    }
}
