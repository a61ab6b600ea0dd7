import Foundation

extension LoadRun {
    func makeResult() -> LoadResult {
        let seconds = max(0.001, Double(loadEndedAt - loadStartedAt) / 1e9)
        let routes = LoadRoute.allCases.map { route in
            LoadResult.RouteFigures(
                route: route.name, requests: requests[route.rawValue], succeeded: successes[route.rawValue],
                requestsPerSecond: Double(requests[route.rawValue]) / seconds,
                latency: LatencySummary(latencies[route.rawValue]),
                statuses: Dictionary(uniqueKeysWithValues: statuses[route.rawValue].map { ("\($0.key)", $0.value) }))
        }
        var errors: [String: Int] = [:]
        for route in LoadRoute.allCases {
            for (status, count) in statuses[route.rawValue] where !route.successStatuses.contains(status) {
                errors["\(status)", default: 0] += count
            }
        }
        let missing = matcher.missing
        let duplicates = matcher.duplicates + duplicateIDs
        var problems: [String] = []
        if missing > 0 { problems.append("\(missing) events of successful writes never reached a subscriber") }
        if duplicates > 0 { problems.append("\(duplicates) duplicate events") }
        if outOfOrder > 0 { problems.append("\(outOfOrder) events out of order") }
        if subscriberDisconnects > 0 {
            problems.append("\(subscriberDisconnects) subscriber streams ended during the run (first: \(firstDisconnectReason ?? "?"))")
        }
        if let failure { problems.append(failure.description) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let total = requests.reduce(0, +)
        return LoadResult(
            tool: "campaign-bench load", startedAt: formatter.string(from: startedAt), command: configuration.commandLine,
            url: "http://\(configuration.address.hostHeader)", campaignId: configuration.campaignID,
            campaigns: configuration.campaignIDs.count,
            concurrency: configuration.concurrency, subscribers: configuration.totalSubscribers,
            mix: configuration.mix.description, durationSeconds: seconds,
            requests: total, requestsPerSecond: Double(total) / seconds, routes: routes,
            errorsByStatus: errors, transportErrors: transportErrors,
            writesSucceeded: matcher.writes.count, unchangedWrites: unchangedWrites, expectedEvents: matcher.expectedDeliveries,
            missingEvents: missing, duplicateEvents: duplicates, outOfOrder: outOfOrder,
            unmatchedEvents: matcher.unmatched, historyUpdates: historyUpdates,
            subscriberDisconnects: subscriberDisconnects, otherEvents: otherEvents, problems: problems)
    }
}
