import Foundation

extension ChaosResult {
    /// The summary row the issue asks for, then the recovery of each fault and the counts behind them.
    var table: String {
        var lines: [String] = []
        lines.append("chaos-watch: \(instances) instances, \(subscribers) subscribers over \(campaigns) campaigns, "
                     + String(format: "%.0f s of writes", writeSeconds))
        lines.append("")
        lines.append("| faults injected | events committed | delivered | lost | duplicated | out of order | resyncs | longest recovery |")
        lines.append("|---:|---:|---:|---:|---:|---:|---:|---|")
        let longest = longestRecovery.map { recovery in
            recovery.recoverySeconds.map { String(format: "%.1f s (%@)", $0, recovery.fault) } ?? "none (\(recovery.fault))"
        } ?? "n/a"
        lines.append("| \(faultsInjected) | \(eventsCommitted) | \(delivered) | \(lost) | \(duplicated) | \(outOfOrder) | \(resyncs) | \(longest) |")
        if !recoveries.isEmpty {
            lines.append("")
            lines.append("| fault | lasted | recovery (every subscriber has a fresh event) |")
            lines.append("|---|---:|---:|")
            for recovery in recoveries {
                let value = recovery.recoverySeconds.map { String(format: "%.1f s", $0) }
                    ?? "\(recovery.subscribersWithoutFreshEvent) subscribers got none"
                lines.append("| \(recovery.fault) | \(String(format: "%.1f s", recovery.seconds)) | \(value) |")
            }
        }
        lines.append("")
        lines.append("deliveries due \(expectedDeliveries); foreign ids \(foreign); resync snapshots unlike the database \(snapshotMismatches)"
                     + (resyncReasons.isEmpty ? "" : " (reasons: \(Self.list(resyncReasons)))"))
        lines.append("final snapshots unlike the database \(finalSnapshotMismatches); subscribers not caught up \(unsettledSubscribers)")
        lines.append("stream connections \(connections) (failovers \(failovers), churned \(churned)); refused streams: "
                     + (streamRefusals.isEmpty ? "none" : Self.list(streamRefusals)) + "; overloaded events \(overloadedEvents)")
        lines.append("REST writes by answer: \(Self.list(writeOutcomes)); ticks skipped (every writer busy) \(writesSkipped)")
        lines.append(isClean ? "verdict: every subscriber received every event exactly once, in order, or resynced to the database"
                             : "verdict: FAILED (see the figures above)")
        return lines.joined(separator: "\n")
    }

    private static func list(_ counts: [String: Int]) -> String {
        counts.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
    }
}
