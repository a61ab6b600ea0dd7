import Sockets

extension HTTPConnection {
    /// Enforces the send, header, body, idle and linger timeouts; called from the loop's tick.
    func checkTimeouts(now: UInt64, configuration: HTTPServer.Configuration) {
        let (phase, since, wroteAnything, unsent, lastSendProgress) = shared.withLock {
            ($0.phase, $0.phaseSince, $0.anyResponseWritten, $0.outbound.count, $0.lastSendProgress)
        }
        if unsent > 0 && now &- lastSendProgress > Self.milliseconds(configuration.sendTimeoutSeconds) {
            server.statistics.sendTimeoutCounter.add(1, ordering: .relaxed)
            server.logger.info("[HTTP] closed a connection that took none of its data", metadata: [
                "connection.id": "\(streamID)", "unsent.bytes": "\(unsent)", "phase": "\(phase)",
                "timeout.seconds": "\(configuration.sendTimeoutSeconds)",
            ])
            closeNow(.sendTimeout)
            return
        }
        let elapsed = now &- since
        switch phase {
        case .awaitingRequest:
            // Answers still waiting to be taken keep the connection busy, not idle: the send timeout
            // governs them, and the idle clock restarts when the last of them leaves (`flushOutbound`).
            guard unsent == 0 else { return }
            let limit = wroteAnything ? configuration.idleTimeoutSeconds : configuration.headerTimeoutSeconds
            if elapsed > Self.milliseconds(limit) {
                server.statistics.timeoutCounter.add(1, ordering: .relaxed)
                closeNow(.clientClosed)
            }
        case .readingHead:
            if elapsed > Self.milliseconds(configuration.headerTimeoutSeconds) {
                timeOut(sendStatus: !wroteAnything)
            }
        case .readingBody:
            if elapsed > Self.milliseconds(configuration.bodyTimeoutSeconds) {
                timeOut(sendStatus: true)
            }
        case .lingering:
            if elapsed > HTTPServer.lingerMilliseconds { closeNow(shared.withLock { $0.closeReason } ?? .closedByServer) }
        case .handling, .streaming, .backpressured:
            break
        }
    }

    /// A setting's seconds as milliseconds, saturating (settings are range-checked, but a trap here would end the process).
    private static func milliseconds(_ seconds: Int) -> UInt64 {
        let (product, overflow) = UInt64(clamping: seconds).multipliedReportingOverflow(by: 1000)
        return overflow ? .max : product
    }

    private func timeOut(sendStatus: Bool) {
        server.statistics.timeoutCounter.add(1, ordering: .relaxed)
        guard sendStatus else {
            closeNow(.clientClosed)
            return
        }
        shared.withLock { state in state.phase = .handling }
        let error = HTTPError(.requestTimeout, message: "the request did not arrive in time")
        respond(server.refusal(error), method: "GET", version: .http1_1, keepAliveRequested: false, acceptEncoding: nil)
    }
}
