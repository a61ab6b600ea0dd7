import Sockets

extension HTTPConnection {
    /// Answers the request just handled; any thread. The response is encoded (and compressed) on the
    /// calling thread; the loop writes it.
    func respond(_ response: HTTPResponse, method: String, version: HTTPVersion, keepAliveRequested: Bool, acceptEncoding: String?) {
        var response = response
        let keepAlive = keepAliveRequested && !response.closeConnection && !server.isShuttingDown
        switch response.body {
        case .bytes:
            if server.configuration.compressionEnabled {
                response.negotiateCompression(acceptEncoding: acceptEncoding)
            }
            guard case .bytes(let body) = response.body else { return }
            var encoded = response.encodedHead(version: version, date: server.date.value, contentLength: body.count, keepAlive: keepAlive)
            if method != "HEAD" { encoded.append(contentsOf: body) }
            let out = encoded
            onLoop { [self] in
                write(out)
                finishExchange(keepAlive: keepAlive)
            }
        case .stream where method == "HEAD":
            // A HEAD answer has no content: send the head as a GET would have it, open no stream.
            // The client knows a HEAD answer ends with its head, so the connection can stay open.
            let head = response.encodedHead(version: version, date: server.date.value, contentLength: nil, keepAlive: keepAlive)
            onLoop { [self] in
                write(head)
                finishExchange(keepAlive: keepAlive)
            }
        case .stream(let open):
            let head = response.encodedHead(version: version, date: server.date.value, contentLength: nil, keepAlive: false)
            onLoop { [self] in startStream(head: head, open: open) }
        }
    }

    /// The head waits in the buffer for the stream's first bytes (`retry`, `connected`), so a new
    /// subscriber costs one write instead of three; closing the stream flushes it regardless.
    private func startStream(head: [UInt8], open: @Sendable (any ResponseStream) -> Void) {
        guard state.value.machine.streamStarted(headBytes: head.count, now: EventLoop.monotonicMilliseconds()) else { return }
        state.value.outbound.append(head)
        server.statistics.unsentBytesChanged(from: state.value.machine.unsentBytes - head.count, to: state.value.machine.unsentBytes)
        server.streamOpened()
        // The request is done with: an open stream keeps no parse buffer.
        state.value.parser.releaseMemoryIfIdle()
        if server.isShuttingDown { closeWhenFlushed(.serverShutdown) }
        open(self)
    }

    /// After a complete response: keep the connection for the next request, or end it.
    private func finishExchange(keepAlive: Bool) {
        let action = state.value.machine.exchangeFinished(
            keepAlive: keepAlive, hasBufferedInput: state.value.parser.bufferedByteCount > 0,
            unsentResponseLimit: server.configuration.unsentResponseLimitBytes, now: EventLoop.monotonicMilliseconds())
        noteWriteAcceptance()
        switch action {
        case .none: break
        case .flush: flushOutbound()
        case .finish: finishAfterFlush()
        case .backpressure: server.statistics.backpressureCounter.add(1, ordering: .relaxed)
        // After this turn of the loop: a pipelined burst is taken request by request, not by recursion.
        case .takeNextRequest: loop.execute { [self] in takeNextRequest() }
        }
    }

    /// Parses what is buffered, then reads the socket, after an exchange ended or backpressure
    /// lifted. Loop thread only.
    func takeNextRequest() {
        // A read (of the client's end of input, say) may have got in first and started the next
        // request: then there is nothing to do here.
        guard state.value.machine.isWaitingForRequest else { return }
        processBufferedRequests()
        let phase = state.value.machine.phase
        if phase == .awaitingRequest || phase == .readingHead { readAvailable(hangUp: false) }
    }

    /// Keeps `bytes` for `writeStaged()`, after what was staged before (by this drain, or by an
    /// earlier one whose bulk writes are still queued); returns true for the first bytes staged (the
    /// caller then lists the connection). Loop thread only.
    func stage(_ bytes: [UInt8]) -> Bool {
        state.value.staged.add(bytes)
    }

    /// The bytes `stage` kept and no send has taken yet. Loop thread only.
    var stagedByteCount: Int { state.value.staged.byteCount }

    /// Writes what `stage` kept, in one send; returns how many writes it joined. Loop thread only.
    func writeStaged() -> Int {
        let (first, more, count) = state.value.staged.take()
        write(first, then: more)
        return count
    }

