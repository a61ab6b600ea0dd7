import Foundation

extension FanoutRun: SSEClientDelegate {
    func sseClient(_ client: SSEClient, didReceive event: SSEEvent, at arrival: UInt64) {
        switch event.type {
        case .connected:
            guard client.ledger.connectedAt == 0 else { return }
            client.ledger.connectedAt = arrival
            liveClients += 1
            if liveClients == configuration.clients { allLiveAt = arrival }
        case .taskCreated:
            guard let id = event.id else {
                eventsWithoutID += 1
                return
            }
            switch client.ledger.record(id) {
            case .duplicate:
                duplicates += 1
                return
            case .outOfOrder:
                outOfOrder += 1
            case .inOrder:
                break
            }
            let index = createIndex(eventID: id, data: event.data)
            guard index >= 0, publishTimes[index] != 0 else {
                foreignEvents += 1
                return
            }
            let microseconds = arrival > publishTimes[index] ? (arrival - publishTimes[index]) / 1000 : 0
            latency.record(microseconds)
            arrivals[index].append(UInt32(clamping: microseconds))
            delivered += 1
        case .overloaded:
            fail("""
                the server is at its connection limit: client \(client.index + 1) got `event: overloaded` \
                with \(liveClients) clients live; this run needs MAX_CONNECTIONS of at least \(connectionsNeeded) \
                (clients + publishers + 1), or fewer --clients
                """)
        default:
            if event.type == .historyUpdate { historyUpdates += 1 }
            guard let id = event.id else { return }
            switch client.ledger.record(id) {
            case .duplicate: duplicates += 1
            case .outOfOrder: outOfOrder += 1
            case .inOrder: break
            }
        }
    }

    func sseClient(_ client: SSEClient, didEndWith failure: ConnectionFailure) {
        let reason = failure.describe(configuration.address)
        if client.ledger.connectedAt == 0 {
            // Before `connected`: the run cannot measure what it was asked to.
            if case .status(let head, let body) = failure, head.status == 401 || head.status == 403 {
                fail("the token was refused by GET /api/events/\(configuration.campaignID) (\(head.status) \(head.reason)): \(APIErrorBody.message(Array(body.utf8)))")
            } else {
                fail("client \(client.index + 1) of \(configuration.clients): \(reason)")
            }
            return
        }
        disconnects += 1
        if firstDisconnectReason == nil { firstDisconnectReason = "client \(client.index + 1): \(reason)" }
    }

    /// Which create an event id belongs to: its data is parsed the first time the id is seen, then remembered.
    private func createIndex(eventID: Int64, data: [UInt8]) -> Int {
        if let known = createIndexByEventID[eventID] { return known }
        var index = -1
        if let object = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any],
           let task = object["task"] as? [String: Any], let taskID = task["id"] as? String,
           let found = taskIndexByID[taskID] {
            index = found
            eventIDs[found] = eventID
        }
        createIndexByEventID[eventID] = index
        return index
    }
}
