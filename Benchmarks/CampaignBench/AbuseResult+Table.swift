import Foundation

extension AbuseResult {
    /// The readable summary printed on stdout; its last two lines are `rowHeader` and `row`.
    var table: String {
        var lines = [
            "campaign-bench abuse: \(url), campaign \(campaignId)",
            "scenario \(scenario.rawValue) (\(scenario.summary)), \(attackers) attackers"
                + (attackPriority.map { " (priority \($0.rawValue))" } ?? "")
                + ((historyTasks ?? 0) > 0 ? ", \(historyTasks ?? 0) history tasks" : "")
                + ", \(String(format: "%g", durationSeconds)) s, "
                + "probe: 1 stream + 1 create every \(String(format: "%g", probeIntervalSeconds * 1000)) ms",
            "",
        ]
        if let server {
            lines.append(Format.row("server RSS", """
                \(Format.mib(server.residentBytesBefore)) before, peak \(Format.mib(server.residentBytesPeak)) \
                (+\(Format.mib(server.growthBytes))), \(Format.mib(server.residentBytesAfter)) at the end
                """))
            if server.exited { lines.append(Format.row("server process", "GONE by the end of the run (pid \(server.pid))")) }
        } else {
            lines.append(Format.row("server RSS", "not measured (give --server-pid)"))
        }
        lines.append(Format.row("probe writes", "\(probe.writesAnswered) of \(probe.writesDue) answered, \(probe.writesSucceeded) succeeded; lag max \(Format.ms(probe.maximumLagMilliseconds))"))
        lines.append(Format.row("probe write", "p50 \(Format.ms(probe.writeLatency.p50)), p99 \(Format.ms(probe.writeLatency.p99)), max \(Format.ms(probe.writeLatency.max))"))
        lines.append(Format.row("probe delivery", "p50 \(Format.ms(probe.deliveryLatency.p50)), p99 \(Format.ms(probe.deliveryLatency.p99)), max \(Format.ms(probe.deliveryLatency.max))"))
        if let baseline {
            lines.append(Format.row("p99 vs idle", String(format: "write ×%.2f, delivery ×%.2f", baseline.writeP99Ratio, baseline.deliveryP99Ratio)))
        }
        lines.append(Format.row("exactly once", probe.exactlyOnce ? "yes"
            : "NO: \(probe.missingEvents) missing, \(probe.duplicateEvents) duplicate, \(probe.outOfOrder) out of order"))
        lines.append(Format.row("probe errors", probe.errorCount == 0 ? "none"
            : probe.errors.sorted { $0.key < $1.key }.map { "\($0.value)× \($0.key)" }.joined(separator: "; ")))
        if let attack {
            lines.append(Format.row("attack", """
                \(Format.count(attack.requestsSent)) requests (\(Format.mib(attack.bytesSent))), \
                \(Format.count(attack.connectionsOpened)) connections opened, \
                \(Format.count(attack.connectionsClosedByServer)) closed by the server, \
                \(Format.count(attack.connectFailures)) failed connects; stopped by \(attack.stopReason) \
                after \(String(format: "%.1f", attack.seconds)) s
                """))
            if !attack.responsesByStatus.isEmpty {
                lines.append(Format.row("attack answers", attack.responsesByStatus.sorted { $0.key < $1.key }
                    .map { "\($0.key): \(Format.count($0.value))" }.joined(separator: ", ")))
            }
            if attack.overloadedEvents > 0 { lines.append(Format.row("attack overloaded", Format.count(attack.overloadedEvents))) }
        }
        lines.append("")
        lines.append(problems.isEmpty ? "the server stayed up and within bounds; every probe event delivered exactly once, in order"
                                      : "PROBLEMS:\n" + problems.map { "  - \($0)" }.joined(separator: "\n"))
        lines.append("")
        lines.append(Self.rowHeader)
        lines.append(row)
        return lines.joined(separator: "\n")
    }

    /// The column names of `row`.
    static let rowHeader = Self.columns(
        "scenario", "RSS MiB", "peak", "growth", "write p50", "p99", "deliv p50", "p99", "p99 ×idle", "errors", "once",
        "attack reqs", "opened", "closed")

    /// One line with the figures that compare across scenarios (latencies in ms).
    var row: String {
        func mib(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_048_576) }
        func ms(_ value: Double) -> String { String(format: "%.2f", value) }
        let ratio = baseline.map { String(format: "%.1f/%.1f", $0.writeP99Ratio, $0.deliveryP99Ratio) } ?? "-"
        return Self.columns(
            scenario.rawValue,
            server.map { mib($0.residentBytesBefore) } ?? "-", server.map { mib($0.residentBytesPeak) } ?? "-",
            server.map { "+" + mib($0.growthBytes) + ($0.exited ? " GONE" : "") } ?? "-",
            ms(probe.writeLatency.p50), ms(probe.writeLatency.p99),
            ms(probe.deliveryLatency.p50), ms(probe.deliveryLatency.p99), ratio,
            "\(probe.errorCount)", probe.exactlyOnce ? "yes" : "NO",
            attack.map { "\($0.requestsSent)" } ?? "-", attack.map { "\($0.connectionsOpened)" } ?? "-",
            attack.map { "\($0.connectionsClosedByServer)" } ?? "-")
    }

    private static func columns(_ values: String...) -> String {
        let widths = [16, 8, 8, 12, 10, 8, 10, 8, 12, 7, 5, 12, 8, 8]
        return zip(values, widths).map { value, width in
            value.count >= width ? value + " " : value.padding(toLength: width, withPad: " ", startingAt: 0)
        }.joined().trimmingCharacters(in: .whitespaces)
    }
}
