import Sockets

extension HTTPConnection {
    /// Reads what the socket has (edge-triggered: until EAGAIN) and acts on it. Loop thread only.
    ///
    /// `mayStopAtShortRead`: this is a readiness event without the peer's end of input, so a read
    /// that leaves room in the buffer has emptied the socket, and anything arriving later (data or
    /// the end) raises a new event. The read that would only say EAGAIN is skipped: one system
    /// call less per request. Other callers may have missed an earlier end-of-input event, so they
    /// read until EAGAIN.
    func readAvailable(hangUp: Bool, mayStopAtShortRead: Bool = false) {
        let phase = shared.withLock { state -> Phase? in
            if state.closed { return nil }
            if state.phase == .handling || state.phase == .backpressured {
                // One request at a time: the rest waits in the socket until the answer is out
                // (and, past the unsent-bytes limit, until the client has read enough of it).
                state.readableWhileHandling = true
                if hangUp { state.peerFinishedSending = true }
                return nil
            }
            // Reading now consumes whatever readiness was noted while a request was handled.
            state.readableWhileHandling = false
            return state.phase
        }
        guard let phase else { return }
        if hangUp {
            closeNow(.clientClosed)
            return
        }
        switch phase {
        case .streaming, .lingering:
            drainAndDiscard(phase: phase)
        case .handling, .backpressured:
            return
        case .awaitingRequest, .readingHead, .readingBody:
            readIntoParser(mayStopAtShortRead: mayStopAtShortRead)
        }
    }

    /// A streaming or lingering connection has nothing more to say; only its end matters.
    private func drainAndDiscard(phase: Phase) {
        let buffer = server.readBuffer
        while true {
            switch Socket.read(fd, into: buffer) {
            case .bytes: continue
            case .wouldBlock: return
            case .endOfFile, .failed:
                closeNow(phase == .lingering ? (shared.withLock { $0.closeReason } ?? .closedByServer) : .clientClosed)
                return
            }
        }
    }

    private func readIntoParser(mayStopAtShortRead: Bool) {
        let buffer = server.readBuffer
        var total = 0
        var sawEnd = false
        reading: while true {
            switch Socket.read(fd, into: buffer) {
            case .bytes(let count):
                parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                total += count
                // Enough for any one request: parse before reading more, so a flood cannot grow the buffer.
                if parser.bufferedByteCount > server.maximumBufferedRequestBytes { break reading }
                if mayStopAtShortRead && count < buffer.count { break reading }
            case .wouldBlock:
                break reading
            case .endOfFile:
                sawEnd = true
                break reading
            case .failed:
                closeNow(.clientClosed)
                return
            }
        }
        if sawEnd {
            shared.withLock { $0.peerFinishedSending = true }
        }
        processBufferedRequests(moreMayBeWaiting: !sawEnd && parser.bufferedByteCount > server.maximumBufferedRequestBytes)
    }

    /// Takes the next complete request out of the parser, if any. Loop thread only.
    /// Call only while the connection waits for (or reads) a request, never while one is handled.
    func processBufferedRequests(moreMayBeWaiting: Bool = false) {
        let now = EventLoop.monotonicMilliseconds()
        while true {
            switch parser.next() {
            case .needMoreData:
                let peerDone = shared.withLock { state -> Bool in
                    let newPhase: Phase = parser.isReadingBody ? .readingBody : parser.isMidRequest ? .readingHead : .awaitingRequest
                    if newPhase != state.phase {
                        state.phase = newPhase
                        state.phaseSince = now
                    }
                    return state.peerFinishedSending
                }
                if peerDone {
                    // The client stopped sending; an incomplete request can never complete.
                    closeNow(.clientClosed)
                } else if moreMayBeWaiting {
                    server.loop.execute { [self] in readAvailable(hangUp: false) }
                }
                return
            case .expectContinue:
                send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            case .error(let error):
                server.statistics.malformedCounter.add(1, ordering: .relaxed)
                server.logger.debug("[HTTP] rejected request", metadata: ["status": "\(error.status.code)", "reason": "\(error.message)"])
                shared.withLock { state in
                    state.phase = .handling
                    state.phaseSince = now
                }
                respond(server.refusal(error), method: "GET", version: .http1_1, keepAliveRequested: false, acceptEncoding: nil)
                return
            case .request(var request):
                request.peerAddress = peerAddress
                // `readableWhileHandling` stays as it is: a request taken from the buffer does not
                // read the socket, and an end of input noted earlier must still be read after it.
                shared.withLock { state in
                    state.phase = .handling
                    state.phaseSince = now
                }
                dispatch(request)
                return
            }
        }
    }

    private func dispatch(_ request: HTTPRequest) {
        let keepAlive = request.keepAlive
        let method = request.method
        let version = request.version
        let acceptEncoding = request.headers["Accept-Encoding"]
        if isOverflow {
            respond(server.overloadResponse(request), method: method, version: version, keepAliveRequested: false, acceptEncoding: acceptEncoding)
            return
        }
        let handler = server.handler
        if handler.startsOnEventLoop(request) {
            // Runs here until the handler first suspends (often never): no hop to another thread.
            Task.immediate {
                let response = await handler.handle(request)
                self.respond(response, method: method, version: version, keepAliveRequested: keepAlive, acceptEncoding: acceptEncoding)
            }
            return
        }
        if request.body.count >= HTTPServer.largeBodyBytes {
            // A large body costs its handler milliseconds of parsing: one at a time and below the small
            // requests' priority, so a client sending them back to back leaves a thread for everyone else.
            let gate = server.largeBodyGate
            Task(priority: .low) {
                await gate.enter()
                let response = await handler.handle(request)
                gate.leave()
                self.respond(response, method: method, version: version, keepAliveRequested: keepAlive, acceptEncoding: acceptEncoding)
            }
            return
        }
        Task {
            let response = await handler.handle(request)
            self.respond(response, method: method, version: version, keepAliveRequested: keepAlive, acceptEncoding: acceptEncoding)
        }
    }
}
