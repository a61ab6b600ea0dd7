import Glibc
import Sockets

extension HTTPConnection {
    /// Writes a response for the request just handled; any thread.
    func respond(_ response: HTTPResponse, method: String, version: HTTPVersion, keepAliveRequested: Bool, acceptEncoding: String?) {
        var response = response
        let keepAlive = keepAliveRequested && !response.closeConnection && !server.isShuttingDown
        switch response.body {
        case .bytes:
            if server.configuration.compressionEnabled {
                response.negotiateCompression(acceptEncoding: acceptEncoding)
            }
            guard case .bytes(let body) = response.body else { return }
            var out = response.encodedHead(version: version, date: server.date.value, contentLength: body.count, keepAlive: keepAlive)
            if method != "HEAD" { out.append(contentsOf: body) }
            send(out)
            finishExchange(keepAlive: keepAlive)
        case .stream where method == "HEAD":
            // A HEAD answer has no content: send the head as a GET would have it, open no stream.
            // The client knows a HEAD answer ends with its head, so the connection can stay open.
            send(response.encodedHead(version: version, date: server.date.value, contentLength: nil, keepAlive: keepAlive))
            finishExchange(keepAlive: keepAlive)
        case .stream(let open):
            let head = response.encodedHead(version: version, date: server.date.value, contentLength: nil, keepAlive: false)
            // The head waits in the buffer for the stream's first bytes (`retry`, `connected`), so a new
            // subscriber costs one write instead of three; closing the stream flushes it regardless.
            let accepted = head.withUnsafeBytes { raw in
                shared.withLock { state -> Bool in
                    guard !state.closed else { return false }
                    state.phase = .streaming
                    state.isStream = true
                    state.phaseSince = EventLoop.monotonicMilliseconds()
                    state.anyResponseWritten = true
                    let before = state.outbound.count
                    state.outbound.append(raw)
                    outboundChanged(&state, from: before)
                    return true
                }
            }
            guard accepted else { return }
            server.streamOpened()
            server.loop.execute { [self] in
                // The request is done with: an open stream keeps no parse buffer.
                parser.releaseMemoryIfIdle()
                if server.isShuttingDown { closeWhenFlushed(.serverShutdown) }
            }
            open(self)
        }
    }

