import Foundation

extension FanoutRun: SSEClientDelegate {
    func sseClient(_ client: SSEClient, didReceive event: SSEEvent, at arrival: UInt64) {
        switch event.type {
        case .connected:
            guard client.ledger.connectedAt == 0 else { return }
            client.ledger.connectedCount += 1
            guard client.ledger.connectedCount == campaigns.count else { return }
            client.ledger.connectedAt = arrival
            liveClients += 1
            if liveClients == configuration.clients { allLiveAt = arrival }
        case .taskCreated:
            guard let id = eventID(event) else {
                eventsWithoutID += 1
                return
            }
            switch record(id, data: event.data, on: client) {
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
            guard let id = eventID(event) else { return }
            switch record(id, data: event.data, on: client) {
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

    /// The event's id: its `id:` on a one-campaign stream; on a multi-campaign stream `id:` is the
    /// stream's cursor, so the `eventId` the data starts with (`{"eventId":N,…`).
    private func eventID(_ event: SSEEvent) -> Int64? {
        if campaigns.count == 1 { return event.id }
        let prefix = Array(#"{"eventId":"#.utf8)
        guard event.data.starts(with: prefix) else { return nil }
        var value: Int64 = 0
        var digits = 0
        for byte in event.data[prefix.count...] {
            guard byte >= 48 && byte <= 57, digits < 18 else { break }
            value = value * 10 + Int64(byte - 48)
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// Records a delivery in the ledger of the event's campaign (ids are ordered within a campaign only).
    private func record(_ id: Int64, data: [UInt8], on client: SSEClient) -> DeliveryLedger.Verdict {
        let campaign = campaigns.count == 1 ? 0 : campaignIndex(eventID: id, data: data)
        if campaign == 0 { return client.ledger.record(id) }
        return client.otherCampaignLedgers[campaign - 1].record(id)
    }

    /// The campaign (index) of an event, parsed from its data the first time its id is seen.
    private func campaignIndex(eventID: Int64, data: [UInt8]) -> Int {
        if let known = campaignIndexByEventID[eventID] { return known }
        var index = 0
        if let object = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any],
           let campaignID = object["campaignId"] as? String, let found = campaignIndexByID[campaignID] {
            index = found
        }
        campaignIndexByEventID[eventID] = index
        return index
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
