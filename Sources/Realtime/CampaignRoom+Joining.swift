import CampaignModel
import CampaignStore
import HTTP

extension CampaignRoom {
    /// Adds a client: `retry` and `connected` first, then (on resume) every retained event after
    /// `resumeAfter`, then the live stream, with no gap and no duplicate even while events keep coming:
    /// live events are held for the client until its replay is done, and each event goes out once.
    func join(_ subscription: Subscription) async {
        let key = subscription.stream.streamID
        let clientId = subscription.clientId
        catchingUp[key] = CatchingUp(subscription: subscription)
        observer.subscribersChanged(by: 1)
        // The stream's id names the client in the room's later logs: its `clientId` (a UUID string)
        // is not kept past the join, so ten thousand idle streams hold no strings.
        logger.info("[SSE] client connected", metadata: ["client.id": "\(clientId)", "stream.id": "\(key)"])
        subscription.stream.onClose { [weak self] reason in
            self?.depart(key: key, reason: reason)
        }

        let stream = subscription.stream
        let sentUpTo: Int64
        do {
            let latest = try await newestEventId()
            // `retry` and `connected` in one write (with the response head the transport held back).
            let connected = ServerSentEvent(event: "connected", data: connectedData(clientId: clientId, lastEventId: latest))
            stream.send(Array("retry: \(configuration.streamRetryMilliseconds())\n\n".utf8) + connected.encoded())
            switch subscription.resumeAfter {
            case nil:
                sentUpTo = latest
            case let resumeAfter? where resumeAfter < latest:
                sentUpTo = try await replay(key: key, to: stream, after: resumeAfter, latest: latest)
            case let resumeAfter?:
                sentUpTo = try await positionAhead(resumeAfter, latest: latest, stream: stream)
            }
        } catch {
            // The store is unreachable: end the stream; the browser retries after `retry`.
            logger.warning("[SSE] could not start a stream", metadata: ["client.id": "\(clientId)", "error": "\(error)"])
            stream.close()  // `leave` removes the entry once the close is reported
            return
        }

        guard let entry = catchingUp.removeValue(forKey: key) else { return }  // left while catching up
        if entry.abandoned {
            catchingUp[key] = entry  // closing; `leave` will remove it
            return
        }
        var floor = sentUpTo
        let missed = entry.buffered.filter { $0.id > floor }
        if !missed.isEmpty {
            stream.send(EventFrames(missed).bytes)
            floor = missed.last!.id
        }
        clientIndex[key] = clients.count
        clients.append(Client(key: key, stream: stream, floor: floor))
        if let expiresAt = subscription.expiresAtMilliseconds {
            schedule.track(client: key, expiresAt: expiresAt)
            expiryTexts[key] = subscription.expiresAtText
            rescheduleTimer()
        } else if timerTask == nil {
            rescheduleTimer()
        }
    }

    /// The newest event id of the campaign as this room knows it: asked of the store once, then kept
    /// current by the broadcasts (every committed event reaches the room, in order). A join that
    /// needs no replay therefore costs no store round trip.
    func newestEventId() async throws -> Int64 {
        if let knownLatest { return knownLatest }
        let stored = try await campaignStartingPoint()
        let latest = max(knownLatest ?? 0, stored)
        knownLatest = latest
        return latest
    }

    /// A resume from an id this room has not seen. Another instance may have delivered it a moment
    /// before this one (the client then gets what follows it); if the log has never issued it (a
    /// restored or another database), the client is told its position is unknown and starts live.
    private func positionAhead(_ resumeAfter: Int64, latest: Int64, stream: any ResponseStream) async throws -> Int64 {
        guard resumeAfter > latest else { return latest }
        let logged = try await store.latestEventId(campaignId: campaignId)
        if resumeAfter <= logged { return resumeAfter }
        stream.send(ServerSentEvent(event: "resync", data: "{\"reason\":\"unknown-position\"}").encoded())
        observer.resyncSent(count: 1)
        return latest
    }

