import Foundation

/// The subscribers behave as browsers do: on any end of the stream they wait the server's `retry:` delay and
/// resume with `Last-Event-ID`; a refused connection sends them to another instance (as a load balancer
/// would); a `resync` makes them fetch the snapshot.
extension ChaosRun: SSEClientDelegate {
    func connect(_ subscriber: ChaosSubscriber) {
        subscriber.reconnecting = false
        let address = configuration.addresses[subscriber.instance]
        var headers = [("Accept", "text/event-stream")]
        if let last = subscriber.lastEventID, subscriber.connections > 0 { headers.append(("Last-Event-ID", String(last))) }
        let request = HTTPRequest.encode(method: "GET", path: "/api/events/\(configuration.campaignIDs[subscriber.campaign])",
                                         address: address, token: nil, headers: headers)
        subscriber.connections += 1
        do {
            subscriber.client = try SSEClient(index: subscriber.index, loop: loop, delegate: self, request: request,
                                              address: address, source: sources[subscriber.index % sources.count])
        } catch {
            subscriber.client = nil
            failOver(subscriber)
            scheduleReconnect(subscriber)
        }
    }

    func sseClient(_ client: SSEClient, didReceive event: SSEEvent, at arrival: UInt64) {
        let subscriber = subscribers[client.index]
        guard subscriber.client === client else { return }
        switch event.type {
        case .connected:
            if subscriber.startEventID == nil {
                subscriber.startEventID = Self.number(named: "lastEventId", in: event.data) ?? 0
                subscribedCount += 1
            }
        case .resync:
            let reason = Self.text(named: "reason", in: event.data) ?? "unknown"
            let resync = ChaosSubscriber.Resync(position: subscriber.eventIDs.count, reason: reason)
            subscriber.resyncs.append(resync)
            fetchSnapshot(for: subscriber, resync: resync)
        case .overloaded:
            overloadedEvents += 1
        default:
            guard let id = event.id else { return }
            subscriber.eventIDs.append(id)
            subscriber.arrivals.append(Clock.wallMilliseconds())
        }
    }

    func sseClient(_ client: SSEClient, didEndWith failure: ConnectionFailure) {
        let subscriber = subscribers[client.index]
        guard subscriber.client === client else { return }
        subscriber.client = nil
        if let retry = client.retryMilliseconds { subscriber.retryMilliseconds = retry }
        // Whatever ended the stream (a refused connect, a shutdown's close, a reset), the resume goes to the
        // next instance, as behind a load balancer that takes a draining instance out of rotation.
        if case .status(let head, _) = failure {
            // Streams never answer 503 or another error to a valid request: a browser would stop for good.
            streamRefusals["\(head.status)", default: 0] += 1
        }
        failOver(subscriber)
        scheduleReconnect(subscriber)
    }

    /// Drops `count` random live streams (a network blip) that then resume as any other.
    func churn(count: Int) {
        for _ in 0..<count {
            let subscriber = subscribers[Int.random(in: 0..<subscribers.count)]
            guard let client = subscriber.client, !subscriber.reconnecting else { continue }
            if let retry = client.retryMilliseconds { subscriber.retryMilliseconds = retry }
            client.close()
            subscriber.client = nil
            churned += 1
            scheduleReconnect(subscriber)
        }
    }

    private func failOver(_ subscriber: ChaosSubscriber) {
        guard configuration.addresses.count > 1 else { return }
        subscriber.instance = (subscriber.instance + 1) % configuration.addresses.count
        subscriber.failovers += 1
    }

    private func scheduleReconnect(_ subscriber: ChaosSubscriber) {
        guard !subscriber.reconnecting else { return }
        subscriber.reconnecting = true
        let delay = UInt64(subscriber.retryMilliseconds) * 1_000_000
        loop.schedule(at: Clock.now() + delay) { [unowned self] in
            if subscriber.reconnecting { connect(subscriber) }
        }
    }

    /// Fetches the campaign's snapshot after a `resync`, from the subscriber's instance, once a second until it has one.
    private func fetchSnapshot(for subscriber: ChaosSubscriber, resync: ChaosSubscriber.Resync) {
        guard resync.snapshot == nil, resync.attempts < 120 else { return }
        resync.attempts += 1
        let address = configuration.addresses[subscriber.instance]
        let fetcher = resync.fetcher ?? RESTClient(loop: loop, address: address)
        resync.fetcher = fetcher
        let request = HTTPRequest.encode(method: "GET", path: "/api/campaigns/\(configuration.campaignIDs[subscriber.campaign])/execution",
                                         address: address, token: nil)
        fetcher.send(request) { [unowned self] result in
            if case .success(let response) = result, response.head.status == 200,
               let snapshot = try? Snapshot(json: response.body) {
                resync.snapshot = snapshot
                fetcher.close()
                resync.fetcher = nil
            } else {
                fetcher.close()
                resync.fetcher = nil
                loop.schedule(at: Clock.now() + 1_000_000_000) { [unowned self] in fetchSnapshot(for: subscriber, resync: resync) }
            }
        }
    }

    private static func object(_ data: [UInt8]) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any]
    }

    static func number(named key: String, in data: [UInt8]) -> Int64? {
        (object(data)?[key] as? NSNumber)?.int64Value
    }

    static func text(named key: String, in data: [UInt8]) -> String? {
        object(data)?[key] as? String
    }
}
