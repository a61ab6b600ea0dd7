import CampaignModel

/// The in-memory store's event log: ids increase in commit order (the store's lock is the commit),
/// retention is bounded, and per campaign it remembers the highest pruned id, as the PostgreSQL
/// store's `campaign_event_retention` table does.
struct InMemoryEventLog {
    struct Entry {
        var event: CampaignEvent
        var recordedAt: Timestamp
        /// What the entry counts against the byte budget.
        var bytes: Int
    }

    /// Counted per event on top of its data and campaign id: the entry, its strings' headers and the
    /// array slot, roughly, so that many tiny events are not free.
    static let entryOverheadBytes = 128

    /// Retained events, oldest first; `entries[start...]` are live (the prefix is dropped lazily).
    private var entries: [Entry] = []
    private var start = 0
    private(set) var nextId: Int64 = 1
    private var latestByCampaign: [String: Int64] = [:]
    private var prunedThroughByCampaign: [String: Int64] = [:]
    /// Appended since the last `takePending()`: what the current commit publishes.
    private var pending: [CampaignEvent] = []

    var count: Int { entries.count - start }
    /// The byte size of the live entries (event data and campaign id, plus `entryOverheadBytes` each).
    private(set) var retainedBytes = 0

    /// Draws the next id (ids are drawn in pairs by a write: the task event, then `history-update`).
    mutating func makeId() -> Int64 {
        defer { nextId += 1 }
        return nextId
    }

    mutating func append(_ event: CampaignEvent, at time: Timestamp) {
        let bytes = event.data.utf8.count + event.campaignId.utf8.count + Self.entryOverheadBytes
        entries.append(Entry(event: event, recordedAt: time, bytes: bytes))
        retainedBytes += bytes
        latestByCampaign[event.campaignId] = event.id
        pending.append(event)
    }

    mutating func takePending() -> [CampaignEvent] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    /// The newest id of the campaign, also when its events were all pruned (0 when it has none).
    func latestId(campaignId: String) -> Int64 { latestByCampaign[campaignId] ?? 0 }

    func replay(campaignId: String, after: Int64, limit: Int) -> EventReplay {
        if let prunedThrough = prunedThroughByCampaign[campaignId], after < prunedThrough { return .expired }
        guard limit > 0 else { return .events([]) }
        var result: [CampaignEvent] = []
        for entry in entries[firstIndex(after: after)...] where entry.event.campaignId == campaignId {
            result.append(entry.event)
            if result.count == limit { break }
        }
        return .events(result)
    }

    /// Drops a prefix of the log: every event recorded before `olderThan`, beyond the newest
    /// `keepingAtMost`, and as many of the oldest as it takes to fit `keepingBytesAtMost`.
    /// Returns how many were dropped.
    mutating func prune(olderThan: Timestamp?, keepingAtMost: Int, keepingBytesAtMost: Int = .max) -> Int {
        var cutoff = start
        let keep = max(0, keepingAtMost)
        if count > keep { cutoff = entries.count - keep }
        var bytesAfterCutoff = retainedBytes - entries[start..<cutoff].reduce(0) { $0 + $1.bytes }
        while bytesAfterCutoff > keepingBytesAtMost, cutoff < entries.count {
            bytesAfterCutoff -= entries[cutoff].bytes
            cutoff += 1
        }
        if let olderThan {
            // A prefix only, so "every id after N" stays exact even if the clock stepped back.
            var index = start
            while index < entries.count, entries[index].recordedAt < olderThan { index += 1 }
            cutoff = max(cutoff, index)
        }
        guard cutoff > start else { return 0 }
        for index in start..<cutoff {
            prunedThroughByCampaign[entries[index].event.campaignId] = entries[index].event.id
            retainedBytes -= entries[index].bytes
            // Dropped entries are never read again (every read starts at `start`): their payload goes
            // now, not at the next compaction, so the byte budget bounds the memory actually held.
            entries[index].event.data = ""
        }
        let dropped = cutoff - start
        start = cutoff
        if start > 1024 && start * 2 > entries.count {
            entries.removeFirst(start)
            start = 0
        }
        return dropped
    }

    /// The index of the first live entry with an id greater than `after` (ids ascend: binary search).
    private func firstIndex(after: Int64) -> Int {
        var low = start
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].event.id <= after { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