    /// Sends the events after `after` up to `latest` (what came later is held for the client meanwhile);
    /// returns the newest id it covered. From the room's memory when it holds them all, else from the
    /// store, page by page, queued behind the room's and the process's other store replays, and given
    /// up as soon as the client is gone or its buffer is full. What a completed store replay read goes
    /// into the memory, so the clients queued behind it (a crowd resuming from the same old position)
    /// are answered from there.
    private func replay(key: UInt64, to stream: any ResponseStream, after: Int64, latest: Int64) async throws -> Int64 {
        if replayFromMemory(to: stream, after: after, latest: latest) { return latest }
        await roomReplayGate.enter()
        defer { roomReplayGate.leave() }
        // A client that hung up while queued needs nothing (and is not counted as a replay).
        guard isStillCatchingUp(key) else { return after }
        // The replay this one queued behind may have left what it needs in memory.
        if replayFromMemory(to: stream, after: after, latest: latest) { return latest }
        await replayGate.enter()
        defer { replayGate.leave() }
        guard isStillCatchingUp(key) else { return after }
        observer.replayed(fromMemory: false)
        var cursor = after
        var replayed = ReplayedPages(
            after: after, maximumCount: configuration.recentEventsPerRoom, maximumBytes: configuration.recentEventBytesPerRoom)
        while isStillCatchingUp(key) {
            switch try await store.events(campaignId: campaignId, after: cursor, limit: configuration.replayPageSize) {
            case .expired:
                stream.send(ServerSentEvent(event: "resync", data: "{\"reason\":\"history-expired\"}").encoded())
                observer.resyncSent(count: 1)
                return latest
            case .events(let page):
                let wanted = page.prefix { $0.id <= latest }
                if let last = wanted.last {
                    let frames = EventFrames(Array(wanted))
                    guard stream.send(frames.bytes) else { return cursor }
                    replayed.append(frames)
                    cursor = last.id
                }
                if page.count < configuration.replayPageSize || wanted.count < page.count {
                    // Every event up to `latest` was read: the log has none after this page, or this page went past it.
                    recent.prepend(replayed.pages, after: replayed.after, through: latest)
                    return max(cursor, latest)
                }
            }
        }
        return cursor
    }

    /// Sends the events after `after` up to `latest` from the room's memory, if it holds them all.
    private func replayFromMemory(to stream: any ResponseStream, after: Int64, latest: Int64) -> Bool {
        guard let remembered = recent.frames(after: after, through: latest) else { return false }
        observer.replayed(fromMemory: true)
        if !remembered.isEmpty { stream.send(remembered) }
        return true
    }

    /// Whether a joining client still waits for its replay (not gone, not cut off for falling behind).
    private func isStillCatchingUp(_ key: UInt64) -> Bool {
        guard let entry = catchingUp[key] else { return false }
        return !entry.abandoned
    }

    private func connectedData(clientId: String, lastEventId: Int64) -> String {
        JSONValue.object(JSONObject([
            (key: "clientId", value: .string(clientId)),
            (key: "campaignId", value: .string(campaignId)),
            (key: "lastEventId", value: .int(lastEventId)),
        ])).encodedString()
    }

    /// Removes a client whose stream ended.
    func leave(key: UInt64, reason: StreamCloseReason) {
        var wasMember = false
        if catchingUp.removeValue(forKey: key) != nil { wasMember = true }
        if let index = clientIndex.removeValue(forKey: key) {
            let last = clients.removeLast()
            if index < clients.count {
                clients[index] = last
                clientIndex[last.key] = index
            }
            wasMember = true
        }
        guard wasMember else { return }
        schedule.forget(client: key)
        expiryTexts[key] = nil
        observer.subscribersChanged(by: -1)
        if reason == .bufferOverflow || reason == .sendTimeout { observer.slowClientDisconnected() }
        logger.info("[SSE] client disconnected", metadata: ["stream.id": "\(key)", "reason": "\(reason.rawValue)"])
        if members.subtract(1, ordering: .relaxed).newValue <= 0 { onEmpty(campaignId) }
    }
}

