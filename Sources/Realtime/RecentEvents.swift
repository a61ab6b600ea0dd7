import CampaignModel

/// The newest events a room has broadcast, kept as the wire bytes it already encoded (so answering a
/// resume from memory is one copy, not an encoding per event), bounded in count and bytes, and the id
/// after which they are complete: a resume from at or after that id needs no store read.
struct RecentEvents {
    let maximumCount: Int
    let maximumBytes: Int
    private var ids: [Int64] = []
    /// Where each kept event's frame starts in `bytes`.
    private var offsets: [Int] = []
    private var bytes: [UInt8] = []
    /// Index of the oldest kept event in `ids`/`offsets` (the ones before it were forgotten).
    private var head = 0
    /// Every event of the campaign with an id above this one, up to the newest kept, is kept;
    /// nil until the room knows where the campaign's log stood when it started watching.
    private(set) var completeAfter: Int64?

    init(maximumCount: Int, maximumBytes: Int) {
        self.maximumCount = max(0, maximumCount)
        self.maximumBytes = max(0, maximumBytes)
    }

    var count: Int { ids.count - head }
    private var keptBytes: Int { head < ids.count ? bytes.count - offsets[head] : 0 }

    /// The room learned the campaign's newest id before any event reached it: nothing is missing after it.
    mutating func start(after id: Int64) {
        if completeAfter == nil { completeAfter = id }
    }

    /// Keeps a broadcast batch (ids increasing), forgetting the oldest past the bounds.
    mutating func append(_ frames: EventFrames) {
        guard let completeAfter else { return }
        let newest = head < ids.count ? ids[ids.count - 1] : completeAfter
        guard let first = frames.ids.firstIndex(where: { $0 > newest }) else { return }
        let shift = bytes.count - frames.offsets[first]
        bytes.append(contentsOf: frames.bytes[frames.offsets[first]...])
        for index in first..<frames.ids.count {
            ids.append(frames.ids[index])
            offsets.append(frames.offsets[index] + shift)
        }
        while count > maximumCount || (keptBytes > maximumBytes && count > 0) {
            self.completeAfter = ids[head]
            head += 1
        }
        compactIfWorthIt()
    }

    /// The frames of the events after `after` up to `through`, when memory holds all of them; nil
    /// when it cannot say (the caller reads the store).
    func frames(after: Int64, through: Int64) -> [UInt8]? {
        guard let completeAfter, after >= completeAfter else { return nil }
        let start = firstIndex(above: after)
        let end = firstIndex(above: through)
        guard start < end else { return [] }
        let endOffset = end < ids.count ? offsets[end] : bytes.count
        return Array(bytes[offsets[start]..<endOffset])
    }

    /// Takes in what a store replay read, which ends where memory begins: `pages` hold every event of
    /// the campaign after `after` up to `through` (at or past `completeAfter`). As many of the newest of
    /// them as the bounds leave room for go in front of what is kept, so the next resume from as far
    /// back is a copy, not another store read and encoding. Why: a room remembers only what it has
    /// broadcast, so in a reconnect storm on a campaign with history every resume from its start
    /// read the store and encoded the same few hundred events again.
    mutating func prepend(_ pages: [EventFrames], after: Int64, through: Int64) {
        guard let completeAfter, after < completeAfter, through >= completeAfter else { return }
        // The replayed events memory does not hold yet, oldest first, each with where its frame lies.
        var older: [(id: Int64, page: Int, frame: Range<Int>)] = []
        for (pageIndex, page) in pages.enumerated() {
            for index in page.ids.indices where page.ids[index] <= completeAfter {
                let end = index + 1 < page.ids.count ? page.offsets[index + 1] : page.bytes.count
                older.append((page.ids[index], pageIndex, page.offsets[index]..<end))
            }
        }
        // The newest of them that fit (a suffix: memory stays complete after its first id).
        var first = older.count
        var addedBytes = 0
        while first > 0, count + older.count - first < maximumCount,
              keptBytes + addedBytes + older[first - 1].frame.count <= maximumBytes {
            first -= 1
            addedBytes += older[first].frame.count
        }
        let newCompleteAfter = first == 0 ? after : older[first - 1].id
        guard newCompleteAfter < completeAfter else { return }
        var newBytes: [UInt8] = []
        newBytes.reserveCapacity(addedBytes + keptBytes)
        var newIds: [Int64] = []
        var newOffsets: [Int] = []
        for event in older[first...] {
            newIds.append(event.id)
            newOffsets.append(newBytes.count)
            newBytes.append(contentsOf: pages[event.page].bytes[event.frame])
        }
        if head < ids.count {
            let shift = newBytes.count - offsets[head]
            newBytes.append(contentsOf: bytes[offsets[head]...])
            newIds.append(contentsOf: ids[head...])
            newOffsets.append(contentsOf: offsets[head...].map { $0 + shift })
        }
        ids = newIds
        offsets = newOffsets
        bytes = newBytes
        head = 0
        self.completeAfter = newCompleteAfter
    }

    /// The log lost events the room never broadcast: nothing before `id` can be answered from memory.
    mutating func restart(after id: Int64) {
        ids = []
        offsets = []
        bytes = []
        head = 0
        completeAfter = id
    }

    /// The index of the first kept event with an id above `id` (`ids.count` when none).
    private func firstIndex(above id: Int64) -> Int {
        var low = head
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] > id { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// Drops forgotten frames once they are half the buffer, so memory follows the bounds.
    private mutating func compactIfWorthIt() {
        guard head > 0, head * 2 >= ids.count || (head < ids.count && offsets[head] * 2 >= bytes.count) else { return }
        let dropped = head < ids.count ? offsets[head] : bytes.count
        bytes.removeFirst(dropped)
        ids.removeFirst(head)
        offsets.removeFirst(head)
        for index in offsets.indices { offsets[index] -= dropped }
        head = 0
    }
}
