import Sockets

extension HTTPConnection {
    /// Enforces the header, body, idle and linger timeouts; called from the loop's tick.
    func checkTimeouts(now: UInt64, configuration: HTTPServer.Configuration) {
        let (phase, since, wroteAnything) = shared.withLock { ($0.phase, $0.phaseSince, $0.anyResponseWritten) }
        let elapsed = now &- since
        switch phase {
        case .awaitingRequest:
            let limit = wroteAnything ? configuration.idleTimeoutSeconds : configuration.headerTimeoutSeconds
            if elapsed > UInt64(limit) * 1000 {
                server.statistics.timeoutCounter.add(1, ordering: .relaxed)
                closeNow(.clientClosed)
            }
        case .readingHead:
            if elapsed > UInt64(configuration.headerTimeoutSeconds) * 1000 {
                timeOut(sendStatus: !wroteAnything)
            }
        case .readingBody:
            if elapsed > UInt64(configuration.bodyTimeoutSeconds) * 1000 {
                timeOut(sendStatus: true)
            }
        case .lingering:
            if elapsed > HTTPServer.lingerMilliseconds { closeNow(shared.withLock { $0.closeReason } ?? .closedByServer) }
        case .handling, .streaming:
            break
        }
    }

    private func timeOut(sendStatus: Bool) {
        server.statistics.timeoutCounter.add(1, ordering: .relaxed)
        guard sendStatus else {
            closeNow(.clientClosed)
            return
        }
        shared.withLock { state in state.phase = .handling }
        let error = HTTPError(.requestTimeout, code: "request_timeout", message: "the request did not arrive in time")
        respond(error.response(closeConnection: true), method: "GET", version: .http1_1, keepAliveRequested: false, acceptEncoding: nil)
    }
}
