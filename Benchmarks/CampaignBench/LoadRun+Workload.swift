extension LoadRun {
    /// Keeps every worker busy until the duration is over, then lets the last answers come in.
    func runLoad() {
        loadStartedAt = Clock.now()
        loadEndsAt = loadStartedAt + Clock.nanoseconds(seconds: configuration.duration)
        for worker in workers { issue(worker) }
        let finished = loop.run(deadline: runDeadline) {
            let elapsed = Double(Clock.now() - loadStartedAt) / 1e9
            progress.update(String(format: "load: %.1f s, %d requests, %d writes matched on subscribers so far",
                                   elapsed, requests.reduce(0, +), receivedWriteEvents))
            return failure != nil || (Clock.now() >= loadEndsAt && busyWorkers == 0)
        }
        loadEndedAt = Clock.now()
        progress.clear()
        if !finished { fail("the run timed out with \(busyWorkers) requests unanswered") }
    }

    /// After the load: serves the streams until every successful write has reached every subscriber,
    /// or the settle time has passed since the last write was answered.
    func awaitEvents() {
        let expected = matcher.expectedDeliveries
        let deadline = min(runDeadline, max(Clock.now(), lastWriteAnsweredAt) + Clock.nanoseconds(seconds: configuration.settle))
        loop.run(deadline: deadline) { failure != nil || receivedWriteEvents >= expected }
        // A short linger catches a duplicate sent right after the last expected event.
        loop.idle(seconds: 0.2)
    }

    private func issue(_ worker: LoadWorker) {
        guard failure == nil, Clock.now() < loadEndsAt else { return }
        let next = worker.nextRequest(mix: configuration.mix, address: configuration.address, token: configuration.token,
                                      maximumTasks: configuration.maximumTasksPerWorker)
        var sentAt: UInt64 = 0
        busyWorkers += 1
        requests[next.route.rawValue] += 1
        worker.connection.send(next.bytes, onWrite: { sentAt = Clock.now() }) { [unowned self] result in
            let answeredAt = Clock.now()
            busyWorkers -= 1
            record(result, route: next.route, taskIndex: next.taskIndex, worker: worker,
                   microseconds: sentAt == 0 ? 0 : (answeredAt - sentAt) / 1000)
            if next.route.isWrite { lastWriteAnsweredAt = answeredAt }
            if case .failure = result {
                // No answer (refused, reset): retry from the loop after a pause, not by recursing at once.
                loop.schedule(at: answeredAt + 10_000_000) { [unowned self] in issue(worker) }
            } else {
                issue(worker)
            }
        }
    }

    private func record(_ result: Result<RESTClient.Response, ConnectionFailure>, route: LoadRoute, taskIndex: Int?,
                        worker: LoadWorker, microseconds: UInt64) {
        switch result {
        case .failure(let failure):
            transportErrors[failure.describe(configuration.address), default: 0] += 1
        case .success(let response):
            let status = response.head.status
            statuses[route.rawValue][status, default: 0] += 1
            latencies[route.rawValue].record(microseconds)
            if route.successStatuses.contains(status) {
                successes[route.rawValue] += 1
                if let written = worker.apply(route: route, taskIndex: taskIndex, response: response) {
                    if written.changed {
                        matcher.recordWrite(key: EventMatcher.key(taskID: written.id, version: written.version), campaign: worker.campaign)
                    } else {
                        unchangedWrites += 1
                    }
                }
            } else if status == 412 {
                worker.adoptCurrentVersion(taskIndex: taskIndex, response: response)
            } else if status == 401 || status == 403 {
                fail("the token was refused (\(status)) by \(route.name): \(Snapshot.message(response)); writes need role editor or admin")
            }
        }
    }
}
