extension FanoutRun {
    /// Opens every subscriber, a bounded number at a time, until each has had its `connected` event.
    func connectClients() throws {
        let address = configuration.address
        let path = campaigns.count > 1
            ? "/api/events?" + campaigns.map { "campaign=\($0.id)" }.joined(separator: "&")
            : "/api/events/\(configuration.campaignID)"
        let request = HTTPRequest.encode(method: "GET", path: path,
                                         address: address, token: configuration.token,
                                         headers: [("Accept", "text/event-stream")])
        let sources = address.sourceAddresses(count: configuration.sourceAddresses)
        let total = configuration.clients
        clients.reserveCapacity(total)
        connectStartedAt = Clock.now()
        let deadline = min(runDeadline, connectStartedAt + Clock.nanoseconds(seconds: configuration.connectTimeout))

        func openMore() {
            while clients.count < total && clients.count - liveClients < configuration.connectConcurrency && failure == nil {
                let index = clients.count
                do {
                    let client = try SSEClient(index: index, loop: loop, delegate: self, request: request,
                                               address: address, source: sources[index % sources.count])
                    client.otherCampaignLedgers = Array(repeating: DeliveryLedger(), count: campaigns.count - 1)
                    clients.append(client)
                } catch let failure as ConnectionFailure {
                    fail("client \(index + 1) of \(total): \(failure.describe(address))")
                } catch {
                    fail("client \(index + 1) of \(total): \(error)")
                }
            }
        }

        let allLive = loop.run(deadline: deadline) {
            openMore()
            progress.update("connecting: \(liveClients)/\(total) live, \(clients.count - liveClients) in flight")
            return liveClients == total || failure != nil
        }
        progress.clear()
        try throwIfFailed()
        if !allLive {
            throw BenchError("""
                only \(liveClients) of \(total) clients had their `connected` event after \
                \(configuration.connectTimeout) s (--connect-timeout); \(clients.count - liveClients) were still waiting for it
                """)
        }
    }

    /// Opens the keep-alive connections that create tasks, so no handshake falls inside a measurement.
    func openPublishers(count: Int) throws {
        for _ in 0..<count {
            let publisher = RESTClient(loop: loop, address: configuration.address)
            publishers.append(publisher)
            do {
                try publisher.open()
            } catch let failure as ConnectionFailure {
                throw BenchError("opening a publisher connection: \(failure.describe(configuration.address))")
            }
        }
        let ready = loop.run(deadline: min(runDeadline, Clock.now() + 10_000_000_000)) {
            failure != nil || publishers.allSatisfy(\.isConnected)
        }
        try throwIfFailed()
        if !ready { throw BenchError("the publisher connections to \(configuration.address) did not open within 10 s") }
    }
}
