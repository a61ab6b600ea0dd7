/// The protocol logic of one HTTP/1.1 connection, without sockets or clocks (in the style of
/// postgres-nio's `ConnectionStateMachine`): each event the connection sees (readiness, a parsed
/// request, a response to write, bytes the socket took, a tick) goes in, and what to do comes out as
/// an action that `HTTPConnection` performs on its event loop. All of it is tested without sockets.
///
/// The machine keeps the count of bytes accepted for the socket and not yet taken (`unsentBytes`);
/// the bytes themselves stay with the connection.
struct HTTPConnectionStateMachine {
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
        /// The client's address has spent its request budget (REQUEST_RATE_PER_ADDRESS): the next
        /// request stays unread until the budget refills. No timeout runs: the wait is the server's.
        case throttled
        case streaming
        /// Output shut down; draining input briefly so the peer receives our last bytes (no RST).
        case lingering
        case closed
    }

    private(set) var phase = Phase.awaitingRequest
    private(set) var phaseSince: UInt64
    private(set) var unsentBytes = 0
    /// When `unsentBytes` last shrank or became non-zero: the send timeout counts from here.
    private(set) var lastSendProgress: UInt64 = 0
    /// The last send stopped short: wait for writability instead of trying again.
    private(set) var socketFull = false
    /// Close (linger, then close) once every unsent byte has gone.
    private(set) var closeWhenFlushed: StreamCloseReason?
    private(set) var closeReason: StreamCloseReason?
    /// The socket became readable while a request was handled; read it once the answer is out.
    private(set) var readableWhileHandling = false
    private(set) var peerFinishedSending = false
    private(set) var anyResponseWritten = false
    /// Became a streaming response (counted in `openStreams` until it closes, whatever phase it ends in).
    private(set) var isStream = false

    init(now: UInt64) {
        phaseSince = now
    }

    var isClosed: Bool { phase == .closed }
    /// Open, and not asked to close: new bytes are taken.
    var acceptsWrites: Bool { phase != .closed && closeWhenFlushed == nil }
    /// Open and waiting for a request, or reading one (not handling one, streaming or closing).
    var isWaitingForRequest: Bool { phase == .awaitingRequest || phase == .readingHead || phase == .readingBody }

    /// Moves to `newPhase`, except out of `.closed`: a closed connection's descriptor may already
    /// belong to another socket, so nothing may make it look open again.
    private mutating func enter(_ newPhase: Phase, now: UInt64) {
        guard phase != .closed else { return }
        phase = newPhase
        phaseSince = now
    }

    // MARK: Reading

    enum ReadAction: Equatable {
        case none
        case close(StreamCloseReason)
        /// Read the socket into the parser.
        case readRequests
        /// Read and discard: a streaming or lingering connection only waits for its end.
        case drain
    }

    /// The socket is readable (or hung up, both ways or failed).
    mutating func readable(hangUp: Bool) -> ReadAction {
        switch phase {
        case .closed:
            return .none
        case .handling, .backpressured, .throttled:
            // One request at a time: the rest waits in the socket until the answer is out
            // (and, past the unsent-bytes limit, until the client has read enough of it).
            readableWhileHandling = true
            if hangUp { peerFinishedSending = true }
            return .none
        case .streaming, .lingering, .awaitingRequest, .readingHead, .readingBody:
            // Reading now consumes whatever readiness was noted while a request was handled.
            readableWhileHandling = false
            if hangUp { return .close(.clientClosed) }
            return phase == .streaming || phase == .lingering ? .drain : .readRequests
        }
    }

    /// A drain met the end of input or an error: why the connection closes.
    func drainEndedReason() -> StreamCloseReason {
        phase == .lingering ? (closeReason ?? .closedByServer) : .clientClosed
    }

    /// The client sent its end of input (it may still read).
    mutating func inputEnded() {
        peerFinishedSending = true
    }

    /// Where the parser stands after taking every complete request it could.
    enum ParserPosition { case betweenRequests, inHead, inBody }

    enum InputAction: Equatable {
        case none
        case close(StreamCloseReason)
        /// Bytes were left in the socket to bound the buffer: read again soon.
        case readAgain
    }

    /// The parser needs more bytes.
    mutating func needsMoreInput(_ position: ParserPosition, moreMayBeWaiting: Bool, now: UInt64) -> InputAction {
        guard phase != .closed else { return .none }
        let newPhase: Phase = switch position {
        case .betweenRequests: .awaitingRequest
        case .inHead: .readingHead
        case .inBody: .readingBody
        }
        if newPhase != phase { enter(newPhase, now: now) }
        // The client stopped sending; an incomplete request can never complete.
        if peerFinishedSending { return .close(.clientClosed) }
        return moreMayBeWaiting ? .readAgain : .none
    }

    /// Between requests, the address has no budget for the next one: wait for `budgetRefilled`.
    mutating func throttled(now: UInt64) {
        guard phase == .awaitingRequest else { return }
        enter(.throttled, now: now)
    }

    /// The address's budget allows a request again: back to waiting for one (the caller takes what
    /// is buffered, then reads). Returns false unless the connection was throttled.
    mutating func budgetRefilled(now: UInt64) -> Bool {
        guard phase == .throttled else { return false }
        enter(.awaitingRequest, now: now)
        return true
    }

    /// A request (or a malformed one, to be answered with an error) goes to its handler.
    /// `readableWhileHandling` stays as it is: taking a request from the buffer does not read the
    /// socket, and an end of input noted earlier must still be read after it.
    mutating func requestStarted(now: UInt64) {
        enter(.handling, now: now)
    }

    // MARK: Writing

    enum WriteAction: Equatable {
        /// The connection is closed or closing: the bytes are dropped.
        case refuse
        /// Queue the bytes, and send what is queued now unless the socket is known to be full;
        /// then check the stream's bound (`checkStreamBound`).
        case queue(flush: Bool)
    }

    /// `byteCount` bytes are to be written.
    mutating func write(byteCount: Int, now: UInt64) -> WriteAction {
        guard acceptsWrites else { return .refuse }
        anyResponseWritten = true
        queued(byteCount, now: now)
        return .queue(flush: !socketFull)
    }

    /// After a write met the socket: a stream whose unsent bytes pass `limit` is closed for it
    /// (what the socket took at once never counts against a stream).
    mutating func checkStreamBound(_ limit: Int) -> StreamCloseReason? {
        guard phase == .streaming, closeWhenFlushed == nil, unsentBytes > limit else { return nil }
        closeWhenFlushed = .bufferOverflow
        return .bufferOverflow
    }

    /// A streaming response starts with its head, held back until the stream's first bytes so both
    /// leave in one write. Returns false when the connection has closed meanwhile.
    mutating func streamStarted(headBytes: Int, now: UInt64) -> Bool {
        guard phase != .closed else { return false }
        enter(.streaming, now: now)
        isStream = true
        anyResponseWritten = true
        queued(headBytes, now: now)
        return true
    }

    private mutating func queued(_ byteCount: Int, now: UInt64) {
        guard byteCount > 0 else { return }
        if unsentBytes == 0 { lastSendProgress = now }
        unsentBytes += byteCount
    }

    enum WritableAction: Equatable { case none, flush, finish }

    /// The socket has room again.
    mutating func writable() -> WritableAction {
        socketFull = false
        guard phase != .closed else { return .none }
        guard unsentBytes > 0 else { return closeWhenFlushed != nil ? .finish : .none }
        return .flush
    }

    enum FlushOutcome: Equatable {
        /// Everything queued was sent.
        case done
        /// The socket took what it could; the rest waits for writability.
        case pending
        case failed
    }

    enum FlushAction: Equatable {
        case none
        case close(StreamCloseReason)
        /// The last byte left and the connection is to end: half-close and linger (see `finishing`).
        case finish
        /// Backpressure lifted: take the next request.
        case takeNextRequest
    }

    /// A flush sent `sentBytes` and ended so.
    mutating func flushed(sentBytes: Int, _ outcome: FlushOutcome, unsentResponseLimit: Int, now: UInt64) -> FlushAction {
        guard phase != .closed else { return .none }
        if sentBytes > 0 {
            unsentBytes -= sentBytes
            lastSendProgress = now
        }
        switch outcome {
        case .failed:
            closeWhenFlushed = .clientClosed
            return .close(.clientClosed)
        case .pending:
            socketFull = true
        case .done:
            socketFull = false
        }
        if closeWhenFlushed != nil {
            return outcome == .done ? .finish : .none
        }
        if phase == .backpressured && unsentBytes <= unsentResponseLimit {
            enter(.awaitingRequest, now: now)
            return .takeNextRequest
        }
        if phase == .awaitingRequest && unsentBytes == 0 && sentBytes > 0 {
            // The client has taken every answer: the idle clock starts now, not at the last answer.
            phaseSince = now
        }
        return .none
    }

    // MARK: Ending an exchange or the connection

    enum ExchangeAction: Equatable {
        case none
        /// Not kept alive: end once the answer is sent (see `closeWhenFlushed(_:)`).
        case flush
        case finish
        /// The client is not reading its answers: its next requests wait in the socket.
        case backpressure
        /// Requests or input may be waiting: take the next one (after this turn of the loop).
        case takeNextRequest
    }

    /// The answer to the request being handled is queued.
    mutating func exchangeFinished(keepAlive: Bool, hasBufferedInput: Bool, unsentResponseLimit: Int, now: UInt64) -> ExchangeAction {
        guard keepAlive else {
            switch closeWhenFlushed(.closedByServer) {
            case .none: return .none
            case .flush: return .flush
            case .finish: return .finish
            }
        }
        guard phase != .closed else { return .none }
        if unsentBytes > unsentResponseLimit {
            enter(.backpressured, now: now)
            return .backpressure
        }
        enter(.awaitingRequest, now: now)
        // `readableWhileHandling` is cleared by the read this asks for.
        return hasBufferedInput || readableWhileHandling || peerFinishedSending ? .takeNextRequest : .none
    }

    /// Asked to end once queued bytes are sent.
    mutating func closeWhenFlushed(_ reason: StreamCloseReason) -> WritableAction {
        guard phase != .closed, closeWhenFlushed == nil else { return .none }
        closeWhenFlushed = reason
        if unsentBytes == 0 { return .finish }
        // Held-back bytes with room in the socket (a stream's head) go out now; a full socket
        // flushes on writability and finishes then.
        return socketFull ? .none : .flush
    }

    enum FinishAction: Equatable {
        case none
        case close(StreamCloseReason)
        /// Shut down our side and read until the peer closes: closing at once could reset the
        /// connection and discard the response still in flight (the lingering close of RFC 9112 §9.6).
        case halfCloseAndLinger
    }

    /// The last queued byte left after `closeWhenFlushed`.
    mutating func finishing(now: UInt64) -> FinishAction {
        guard phase != .closed, phase != .lingering, let reason = closeWhenFlushed, unsentBytes == 0 else { return .none }
        closeReason = reason
        enter(.lingering, now: now)
        if reason == .bufferOverflow || reason == .clientClosed || reason == .sendTimeout { return .close(reason) }
        return .halfCloseAndLinger
    }

    /// The connection closes now. Returns nil when it already had; else whether it was a stream and
    /// how many unsent bytes are dropped.
    mutating func closed(_ reason: StreamCloseReason) -> (wasStream: Bool, droppedBytes: Int)? {
        guard phase != .closed else { return nil }
        phase = .closed
        closeReason = reason
        let dropped = unsentBytes
        unsentBytes = 0
        return (isStream, dropped)
    }

    // MARK: Timeouts

    enum TickAction: Equatable {
        case none
        /// The client took none of its bytes for the send timeout: reset the connection.
        case sendTimedOut
        /// An idle connection or a silent request: close without a word.
        case timedOut
        /// A request did not arrive in time: answer 408 and close (the phase is now `handling`).
        case answerTimedOut
        /// Lingering is over.
        case close(StreamCloseReason)
    }

    /// The send, header, body, idle and linger timeouts at `now`.
    mutating func tick(now: UInt64, configuration: HTTPServer.Configuration) -> TickAction {
        if unsentBytes > 0 && now &- lastSendProgress > Self.milliseconds(configuration.sendTimeoutSeconds) {
            return .sendTimedOut
        }
        let elapsed = now &- phaseSince
        switch phase {
        case .awaitingRequest:
            // Answers still waiting to be taken keep the connection busy, not idle: the send timeout
            // governs them, and the idle clock restarts when the last of them leaves (`flushed`).
            guard unsentBytes == 0 else { return .none }
            let limit = anyResponseWritten ? configuration.idleTimeoutSeconds : configuration.headerTimeoutSeconds
            return elapsed > Self.milliseconds(limit) ? .timedOut : .none
        case .readingHead:
            guard elapsed > Self.milliseconds(configuration.headerTimeoutSeconds) else { return .none }
            return anyResponseWritten ? .timedOut : answerTimeout()
        case .readingBody:
            return elapsed > Self.milliseconds(configuration.bodyTimeoutSeconds) ? answerTimeout() : .none
        case .lingering:
            return elapsed > HTTPServer.lingerMilliseconds ? .close(closeReason ?? .closedByServer) : .none
        case .handling, .streaming, .backpressured, .throttled, .closed:
            return .none
        }
    }

    private mutating func answerTimeout() -> TickAction {
        enter(.handling, now: phaseSince)
        return .answerTimedOut
    }

    /// A setting's seconds as milliseconds, saturating (settings are range-checked, but a trap here would end the process).
    private static func milliseconds(_ seconds: Int) -> UInt64 {
        let (product, overflow) = UInt64(clamping: seconds).multipliedReportingOverflow(by: 1000)
        return overflow ? .max : product
    }
}
