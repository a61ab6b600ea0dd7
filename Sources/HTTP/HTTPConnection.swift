import Glibc
import Sockets
import Synchronization

/// One accepted socket, driven by its event loop: it feeds what happens (readiness, parsed requests,
/// answers, ticks) to its `HTTPConnectionStateMachine` and performs the actions the machine returns.
/// For a streaming response it is also the `ResponseStream`.
///
/// Threading: everything about the socket (reads, writes, timers, closing) happens on the loop
/// thread, and the state it needs is `LoopBound`, checked to be touched there only. Other threads
/// (a handler's task, a room's broadcast) hand their bytes over (`WriteHandoff`, `EventLoop.execute`)
/// and never touch the descriptor, so no write can reach a closed (and reused) descriptor.
final class HTTPConnection: EventSink, ResponseStream, @unchecked Sendable {
    /// What the loop alone reads and changes.
    struct LoopState {
        var machine: HTTPConnectionStateMachine
        var parser: HTTPParser
        var outbound = OutboundBuffer()
        /// Bytes handed over for this connection and not yet sent: by the drain under way, or queued
        /// as bulk (see `WriteHandoff`).
        var staged = StagedWrites()
        var closeHandlers = CloseHandlers()
        /// Position in the server's connection table (-1 once removed).
        var tableIndex = -1
        /// The peer's IPv4 address while it counts against MAX_CONNECTIONS_PER_ADDRESS.
        var countedAddress: UInt32?
        /// The peer's IPv4 address (host byte order), handed to every request of this connection.
        var peerAddress: UInt32?
        /// A timeout was found and waits in the server's queue to be acted on.
        var timeoutQueued = false
    }

    let fd: Int32
    let streamID: UInt64
    /// Strong: a handler's task may answer after the server stopped, and must find it still there.
    /// The server drops the connection from its table when it closes, which ends the cycle.
    let server: HTTPServer
    /// Accepted beyond the connection limit: its one request gets the overload answer.
    let isOverflow: Bool
    var state: LoopBound<LoopState>
    /// Cleared on the loop once the connection closes or is asked to: lets other threads refuse bytes
    /// (and stop producing them) without waiting for the loop.
    private let acceptingWrites = Atomic<Bool>(true)

    /// Created on the loop thread, by the accept.
    init(fd: Int32, id: UInt64, server: HTTPServer, isOverflow: Bool, now: UInt64) {
        self.fd = fd
        self.streamID = id
        self.server = server
        self.isOverflow = isOverflow
        self.state = LoopBound(
            LoopState(machine: HTTPConnectionStateMachine(now: now), parser: HTTPParser(limits: server.configuration.limits)),
            loop: server.loop)
    }

    var loop: EventLoop { server.loop }

    func handleEvents(_ events: UInt32) {
        if events & EventLoop.writable != 0 {
            writable()
        }
        if events & (EventLoop.readable | EventLoop.hangUp) != 0 {
            readAvailable(hangUp: events & EventLoop.failedOrClosed != 0,
                          mayStopAtShortRead: events & EventLoop.peerFinishedWriting == 0)
        }
    }

    /// Runs `work` on the loop: at once when called there, else soon.
    func onLoop(_ work: @escaping @Sendable () -> Void) {
        if loop.inEventLoop { work() } else { loop.execute(work) }
    }

    /// Publishes the machine's refusal of new bytes to other threads (it never takes them again).
    func noteWriteAcceptance() {
        if !state.value.machine.acceptsWrites { acceptingWrites.store(false, ordering: .relaxed) }
    }

    // MARK: Closing (loop thread)

    /// Closes the socket now and tells the stream's listeners.
    func closeNow(_ reason: StreamCloseReason) {
        loop.assertInEventLoop()
        guard let (wasStreaming, dropped) = state.value.machine.closed(reason) else { return }
        acceptingWrites.store(false, ordering: .relaxed)
        state.value.outbound = OutboundBuffer()
        // Bulk writes queued for a later turn are not sent now, nor kept until their turn.
        state.value.staged = StagedWrites()
        server.statistics.unsentBytesChanged(from: dropped, to: 0)
        let handlers = state.value.closeHandlers
        state.value.closeHandlers = CloseHandlers()
        guard state.value.tableIndex >= 0 else { return }
        loop.deregister(fd, sink: self)
        if reason == .sendTimeout { Socket.reset(fd) } else { Socket.close(fd) }
        server.connectionClosed(self, wasStreaming: wasStreaming)
        handlers.call(reason)
    }

