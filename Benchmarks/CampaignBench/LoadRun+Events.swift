import Foundation

extension LoadRun: SSEClientDelegate {
    func sseClient(_ client: SSEClient, didReceive event: SSEEvent, at arrival: UInt64) {
        if let id = event.id {
            switch client.ledger.record(id) {
            case .duplicate:
                duplicateIDs += 1
                return
            case .outOfOrder: outOfOrder += 1
            case .inOrder: break
            }
        }
        switch event.type {
        case .connected:
            if client.ledger.connectedAt == 0 {
                client.ledger.connectedAt = arrival
                liveSubscribers += 1
            }
        case .taskCreated, .taskUpdated, .taskMoved:
            guard let key = writeKey(eventID: event.id, data: event.data) else {
                otherEvents["\(event.type) without task id/version", default: 0] += 1
                return
            }
            matcher.recordEvent(key: key, subscriber: client.index)
            receivedWriteEvents += 1
        case .historyUpdate:
            historyUpdates += 1
        case .overloaded:
            fail("the server is at its connection limit: subscriber \(client.index + 1) got `event: overloaded`")
        default:
            otherEvents["\(event.type)", default: 0] += 1
        }
    }

    func sseClient(_ client: SSEClient, didEndWith failure: ConnectionFailure) {
        let reason = failure.describe(configuration.address)
        if client.ledger.connectedAt == 0 {
            if case .status(let head, let body) = failure, head.status == 401 || head.status == 403 {
                fail("the token was refused by GET /api/events/\(configuration.campaignID) (\(head.status) \(head.reason)): \(APIErrorBody.message(Array(body.utf8)))")
            } else {
                fail("subscriber \(client.index + 1): \(reason)")
            }
            return
        }
        subscriberDisconnects += 1
        if firstDisconnectReason == nil { firstDisconnectReason = "subscriber \(client.index + 1): \(reason)" }
    }

    /// "task id#version" of a task event, parsed once per event id.
    private func writeKey(eventID: Int64?, data: [UInt8]) -> String? {
        if let eventID, let known = keyByEventID[eventID] { return known }
        guard let task = EventMatcher.task(ofEvent: data) else { return nil }
        let key = EventMatcher.key(taskID: task.id, version: task.version)
        if let eventID { keyByEventID[eventID] = key }
        return key
    }
}
