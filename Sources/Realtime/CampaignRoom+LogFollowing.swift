import CampaignModel
import CampaignStore
import HTTP

extension CampaignRoom {
    /// Reads the campaign's event log after the room's cursor and broadcasts what it holds, until it is
    /// read to the end; a call while a read is under way makes that read go round once more. Only what
    /// the log holds reaches the clients, and the cursor only moves to ids the log returned.
    func followLog() async {
        if followingLog {
            followLogAgain = true
            return
        }
        followingLog = true
        defer { followingLog = false }
        repeat {
            followLogAgain = false
            do {
                try await readLogToTheEnd()
            } catch {
                // The pool is unreachable; the listener's reconnect (or the next notification) asks again,
                // and so does this room after a pause, so no change waits for the next write.
                logger.warning("[SSE] could not read the event log", metadata: ["error": "\(error)"])
                try? await clock.sleep(milliseconds: 1000)
                followLogAgain = !stopped
            }
        } while followLogAgain && !stopped
    }

    private func readLogToTheEnd() async throws {
        var cursor = try await logPosition()
        while !stopped {
            switch try await store.events(campaignId: campaignId, after: cursor, limit: configuration.replayPageSize) {
            case .expired:
                // Events after the cursor were pruned before the room read them (an outage longer than
                // the retention, a bulk write past EVENT_RETENTION_COUNT): its clients cannot be told
                // them, so they are told to start over.
                let latest = try await store.latestEventId(campaignId: campaignId)
                logger.warning("[SSE] events pruned before delivery; clients resync", metadata: [
                    "event.lastId": "\(cursor)", "event.latestId": "\(latest)",
                ])
                historyExpired(through: latest)
                cursor = latest
                logCursor = latest
            case .events(let page):
                guard let last = page.last else { return }
                cursor = last.id
                logCursor = last.id
                deliver(page)
                if page.count < configuration.replayPageSize { return }
            }
        }
    }

    /// Where the room's log reading stands; the first time, where the log stood when the room started.
    private func logPosition() async throws -> Int64 {
        if let logCursor { return logCursor }
        let start = try await campaignStartingPoint()
        if logCursor == nil { logCursor = start }
        return logCursor ?? start
    }

    /// The campaign's newest id when the room started watching: read once, shared by every joining
    /// client and the log reader, so none of them starts after an event the others never see.
    func campaignStartingPoint() async throws -> Int64 {
        let task: Task<Int64, any Error>
        if let startingPoint {
            task = startingPoint
        } else {
            let store = self.store
            let campaignId = self.campaignId
            task = Task { try await store.latestEventId(campaignId: campaignId) }
            startingPoint = task
        }
        do {
            let start = try await task.value
            recent.start(after: start)
            return start
        } catch {
            if startingPoint == task { startingPoint = nil }  // the next caller tries again
            throw error
        }
    }

    /// Tells every client (live or catching up) that events it should have had are gone.
    private func historyExpired(through latest: Int64) {
        let resync = ServerSentEvent(event: "resync", data: "{\"reason\":\"history-expired\"}").encoded()
        for client in clients { client.stream.send(resync) }
        for entry in catchingUp.values where !entry.abandoned { entry.subscription.stream.send(resync) }
        for index in clients.indices { clients[index].floor = max(clients[index].floor, latest) }
        knownLatest = max(knownLatest ?? latest, latest)
        recent.restart(after: latest)
        observer.resyncSent(count: clients.count + catchingUp.count)
    }
}