    /// Queues bytes for the socket and sends what it takes now; the rest is flushed on writability.
    /// A stream whose unsent bytes pass its bound is closed instead. Loop thread only.
    ///
    /// A broadcast makes one of these per client: the state is read and changed in one access, the
    /// clock read once, and bytes the socket takes whole are never copied or counted as unsent.
    ///
    /// `more` follows `bytes` in the same send (a vectored one), each kept as it is: nothing is joined.
    @discardableResult
    func write(_ bytes: [UInt8], then more: [[UInt8]] = []) -> Bool {
        let fd = self.fd
        let byteCount = more.reduce(bytes.count) { $0 + $1.count }
        let now = EventLoop.monotonicMilliseconds()
        let unsentLimit = server.configuration.unsentResponseLimitBytes
        let streamLimit = server.configuration.streamBufferLimitBytes
        let result = state.withValue { state -> (before: Int, after: Int, action: HTTPConnectionStateMachine.FlushAction, overflow: StreamCloseReason?)? in
            let before = state.machine.unsentBytes
            let sent: Int
            let outcome: HTTPConnectionStateMachine.FlushOutcome?
            switch state.machine.write(byteCount: byteCount, now: now) {
            case .refuse:
                return nil
            case .queue(flush: true) where state.outbound.isEmpty && more.isEmpty:
                // The common case: straight from the writer's bytes to the socket, nothing kept.
                (sent, outcome) = Self.classify(bytes.withUnsafeBytes { Socket.send(fd, $0) }, of: byteCount)
                if outcome == .pending { state.outbound.append(bytes, alreadySent: sent) }
            case .queue(flush: true):
                state.outbound.append(bytes)
                for chunk in more { state.outbound.append(chunk) }
                (sent, outcome) = state.outbound.flush(to: fd)
            case .queue(flush: false):
                state.outbound.append(bytes)
                for chunk in more { state.outbound.append(chunk) }
                (sent, outcome) = (0, nil)
            }
            let action = outcome.map {
                state.machine.flushed(sentBytes: sent, $0, unsentResponseLimit: unsentLimit, now: now)
            } ?? .none
            return (before, state.machine.unsentBytes, action, state.machine.checkStreamBound(streamLimit))
        }
        guard let result else { return false }
        server.statistics.unsentBytesChanged(from: result.before, to: result.after)
        if let overflow = result.overflow {
            server.statistics.overflowCounter.add(1, ordering: .relaxed)
            closeNow(overflow)
            return false
        }
        return perform(result.action)
    }

    private static func classify(_ result: IOResult, of count: Int) -> (sent: Int, HTTPConnectionStateMachine.FlushOutcome) {
        switch result {
        case .bytes(let sent): (sent, sent == count ? .done : .pending)
        case .wouldBlock: (0, .pending)
        case .endOfFile, .failed: (0, .failed)
        }
    }

    /// The socket has room again.
    func writable() {
        perform(state.value.machine.writable())
    }

    /// Sends queued bytes and acts on the outcome.
    func flushOutbound() {
        let before = state.value.machine.unsentBytes
        let action = flushQueued()
        server.statistics.unsentBytesChanged(from: before, to: state.value.machine.unsentBytes)
        perform(action)
    }

    private func flushQueued() -> HTTPConnectionStateMachine.FlushAction {
        let (sent, outcome) = state.value.outbound.flush(to: fd)
        return flushed(sent: sent, outcome)
    }

    private func flushed(sent: Int, _ outcome: HTTPConnectionStateMachine.FlushOutcome) -> HTTPConnectionStateMachine.FlushAction {
        state.value.machine.flushed(
            sentBytes: sent, outcome, unsentResponseLimit: server.configuration.unsentResponseLimitBytes,
            now: EventLoop.monotonicMilliseconds())
    }

    /// Returns false when the connection closed.
    @discardableResult
    private func perform(_ action: HTTPConnectionStateMachine.FlushAction) -> Bool {
        switch action {
        case .none: return true
        case .close(let reason):
            closeNow(reason)
            return false
        case .finish:
            finishAfterFlush()
            return true
        case .takeNextRequest:
            takeNextRequest()
            return true
        }
    }
}
