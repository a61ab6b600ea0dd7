import Foundation

/// Steady REST writes through every instance: one writer (a keep-alive connection with at most one request
/// in flight) per instance and campaign, taking turns at `writeRate` a second. A tick whose writers are all
/// still waiting (an instance or the database stalled) is skipped, so the pace holds and nothing queues up.
extension ChaosRun {
    func writeUntilStopped() {
        for address in configuration.addresses {
            for (campaign, campaignID) in configuration.campaignIDs.enumerated() {
                let connection = RESTClient(loop: loop, address: address)
                writers.append(LoadWorker(index: writers.count, connection: connection, campaign: campaign,
                                          campaignID: campaignID, phases: phasesByCampaign[campaign]))
            }
        }
        writing = true
        writesStarted = Clock.now()
        let interval = UInt64(1e9 / configuration.writeRate)
        let ends = writesStarted + Clock.nanoseconds(seconds: configuration.maximumDuration)
        scheduleWrite(at: writesStarted, interval: interval)
        var nextCheck = writesStarted
        var churnOwed = 0.0
        let stopFile = file("stop").path
        loop.run(deadline: ends) {
            let now = Clock.now()
            if now >= nextCheck {
                nextCheck = now + 1_000_000_000
                churnOwed += configuration.churn
                if churnOwed >= 1 {
                    churn(count: Int(churnOwed))
                    churnOwed -= Double(Int(churnOwed))
                }
                let elapsed = Double(now - writesStarted) / 1e9
                let ok = writeOutcomes.filter { $0.key.hasPrefix("2") }.values.reduce(0, +)
                progress.update(String(format: "writing: %.0f s, %d writes answered 2xx, %d subscribers reconnecting",
                                       elapsed, ok, subscribers.filter { $0.client == nil }.count))
                if FileManager.default.fileExists(atPath: stopFile) { return true }
            }
            return false
        }
        writing = false
        writesEnded = Clock.now()
        // The writes still in flight are answered within the server's own timeouts.
        loop.run(deadline: Clock.now() + 30_000_000_000) { writers.allSatisfy(\.connection.isIdle) }
        progress.clear()
    }

    /// One write per `interval` on the loop's timers while `writing`; a late tick does not make up for missed ones.
    private func scheduleWrite(at due: UInt64, interval: UInt64) {
        loop.schedule(at: due) { [unowned self] in
            guard writing else { return }
            writeOnce()
            scheduleWrite(at: max(due + interval, Clock.now()), interval: interval)
        }
    }

    private func writeOnce() {
        for _ in 0..<writers.count {
            let writer = writers[writerCursor]
            writerCursor = (writerCursor + 1) % writers.count
            guard writer.connection.isIdle else { continue }
            let next = writer.nextRequest(mix: configuration.mix, address: writer.connection.address, token: "",
                                          maximumTasks: configuration.maximumTasksPerWriter)
            writer.connection.send(next.bytes) { [unowned self] result in
                switch result {
                case .failure:
                    writeOutcomes["no answer", default: 0] += 1
                case .success(let response):
                    writeOutcomes["\(response.head.status)", default: 0] += 1
                    if next.route.successStatuses.contains(response.head.status) {
                        _ = writer.apply(route: next.route, taskIndex: next.taskIndex, response: response)
                    } else if response.head.status == 412 {
                        writer.adoptCurrentVersion(taskIndex: next.taskIndex, response: response)
                    }
                }
            }
            return
        }
        writesSkipped += 1
    }
}
