extension LoadRun {
    /// Opens every subscriber (`subscribers` per campaign) and waits for each one's `connected` event.
    func connectSubscribers() throws {
        let address = configuration.address
        let requests = configuration.campaignIDs.map { campaignID in
            HTTPRequest.encode(method: "GET", path: "/api/events/\(campaignID)", address: address, token: configuration.token,
                               headers: [("Accept", "text/event-stream")])
        }
        let sources = address.sourceAddresses(count: configuration.sourceAddresses)
        for index in 0..<configuration.totalSubscribers {
            let request = requests[index / configuration.subscribers]
            do {
                subscribers.append(try SSEClient(index: index, loop: loop, delegate: self, request: request,
                                                 address: address, source: sources[index % sources.count]))
            } catch let failure as ConnectionFailure {
                throw BenchError("subscriber \(index + 1): \(failure.describe(address))")
            }
        }
        let deadline = min(runDeadline, Clock.now() + Clock.nanoseconds(seconds: configuration.connectTimeout))
        let live = loop.run(deadline: deadline) {
            progress.update("subscribing: \(liveSubscribers)/\(configuration.totalSubscribers) live")
            return liveSubscribers == configuration.totalSubscribers || failure != nil
        }
        progress.clear()
        try throwIfFailed()
        if !live {
            throw BenchError("only \(liveSubscribers) of \(configuration.totalSubscribers) subscribers had their `connected` event within \(configuration.connectTimeout) s")
        }
    }

    /// Opens every worker's keep-alive connection before the clock starts.
    func openWorkers() throws {
        for index in 0..<configuration.concurrency {
            let connection = RESTClient(loop: loop, address: configuration.address)
            do {
                try connection.open()
            } catch let failure as ConnectionFailure {
                throw BenchError("worker \(index + 1): \(failure.describe(configuration.address))")
            }
            let campaign = index % configuration.campaignIDs.count
            workers.append(LoadWorker(index: index, connection: connection, campaign: campaign,
                                      campaignID: configuration.campaignIDs[campaign], phases: phaseIDs[campaign]))
        }
        let ready = loop.run(deadline: min(runDeadline, Clock.now() + 10_000_000_000)) {
            workers.allSatisfy(\.connection.isConnected) || failure != nil
        }
        try throwIfFailed()
        if !ready { throw BenchError("the worker connections to \(configuration.address) did not open within 10 s") }
    }
}