    /// Asks for the connection to end once queued bytes are sent.
    func closeWhenFlushed(_ reason: StreamCloseReason) {
        loop.assertInEventLoop()
        let action = state.value.machine.closeWhenFlushed(reason)
        noteWriteAcceptance()
        perform(action)
    }

    func perform(_ action: HTTPConnectionStateMachine.WritableAction) {
        switch action {
        case .none: break
        case .flush: flushOutbound()
        case .finish: finishAfterFlush()
        }
    }

    /// The last queued byte left: half-close and linger, or close.
    func finishAfterFlush() {
        switch state.value.machine.finishing(now: EventLoop.monotonicMilliseconds()) {
        case .none:
            break
        case .close(let reason):
            closeNow(reason)
        case .halfCloseAndLinger:
            shutdown(fd, Int32(SHUT_WR))
            readAvailable(hangUp: false)
        }
    }

    // MARK: Timeouts (loop thread)

    /// Which of the send, header, body, idle and linger timeouts has run out, if any; called from the
    /// loop's tick, which performs what is due (`performTimeout`) a few at a time.
    func dueTimeout(now: UInt64, configuration: HTTPServer.Configuration) -> HTTPConnectionStateMachine.TickAction {
        // One found and not acted on yet is not found again.
        guard !state.value.timeoutQueued else { return .none }
        let action = state.value.machine.tick(now: now, configuration: configuration)
        state.value.timeoutQueued = action != .none
        // Throttled connections resume on their own timer; this is the fallback.
        if action == .none && state.value.machine.phase == .throttled { resumeWhenBudgetAllows() }
        return action
    }

    /// Acts on a timeout `dueTimeout` found.
    func performTimeout(_ action: HTTPConnectionStateMachine.TickAction, configuration: HTTPServer.Configuration) {
        state.value.timeoutQueued = false
        switch action {
        case .none:
            break
        case .sendTimedOut:
            server.statistics.sendTimeoutCounter.add(1, ordering: .relaxed)
            server.logger.info("[HTTP] closed a connection that took none of its data", metadata: [
                "connection.id": "\(streamID)", "unsent.bytes": "\(state.value.machine.unsentBytes)",
                "phase": "\(state.value.machine.phase)", "timeout.seconds": "\(configuration.sendTimeoutSeconds)",
            ])
            closeNow(.sendTimeout)
        case .timedOut:
            server.statistics.timeoutCounter.add(1, ordering: .relaxed)
            closeNow(.clientClosed)
        case .answerTimedOut:
            server.statistics.timeoutCounter.add(1, ordering: .relaxed)
            let error = HTTPError(.requestTimeout, message: "the request did not arrive in time")
            respond(server.refusal(error), method: "GET", version: .http1_1, keepAliveRequested: false, acceptEncoding: nil)
        case .close(let reason):
            closeNow(reason)
        }
    }

    // MARK: ResponseStream (any thread)

    // A stream's bytes and its close always go through the loop's queues, even from the loop
    // thread (a task may resume there): so they reach the socket in the order they were given.

    func send(_ bytes: [UInt8]) -> Bool {
        guard acceptingWrites.load(ordering: .relaxed) else { return false }
        server.handoff.hand(QueuedWrite(recipient: self, bytes: bytes))
        return true
    }

    func send(_ bytes: [UInt8], in broadcast: inout StreamBroadcast) {
        guard acceptingWrites.load(ordering: .relaxed) else { return }
        broadcast.add(QueuedWrite(recipient: self, bytes: bytes), via: server.handoff)
    }

    func onClose(_ handler: @escaping @Sendable (StreamCloseReason) -> Void) {
        onLoop { [self] in
            if state.value.machine.isClosed {
                handler(state.value.machine.closeReason ?? .clientClosed)
            } else {
                state.value.closeHandlers.append(handler)
            }
        }
    }

    func close() {
        loop.execute { [self] in closeWhenFlushed(.closedByServer) }
    }
}
