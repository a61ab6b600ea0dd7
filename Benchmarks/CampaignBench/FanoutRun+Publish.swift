import Foundation

extension FanoutRun {
    /// Creates the tasks on schedule and serves the streams until every delivery has arrived,
    /// the settle time after the last answer has passed, or the run's timeout.
    func publishAndCollect() throws {
        let total = configuration.events
        let interval: UInt64 = configuration.rate.map { UInt64(1_000_000_000 / $0) } ?? 0
        let requests = (0..<total).map { makeCreateRequest(index: $0) }
        serverCPUBefore = try sampler?.cpuSeconds()
        clientCPUBefore = ProcessSampler.ownCPUSeconds()
        publishStartAt = Clock.now()

        // Closed loop: an event's slot starts when the one before it has reached every client still
        // connected, and no earlier than `interval` after the previous slot.
        var closedLoopDue: UInt64 = 0
        func due(_ index: Int) -> UInt64 {
            guard configuration.closedLoop else { return publishStartAt + UInt64(index) * interval }
            return index == 0 ? publishStartAt : closedLoopDue
        }
        func mayScheduleNext() -> Bool {
            guard configuration.closedLoop, nextToSchedule > 0 else { return true }
            let previous = nextToSchedule - 1
            guard responseTimes[previous] != 0, arrivals[previous].count + disconnects >= configuration.clients else { return false }
            if closedLoopDue <= dueTimes[previous] {
                closedLoopDue = max(dueTimes[previous] + interval, Clock.now())
            }
            return true
        }
        var wakeScheduledFor = -1

        func publishDue() {
            let now = Clock.now()
            while nextToSchedule < total && mayScheduleNext() && due(nextToSchedule) <= now {
                dueTimes[nextToSchedule] = due(nextToSchedule)
                publishQueue.append(nextToSchedule)
                nextToSchedule += 1
            }
            if nextToSchedule < total && wakeScheduledFor != nextToSchedule && mayScheduleNext() {
                wakeScheduledFor = nextToSchedule
                loop.schedule(at: due(nextToSchedule)) {}  // only to wake the loop on time
            }
            dispatchQueue(requests)
        }

        publishDue()
        let finished = loop.run(deadline: runDeadline) {
            publishDue()
            progress.update("publishing: \(answered)/\(total) created, \(delivered)/\(expected) delivered")
            if failure != nil { return true }
            guard answered == total else { return false }
            return delivered >= expected || Clock.now() >= lastAnsweredAt + Clock.nanoseconds(seconds: configuration.settle)
        }
        completedAt = Clock.now()
        serverCPUAfter = try sampler?.cpuSeconds()
        clientCPUAfter = ProcessSampler.ownCPUSeconds()
        progress.clear()
        try throwIfFailed()
        if !finished {
            fail("the run timed out after \(configuration.timeout) s (--timeout) with \(answered)/\(total) creates answered")
        }
        // A short linger catches a duplicate sent right after the last expected delivery.
        if finished && delivered >= expected { loop.idle(seconds: 0.2) }
    }

    private func dispatchQueue(_ requests: [[UInt8]]) {
        for publisher in publishers where publisher.isIdle && !publishQueue.isEmpty && failure == nil {
            let index = publishQueue.removeFirst()
            publisher.send(requests[index], onWrite: { [unowned self] in
                publishTimes[index] = Clock.now()
            }, completion: { [unowned self] result in
                handleCreateAnswer(index: index, result: result)
                dispatchQueue(requests)
            })
        }
    }

    private func handleCreateAnswer(index: Int, result: Result<RESTClient.Response, ConnectionFailure>) {
        let path = "POST /api/campaigns/\(configuration.campaignID)/tasks"
        switch result {
        case .failure(let failure):
            fail("\(path): \(failure.describe(configuration.address))")
        case .success(let response):
            switch response.head.status {
            case 200, 201:
                responseTimes[index] = Clock.now()
                answered += 1
                lastAnsweredAt = responseTimes[index]
            case 401:
                fail("the token was refused (401 Unauthorized) creating a task: \(Snapshot.message(response))")
            case 403:
                fail("the token may not create tasks in campaign \(configuration.campaignID) (403 Forbidden; it needs role editor or admin): \(Snapshot.message(response))")
            case 503:
                fail("\(path) answered 503 (\(Snapshot.message(response))): if the server is at its connection limit, this run needs MAX_CONNECTIONS of at least \(connectionsNeeded) (clients + publishers + 1)")
            default:
                fail("\(path) answered \(response.head.status) \(response.head.reason): \(Snapshot.message(response))")
            }
        }
    }

    private func makeCreateRequest(index: Int) -> [UInt8] {
        let id = UUID().uuidString.lowercased()
        taskIndexByID[id] = index
        let campaign = campaigns[index % campaigns.count]
        let body = #"{"id":"\#(id)","phaseId":"\#(campaign.phaseID)","title":"bench-\#(index + 1)"}"#
        return HTTPRequest.encode(method: "POST", path: "/api/campaigns/\(campaign.id)/tasks",
                                  address: configuration.address, token: configuration.token,
                                  body: Array(body.utf8))
    }
}
