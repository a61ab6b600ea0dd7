import Foundation

extension AbuseRun {
    /// Turns the counters into the figures and the list of what went wrong.
    func makeResult() -> AbuseResult {
        let matcher = probe.matcher
        let probeFigures = AbuseResult.ProbeFigures(
            writesDue: probe.writesDue, writesAnswered: probe.writesAnswered, writesSucceeded: matcher.writes.count,
            writeLatency: LatencySummary(probe.writeLatency), deliveryLatency: LatencySummary(probe.deliveryLatency),
            missingEvents: matcher.missing, duplicateEvents: matcher.duplicates + probe.duplicateIDs,
            outOfOrder: probe.outOfOrder, maximumLagMilliseconds: Double(probe.maximumLag) / 1e6,
            slowestWrites: Self.slowest(probe.writeSamples, count: 10),
            writes: Self.inOrder(probe.writeSamples),
            firstWriteMonotonicSeconds: probe.writeSamples.map(\.sentAt).min().map { Double($0) / 1e9 },
            errors: probe.errors, errorCount: probe.errors.values.reduce(0, +))
        let server = memory?.figures
        let baseline = configuration.baselineP99.map { idle in
            AbuseResult.BaselineComparison(
                writeP99Ratio: Self.ratio(probeFigures.writeLatency.p99, idle.write),
                deliveryP99Ratio: Self.ratio(probeFigures.deliveryLatency.p99, idle.delivery))
        }

        var problems: [String] = []
        if let server {
            if server.exited { problems.append("the server process (pid \(server.pid)) was gone by the end of the run") }
            if server.growthBytes > configuration.maximumGrowthBytes {
                problems.append("the server's RSS grew by \(Format.mib(server.growthBytes)), more than --max-rss-growth \(Format.mib(configuration.maximumGrowthBytes))")
            }
        }
        if probeFigures.writesSucceeded == 0 { problems.append("no probe write succeeded") }
        if !probeFigures.exactlyOnce {
            problems.append("probe events: \(probeFigures.missingEvents) missing, \(probeFigures.duplicateEvents) duplicate, \(probeFigures.outOfOrder) out of order")
        }
        if probeFigures.errorCount > 0 { problems.append("the probe met \(probeFigures.errorCount) errors") }
        if let baseline {
            let worst = max(baseline.writeP99Ratio, baseline.deliveryP99Ratio)
            if worst > configuration.maximumP99Ratio {
                problems.append(String(format: "the probe's p99 is %.2f× its idle figure (--max-p99-ratio %g)", worst, configuration.maximumP99Ratio))
            }
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return AbuseResult(
            tool: "campaign-bench abuse", startedAt: formatter.string(from: startedAt), command: configuration.commandLine,
            url: "http://\(configuration.address.hostHeader)", campaignId: configuration.campaignID,
            scenario: configuration.scenario, attackers: configuration.attackers,
            attackPriority: configuration.scenario == .none ? nil : configuration.attackPriority,
            historyTasks: configuration.historyTasks, durationSeconds: configuration.duration,
            probeIntervalSeconds: configuration.probeInterval, server: server, probe: probeFigures, attack: attackCounts,
            baseline: baseline, problems: problems)
    }

    private static func slowest(_ samples: [(sentAt: UInt64, microseconds: UInt64)], count: Int) -> [AbuseResult.WriteSample] {
        Array(inOrder(samples).sorted { $0.milliseconds > $1.milliseconds }.prefix(count))
    }

    private static func inOrder(_ samples: [(sentAt: UInt64, microseconds: UInt64)]) -> [AbuseResult.WriteSample] {
        guard let first = samples.map(\.sentAt).min() else { return [] }
        return samples.sorted { $0.sentAt < $1.sentAt }.map {
            AbuseResult.WriteSample(secondsIntoRun: Double($0.sentAt - first) / 1e9, milliseconds: Double($0.microseconds) / 1000)
        }
    }

    private static func ratio(_ value: Double, _ idle: Double) -> Double {
        idle > 0 ? value / idle : 0
    }
}
