/// Checks what every subscriber received against the campaign's event log: every event after the
/// subscriber's first `connected`, exactly once and in id order, except those a `resync` covers, whose
/// snapshot must then equal the database as of its `lastEventId`.
struct ChaosVerdict {
    private(set) var result = ChaosResult()

    init(run: ChaosRun, log: ChaosEventLog, finalSnapshots: [[Snapshot?]]) {
        let configuration = run.configuration
        result.instances = configuration.addresses.count
        result.subscribers = run.subscribers.count
        result.campaigns = configuration.campaignIDs.count
        result.writeSeconds = Double(run.writesEnded - run.writesStarted) / 1e9
        result.faultsInjected = log.faults.count
        result.connections = run.subscribers.reduce(0) { $0 + $1.connections }
        result.failovers = run.subscribers.reduce(0) { $0 + $1.failovers }
        result.churned = run.churned
        result.streamRefusals = run.streamRefusals
        result.overloadedEvents = run.overloadedEvents
        result.writeOutcomes = run.writeOutcomes
        result.writesSkipped = run.writesSkipped

        // Events committed during the run: those after the earliest start of each campaign's subscribers.
        var earliestStart = Array(repeating: Int64.max, count: result.campaigns)
        for subscriber in run.subscribers {
            earliestStart[subscriber.campaign] = min(earliestStart[subscriber.campaign], subscriber.startEventID ?? 0)
        }
        for campaign in 0..<result.campaigns {
            result.eventsCommitted += log.events[campaign].count - log.firstIndex(after: earliestStart[campaign], campaign: campaign)
        }

        for subscriber in run.subscribers { check(subscriber, log: log) }
        for (campaign, snapshots) in finalSnapshots.enumerated() {
            for snapshot in snapshots {
                let newest = max(0, log.newestEventID(campaign: campaign))
                if snapshot == nil || snapshot!.taskVersions != log.tasks[campaign] || snapshot!.lastEventId != newest {
                    result.finalSnapshotMismatches += 1
                }
            }
        }
        result.recoveries = log.faults.map { recovery(after: $0, subscribers: run.subscribers, log: log) }
    }

    private mutating func check(_ subscriber: ChaosSubscriber, log: ChaosEventLog) {
        let campaign = subscriber.campaign
        let events = log.events[campaign]
        let known = Set(events.lazy.map(\.id))
        var seen = Set<Int64>()
        var segmentStart = subscriber.startEventID ?? 0
        result.expectedDeliveries += events.count - log.firstIndex(after: segmentStart, campaign: campaign)
        if subscriber.upToDateThrough < log.newestEventID(campaign: campaign) { result.unsettledSubscribers += 1 }
        let boundaries = subscriber.resyncs.map(\.position) + [subscriber.eventIDs.count]
        var from = 0
        for (segment, to) in boundaries.enumerated() {
            var previous = Int64.min
            var newestInSegment = segmentStart
            for id in subscriber.eventIDs[from..<to] {
                guard known.contains(id) else {
                    result.foreign += 1
                    continue
                }
                guard seen.insert(id).inserted else {
                    result.duplicated += 1
                    continue
                }
                result.delivered += 1
                if id < previous { result.outOfOrder += 1 }
                previous = max(previous, id)
                newestInSegment = max(newestInSegment, id)
            }
            let isLast = segment == boundaries.count - 1
            // Before a resync, the events after the last one received are the resync's to cover.
            let through = isLast ? log.newestEventID(campaign: campaign) : newestInSegment
            for event in events[log.firstIndex(after: segmentStart, campaign: campaign)...] where event.id <= through {
                if !seen.contains(event.id) { result.lost += 1 }
            }
            if !isLast {
                let resync = subscriber.resyncs[segment]
                result.resyncs += 1
                result.resyncReasons[resync.reason, default: 0] += 1
                if let snapshot = resync.snapshot {
                    if snapshot.taskVersions != log.taskVersions(campaign: campaign, through: snapshot.lastEventId) {
                        result.snapshotMismatches += 1
                    }
                    segmentStart = max(newestInSegment, snapshot.lastEventId)
                } else {
                    result.snapshotMismatches += 1
                    segmentStart = newestInSegment
                }
            }
            from = to
        }
    }

    /// The time from the fault's end until every subscriber had received an event created after that end.
    private func recovery(after fault: ChaosEventLog.Fault, subscribers: [ChaosSubscriber], log: ChaosEventLog) -> ChaosResult.Recovery {
        var longest: Int64 = 0
        var without = 0
        for subscriber in subscribers {
            // Arrivals only grow, so the search can start at the first arrival after the fault's end.
            var low = 0, high = subscriber.arrivals.count
            while low < high {
                let middle = (low + high) / 2
                if subscriber.arrivals[middle] < fault.endMilliseconds { low = middle + 1 } else { high = middle }
            }
            var found: Int64?
            for position in low..<subscriber.arrivals.count {
                if let created = log.createdByID[subscriber.eventIDs[position]], created >= fault.endMilliseconds {
                    found = subscriber.arrivals[position]
                    break
                }
            }
            if let found { longest = max(longest, found - fault.endMilliseconds) } else { without += 1 }
        }
        return ChaosResult.Recovery(fault: fault.name, seconds: Double(fault.endMilliseconds - fault.startMilliseconds) / 1000,
                                    startMilliseconds: fault.startMilliseconds, endMilliseconds: fault.endMilliseconds,
                                    recoverySeconds: without == 0 ? Double(longest) / 1000 : nil,
                                    subscribersWithoutFreshEvent: without)
    }
}
