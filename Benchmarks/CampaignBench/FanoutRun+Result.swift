import Foundation

extension FanoutRun {
    /// Turns the run's counters into its figures and the list of what went wrong.
    func makeResult() -> FanoutResult {
        let timeline = (0..<configuration.events).map { timing(of: $0) }
        let lastTimes = timeline.compactMap(\.lastMilliseconds).sorted()
        let lags = zip(dueTimes, publishTimes).filter { $0.0 != 0 && $0.1 != 0 }
            .map { Self.milliseconds($0.1, since: $0.0) }.sorted()
        var problems: [String] = []
        if delivered < expected { problems.append("\(expected - delivered) of \(expected) deliveries missing") }
        if delivered > expected { problems.append("\(delivered - expected) deliveries more than expected") }
        if duplicates > 0 { problems.append("\(duplicates) duplicate events (same id twice on one client)") }
        if outOfOrder > 0 { problems.append("\(outOfOrder) events out of order") }
        if disconnects > 0 {
            problems.append("\(disconnects) streams ended during the run (first: \(firstDisconnectReason ?? "?"))")
        }
        if eventsWithoutID > 0 { problems.append("\(eventsWithoutID) task-created events without an id") }
        if let failure { problems.append(failure.description) }

        var server: FanoutResult.ServerFigures?
        if let sampler, let before = residentBefore, let live = residentLive,
           let cpuBefore = serverCPUBefore, let cpuAfter = serverCPUAfter {
            let cpu = cpuAfter - cpuBefore
            server = FanoutResult.ServerFigures(
                pid: sampler.pid, residentBytesBefore: before, residentBytesLive: live,
                residentBytesPerConnection: Double(live - before) / Double(configuration.clients),
                cpuSecondsDuringPublish: cpu,
                cpuMicrosecondsPerDelivery: delivered > 0 ? cpu * 1e6 / Double(delivered) : nil)
        }
        let clientCPU = clientCPUAfter - clientCPUBefore
        let lastPublish = publishTimes.max() ?? publishStartAt
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return FanoutResult(
            tool: "campaign-bench fanout",
            startedAt: formatter.string(from: startedAt),
            command: configuration.commandLine,
            url: "http://\(configuration.address.hostHeader)",
            campaignId: configuration.campaignID,
            campaignsPerStream: max(1, campaigns.count),
            clients: configuration.clients,
            events: configuration.events,
            rate: configuration.rate,
            closedLoop: configuration.closedLoop,
            sourceAddresses: configuration.address.sourceAddresses(count: configuration.sourceAddresses).compactMap { $0 },
            delivered: delivered, expected: expected, duplicates: duplicates, outOfOrder: outOfOrder,
            disconnects: disconnects, historyUpdates: historyUpdates, foreignEvents: foreignEvents,
            connectMilliseconds: Self.milliseconds(allLiveAt, since: connectStartedAt),
            latency: LatencySummary(latency),
            timeToLastClient: FanoutResult.Spread(p50: Self.median(lastTimes) ?? 0, max: lastTimes.last ?? 0),
            publishMilliseconds: Self.milliseconds(lastPublish, since: publishStartAt),
            publishLag: FanoutResult.Spread(p50: Self.median(lags) ?? 0, max: lags.last ?? 0),
            measureMilliseconds: Self.milliseconds(completedAt, since: publishStartAt),
            server: server,
            clientCPUSeconds: clientCPU,
            clientCPUMicrosecondsPerDelivery: delivered > 0 ? clientCPU * 1e6 / Double(delivered) : nil,
            problems: problems,
            timeline: timeline,
            latencyDistribution: LatencySummary.curve(latency))
    }

    private func timing(of index: Int) -> FanoutResult.EventTiming {
        let published = publishTimes[index]
        let sorted = arrivals[index].sorted()
        func ms(_ microseconds: UInt32?) -> Double? { microseconds.map { Double($0) / 1000 } }
        return FanoutResult.EventTiming(
            index: index + 1,
            eventId: eventIDs[index],
            publishedAt: published == 0 ? 0 : Self.milliseconds(published, since: publishStartAt),
            responseMilliseconds: responseTimes[index] == 0 ? nil : Self.milliseconds(responseTimes[index], since: published),
            deliveries: sorted.count,
            firstMilliseconds: ms(sorted.first),
            medianMilliseconds: sorted.isEmpty ? nil : ms(sorted[sorted.count / 2]),
            lastMilliseconds: ms(sorted.last))
    }

    static func milliseconds(_ end: UInt64, since start: UInt64) -> Double {
        end > start ? Double(end - start) / 1e6 : 0
    }

    static func median(_ sorted: [Double]) -> Double? {
        sorted.isEmpty ? nil : sorted[sorted.count / 2]
    }
}
