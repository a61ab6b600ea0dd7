extension AbuseProbe: SSEClientDelegate {
    /// Opens the probe's stream, resuming after the last event it saw.
    func openStream() {
        guard !stopped else { return }
        var headers = [("Accept", "text/event-stream")]
        if let lastEventID { headers.append(("Last-Event-ID", "\(lastEventID)")) }
        let request = HTTPRequest.encode(method: "GET", path: "/api/events/\(settings.campaignID)",
                                         address: settings.address, token: settings.token, headers: headers)
        do {
            subscriber = try SSEClient(index: 0, loop: loop, delegate: self, request: request,
                                       address: settings.address, source: nil)
        } catch let failure as ConnectionFailure {
            streamEnded(failure)
        } catch {
            fatal = fatal ?? BenchError("opening the probe's stream: \(error)")
        }
    }

    func sseClient(_ client: SSEClient, didReceive event: SSEEvent, at arrival: UInt64) {
        if let id = event.id {
            switch ledger.record(id) {
            case .duplicate:
                duplicateIDs += 1
                return
            case .outOfOrder:
                outOfOrder += 1
            case .inOrder:
                break
            }
            lastEventID = max(lastEventID ?? id, id)
        }
        switch event.type {
        case .connected:
            isLive = true
            everLive = true
        case .taskCreated:
            guard let task = EventMatcher.task(ofEvent: event.data), let sent = sentAt[task.id] else {
                foreignEvents += 1
                return
            }
            let duplicatesBefore = matcher.duplicates
            matcher.recordEvent(key: EventMatcher.key(taskID: task.id, version: task.version), subscriber: 0)
            if matcher.duplicates == duplicatesBefore {
                deliveryLatency.record(arrival > sent ? (arrival - sent) / 1000 : 0)
            }
        case .overloaded:
            count("the probe's stream got `event: overloaded` (the server is at its connection limit)")
        case .resync:
            count("the probe's stream got `event: resync` (its Last-Event-ID was no longer in the server's log)")
        default:
            break
        }
    }

    func sseClient(_ client: SSEClient, didEndWith failure: ConnectionFailure) {
        streamEnded(failure)
    }

    /// A refused token ends the run; anything else is counted, and the stream comes back after a pause.
    private func streamEnded(_ failure: ConnectionFailure) {
        isLive = false
        subscriber = nil
        if case .status(let head, let body) = failure, head.status == 401 || head.status == 403 {
            fatal = fatal ?? BenchError("the token was refused by GET /api/events/\(settings.campaignID) (\(head.status)): \(APIErrorBody.message(Array(body.utf8)))")
            return
        }
        count("the probe's stream: \(failure.describe(settings.address))")
        guard !stopped else { return }
        loop.schedule(at: Clock.now() + 250_000_000) { [weak self] in self?.openStream() }
    }
}