    /// After a complete response: keep the connection for the next request, or end it.
    private func finishExchange(keepAlive: Bool) {
        guard keepAlive else {
            closeWhenFlushed(.closedByServer)
            return
        }
        // The parser is only touched by the loop thread, which leaves it alone while a request is handled.
        let buffered = parser.bufferedByteCount > 0
        let unsentLimit = server.configuration.unsentResponseLimitBytes
        let needsLoop = shared.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.phaseSince = EventLoop.monotonicMilliseconds()
            if state.outbound.count > unsentLimit {
                // The client is not reading its answers: read no more of its requests until it does
                // (`flushOutbound` resumes), so one connection cannot queue answers without bound.
                state.phase = .backpressured
                server.statistics.backpressureCounter.add(1, ordering: .relaxed)
                return false
            }
            state.phase = .awaitingRequest
            // `readableWhileHandling` is cleared by the read it asks for (`readAvailable`).
            return buffered || state.readableWhileHandling || state.peerFinishedSending
        }
        if needsLoop {
            server.loop.execute { [self] in takeNextRequest() }
        }
    }

    /// Parses what is buffered, then reads the socket, after an exchange ended or backpressure
    /// lifted. Loop thread only.
    private func takeNextRequest() {
        // A read (of the client's end of input, say) may have got in first and started the next
        // request: then there is nothing to do here, and touching the phase would let that
        // request's answer be cut off. Only this thread starts requests, so the check holds.
        guard isWaitingForRequest else { return }
        processBufferedRequests()
        let stillIdle = shared.withLock { !$0.closed && ($0.phase == .awaitingRequest || $0.phase == .readingHead) }
        if stillIdle { readAvailable(hangUp: false) }
    }

    /// Open and waiting for a request, or reading one (not handling one, streaming or closing).
    private var isWaitingForRequest: Bool {
        shared.withLock { state in
            !state.closed && (state.phase == .awaitingRequest || state.phase == .readingHead || state.phase == .readingBody)
        }
    }

    /// Queues bytes for the socket: sent at once when it has room, the rest buffered and flushed on
    /// writability. A stream whose unsent bytes would pass the limit is closed instead.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in writeRaw(raw) }
    }

    private func writeRaw(_ raw: UnsafeRawBufferPointer) -> Bool {
        let outcome = shared.withLock { state -> WriteOutcome in
            guard !state.closed, state.closeWhenFlushed == nil else { return .closed }
            state.anyResponseWritten = true
            let before = state.outbound.count
            defer { outboundChanged(&state, from: before) }
            if state.outbound.isEmpty {
                switch Socket.send(fd, raw) {
                case .bytes(let count):
                    if count == raw.count { return .sent }
                    state.socketFull = true
                    return queue(&state, UnsafeRawBufferPointer(rebasing: raw[count...]))
                case .wouldBlock:
                    state.socketFull = true
                    return queue(&state, raw)
                case .endOfFile, .failed:
                    state.closeWhenFlushed = .clientClosed
                    discardOutbound(&state)
                    return .failed
                }
            }
            let queued = queue(&state, raw)
            guard queued == .queued, !state.socketFull else { return queued }
            // Bytes were held back without the socket being full (a stream's head): send them all together.
            switch state.outbound.flush(to: fd) {
            case .done: return .sent
            case .pending:
                state.socketFull = true
                return .queued
            case .failed:
                state.closeWhenFlushed = .clientClosed
                discardOutbound(&state)
                return .failed
            }
        }
        switch outcome {
        case .sent, .queued:
            return true
        case .closed:
            return false
        case .failed:
            server.loop.execute { [self] in closeNow(.clientClosed) }
            return false
        case .overflow:
            server.statistics.overflowCounter.add(1, ordering: .relaxed)
            server.loop.execute { [self] in closeNow(.bufferOverflow) }
            return false
        }
    }

    private enum WriteOutcome { case sent, queued, closed, failed, overflow }

    private func queue(_ state: inout Shared, _ raw: UnsafeRawBufferPointer) -> WriteOutcome {
        if state.phase == .streaming && state.outbound.count + raw.count > server.configuration.streamBufferLimitBytes {
            state.closeWhenFlushed = .bufferOverflow
            discardOutbound(&state)
            return .overflow
        }
        state.outbound.append(raw)
        return .queued
    }

    /// Keeps the unsent-bytes statistics and the send-timeout clock in step with a change of
    /// `outbound` from `before` bytes. Off the fast path: a write the socket takes whole changes nothing.
    func outboundChanged(_ state: inout Shared, from before: Int) {
        let after = state.outbound.count
        guard after != before else { return }
        server.statistics.unsentBytesChanged(from: before, to: after)
        // Bytes started waiting, or the client took some: either way the clock restarts.
        if before == 0 || after < before { state.lastSendProgress = EventLoop.monotonicMilliseconds() }
    }

    /// Drops every unsent byte (the connection is closing).
    func discardOutbound(_ state: inout Shared) {
        let before = state.outbound.count
        state.outbound = OutboundBuffer()
        outboundChanged(&state, from: before)
    }

    /// Sends queued bytes now that the socket is writable. Loop thread only.
    func flushOutbound() {
        let unsentLimit = server.configuration.unsentResponseLimitBytes
        let (summary, closing, resume) = shared.withLock { state -> (OutboundBuffer.IOResultSummary, Bool, Bool) in
            state.socketFull = false
            guard !state.closed else { return (.done, false, false) }
            guard !state.outbound.isEmpty else { return (.done, state.closeWhenFlushed != nil, false) }
            let before = state.outbound.count
            let summary = state.outbound.flush(to: fd)
            outboundChanged(&state, from: before)
            if summary == .pending { state.socketFull = true }
            var resume = false
            if state.closeWhenFlushed == nil {
                if state.phase == .backpressured && state.outbound.count <= unsentLimit {
                    state.phase = .awaitingRequest
                    state.phaseSince = EventLoop.monotonicMilliseconds()
                    resume = true
                } else if state.phase == .awaitingRequest && state.outbound.isEmpty {
                    // The client has taken every answer: the idle clock starts now, not at the last answer.
                    state.phaseSince = EventLoop.monotonicMilliseconds()
                }
            }
            return (summary, state.closeWhenFlushed != nil, resume)
        }
        switch (summary, closing) {
        case (.failed, _):
            closeNow(.clientClosed)
        case (.done, true):
            finishAfterFlush()
        default:
            if resume { takeNextRequest() }
        }
    }
}
