import Foundation

extension LoadResult {
    /// The readable summary printed on stdout.
    var table: String {
        var lines = [
            "campaign-bench load: \(url), " + (campaigns == 1 ? "campaign \(campaignId)" : "\(campaigns) campaigns from \(campaignId)"),
            "\(concurrency) workers, \(subscribers) subscribers, mix \(mix), \(String(format: "%.1f", durationSeconds)) s",
            "",
            "route".padding(toLength: 44, withPad: " ", startingAt: 0)
                + "requests     req/s      p50       p99       max  ok",
        ]
        for route in routes {
            lines.append(route.route.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: "%8d %9.1f %8.2f %9.2f %9.2f  %d", route.requests, route.requestsPerSecond,
                         route.latency.p50, route.latency.p99, route.latency.max, route.succeeded))
        }
        lines.append("(latency in ms)")
        lines.append("")
        lines.append(Format.row("requests", "\(Format.count(requests)) (\(String(format: "%.1f", requestsPerSecond))/s)"))
        let statusText = errorsByStatus.isEmpty ? "none"
            : errorsByStatus.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        lines.append(Format.row("errors by status", statusText))
        if !transportErrors.isEmpty {
            lines.append(Format.row("transport errors", transportErrors.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")))
        }
        lines.append(Format.row("writes succeeded", Format.count(writesSucceeded)
            + (unchangedWrites > 0 ? " (and \(Format.count(unchangedWrites)) that changed nothing: no event due)" : "")))
        lines.append(Format.row("subscriber events", "\(Format.count(expectedEvents - missingEvents)) / \(Format.count(expectedEvents)) (writes × subscribers of their campaign)"))
        lines.append(Format.row("missing events", "\(missingEvents)"))
        lines.append(Format.row("duplicate events", "\(duplicateEvents)"))
        lines.append(Format.row("out of order", "\(outOfOrder)"))
        if unmatchedEvents > 0 { lines.append(Format.row("other writers' events", "\(unmatchedEvents)")) }
        lines.append(Format.row("history-update events", Format.count(historyUpdates)))
        lines.append("")
        lines.append(problems.isEmpty ? "every successful write reached every subscriber exactly once, in order"
                                      : "PROBLEMS:\n" + problems.map { "  - \($0)" }.joined(separator: "\n"))
        return lines.joined(separator: "\n")
    }
}
