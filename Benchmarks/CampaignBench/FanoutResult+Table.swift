import Foundation

extension FanoutResult {
    /// The readable summary printed on stdout.
    var table: String {
        let mode = (rate.map { String(format: "%g/s", $0) } ?? "burst") + (closedLoop ? ", closed loop" : "")
        var lines = [
            "campaign-bench fanout: \(url), campaign \(campaignId)"
                + (campaignsPerStream > 1 ? " and \(campaignsPerStream - 1) more on each stream (GET /api/events?campaign=…)" : ""),
            "\(Format.count(clients)) clients × \(events) events (\(mode)), sources \(sourceAddresses.isEmpty ? "default" : "\(sourceAddresses.count) addresses")",
            "",
            Format.row("delivered", "\(Format.count(delivered)) / \(Format.count(expected))"),
            Format.row("duplicates", "\(duplicates)"),
            Format.row("out of order", "\(outOfOrder)"),
            Format.row("connect time", "\(Format.ms(connectMilliseconds)) (first connect → all \(Format.count(clients)) live)"),
            Format.row("latency p50", Format.ms(latency.p50)),
            Format.row("latency p90", Format.ms(latency.p90)),
            Format.row("latency p99", Format.ms(latency.p99)),
            Format.row("latency p99.9", Format.ms(latency.p999)),
            Format.row("latency max", Format.ms(latency.max)),
            Format.row("time to last client", "p50 \(Format.ms(timeToLastClient.p50)), max \(Format.ms(timeToLastClient.max)) (per event)"),
            Format.row("publish lag", "p50 \(Format.ms(publishLag.p50)), max \(Format.ms(publishLag.max)) (schedule → request written)"),
        ]
        if let server {
            lines.append(Format.row("server memory", """
                \(Format.kib(server.residentBytesPerConnection)) per connection \
                (RSS \(Format.mib(server.residentBytesBefore)) → \(Format.mib(server.residentBytesLive)) live, idle)
                """))
            let perDelivery = server.cpuMicrosecondsPerDelivery.map { String(format: "%.2f µs per delivery", $0) } ?? "no deliveries"
            lines.append(Format.row("server CPU", "\(perDelivery) (\(String(format: "%.2f", server.cpuSecondsDuringPublish)) s while publishing)"))
        }
        if let perDelivery = clientCPUMicrosecondsPerDelivery {
            lines.append(Format.row("client CPU", String(format: "%.2f µs per delivery (%.2f s, this process)", perDelivery, clientCPUSeconds)))
        }
        lines.append(Format.row("history-update events", Format.count(historyUpdates)))
        if disconnects > 0 { lines.append(Format.row("disconnects", "\(disconnects)")) }
        lines.append("")
        lines.append(problems.isEmpty ? "every event delivered to every client exactly once, in order"
                                      : "PROBLEMS:\n" + problems.map { "  - \($0)" }.joined(separator: "\n"))
        return lines.joined(separator: "\n")
    }
}
