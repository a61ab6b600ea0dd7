import HTTP

extension CampaignRoom {
    /// (Re)starts the room's one timer task so it wakes for the next heartbeat or token expiry.
    func rescheduleTimer() {
        guard !stopped else { return }
        let wake = schedule.nextWake()
        if timerTask != nil && wake >= timerWake { return }
        timerTask?.cancel()
        timerWake = wake
        let clock = self.clock
        timerTask = Task { [weak self] in
            // Cancelled when an earlier wake is needed or the room stops.
            guard (try? await clock.sleep(until: wake)) != nil, let self else { return }
            await self.runTimers()
        }
    }

    /// Does what is due: a heartbeat comment, `auth-expiring` warnings, ending expired streams.
    func runTimers() {
        timerTask = nil
        timerWake = .max
        guard !stopped else { return }
        let due = schedule.due(now: clock.now())
        if due.heartbeat {
            let heartbeat = ServerSentEvent.comment("heartbeat")
            var delivery = StreamBroadcast(expectedCount: clients.count)
            for client in clients { client.stream.send(heartbeat, in: &delivery) }
            delivery.commit()
        }
        for key in due.warn {
            guard let text = expiryTexts[key], let index = clientIndex[key] else { continue }
            let data = "{\"reason\":\"token-expiring\",\"expiresAt\":\(text.map { "\"\($0)\"" } ?? "null")}"
            clients[index].stream.send(ServerSentEvent(event: "auth-expiring", data: data).encoded())
        }
        for key in due.expire {
            guard expiryTexts[key] != nil, let index = clientIndex[key] else { continue }
            logger.info("[SSE] token expired: ending stream", metadata: ["stream.id": "\(key)"])
            clients[index].stream.close()
        }
        if !clients.isEmpty || !catchingUp.isEmpty { rescheduleTimer() }
    }
}
