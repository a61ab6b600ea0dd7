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
        switch state.value.machine.readable(hangUp: hangUp) {
        case .none:
            return
        case .close(let reason):
            closeNow(reason)
        case .drain:
            drainAndDiscard()
        case .readRequests:
            readIntoParser(mayStopAtShortRead: mayStopAtShortRead)
        }
    }

    /// A streaming or lingering connection has nothing more to say; only its end matters.
    private func drainAndDiscard() {
        let buffer = server.readBuffer
        while true {
            switch Socket.read(fd, into: buffer) {
            case .bytes: continue
            case .wouldBlock: return
            case .endOfFile, .failed:
                closeNow(state.value.machine.drainEndedReason())
                return
            }
        }
    }

    /// Takes at most one read buffer (`HTTPServer.readBufferBytes`) from the socket per turn of the loop;
    /// what is left is read in a later turn (`readAgain`), after the other connections' events.
    private func readIntoParser(mayStopAtShortRead: Bool) {
        let buffer = server.readBuffer
        var sawEnd = false
        var readThisTurn = 0
        var budgetSpent = false
        reading: while true {
            switch Socket.read(fd, into: buffer) {
            case .bytes(let count):
                state.value.parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                // Enough for any one request: parse before reading more, so a flood cannot grow the buffer.
                if state.value.parser.bufferedByteCount > server.maximumBufferedRequestBytes { break reading }
                if mayStopAtShortRead && count < buffer.count { break reading }
                readThisTurn += count
                if readThisTurn >= buffer.count {
                    budgetSpent = true
                    break reading
                }
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
        if sawEnd { state.value.machine.inputEnded() }
        if budgetSpent { server.statistics.readBudgetCounter.add(1, ordering: .relaxed) }
        processBufferedRequests(
            moreMayBeWaiting: !sawEnd && (budgetSpent || state.value.parser.bufferedByteCount > server.maximumBufferedRequestBytes))
    }

    /// Takes the next complete request out of the parser, if any. Loop thread only.
    /// Call only while the connection waits for (or reads) a request, never while one is handled.
    func processBufferedRequests(moreMayBeWaiting: Bool = false) {
        let now = EventLoop.monotonicMilliseconds()
        // Between requests, a connection whose address spent its request budget takes no more: what
        // is buffered stays so, the rest stays in the socket, and the tick resumes it (`checkTimeouts`).
        if state.value.machine.phase == .awaitingRequest, !state.value.parser.isReadingBody,
           !server.mayTakeRequest(from: state.value.peerAddress, now: now) {
            state.value.machine.throttled(now: now)
            server.statistics.requestRatePauseCounter.add(1, ordering: .relaxed)
            scheduleResume(now: now)
            return
        }
        while true {
            switch state.value.parser.next() {
            case .needMoreData:
                let position: HTTPConnectionStateMachine.ParserPosition =
                    state.value.parser.isReadingBody ? .inBody : state.value.parser.isMidRequest ? .inHead : .betweenRequests
                switch state.value.machine.needsMoreInput(position, moreMayBeWaiting: moreMayBeWaiting, now: now) {
                case .none: break
                case .close(let reason): closeNow(reason)
                case .readAgain: loop.execute { [self] in readAvailable(hangUp: false) }
                }
                return
            case .expectContinue:
                write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            case .error(let error):
                guard !state.value.machine.isClosed else { return }
                server.statistics.malformedCounter.add(1, ordering: .relaxed)
                server.logger.debug("[HTTP] rejected request", metadata: ["status": "\(error.status.code)", "reason": "\(error.message)"])
                state.value.machine.requestStarted(now: now)
                respond(server.refusal(error), method: "GET", version: .http1_1, keepAliveRequested: false, acceptEncoding: nil)
                return
            case .request(var request):
                // A failed `100 Continue` may have closed the connection in this same pass.
                guard !state.value.machine.isClosed else { return }
                request.peerAddress = state.value.peerAddress
                request.bodyIsLarge = request.body.count >= server.configuration.limits.largeBodyBytes
                server.chargeRequest(from: state.value.peerAddress, bodyBytes: request.body.count, now: now)
                state.value.machine.requestStarted(now: now)
                dispatch(request)
                return
            }
        }
    }

    /// A throttled connection takes its next request once its address's budget allows, or else waits
    /// again. Each resumes on its own time, so a throttled flood goes on at the rate, evenly, not in a
    /// burst at every tick. Loop thread only.
    func resumeWhenBudgetAllows() {
        guard state.value.machine.phase == .throttled else { return }
        let now = EventLoop.monotonicMilliseconds()
        guard server.mayTakeRequest(from: state.value.peerAddress, now: now) else {
            scheduleResume(now: now)
            return
        }
        if state.value.machine.budgetRefilled(now: now) { takeNextRequest() }
    }

    private func scheduleResume(now: UInt64) {
        let wait = server.requestBudgetWait(from: state.value.peerAddress, now: now)
        loop.schedule(at: now + max(1, wait)) { [weak self] in self?.resumeWhenBudgetAllows() }
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
        if request.bodyIsLarge {
            // A large body costs its handler milliseconds of parsing (on the idle worker, see `bodyIsLarge`):
            // one at a time and below the small requests' priority, so a client sending them back to back
            // leaves the threads to everyone else.
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
