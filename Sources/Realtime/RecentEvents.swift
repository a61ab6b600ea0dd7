import CampaignModel

/// The newest events a room has broadcast, bounded in count and bytes, and the id after which they
/// are complete: a resume from at or after that id is answered from memory, with no store read.
struct RecentEvents {
    let maximumCount: Int
    let maximumBytes: Int
    private var events: [CampaignEvent] = []
    private var head = 0
    private var bytes = 0
    /// Every event of the campaign with an id above this one, up to the newest kept, is kept;
    /// nil until the room knows where the campaign's log stood when it started watching.
    private(set) var completeAfter: Int64?

    init(maximumCount: Int, maximumBytes: Int) {
        self.maximumCount = max(0, maximumCount)
        self.maximumBytes = max(0, maximumBytes)
    }

    var count: Int { events.count - head }

    /// The room learned the campaign's newest id before any event reached it: nothing is missing after it.
    mutating func start(after id: Int64) {
        if completeAfter == nil { completeAfter = id }
    }

    /// Keeps a broadcast batch (ids increasing), forgetting the oldest past the bounds.
    mutating func append(_ batch: [CampaignEvent]) {
        guard completeAfter != nil else { return }
        for event in batch where event.id > (events.last?.id ?? completeAfter ?? 0) {
            events.append(event)
            bytes += Self.weight(event)
        }
        while count > maximumCount || (bytes > maximumBytes && count > 0) {
            let oldest = events[head]
            bytes -= Self.weight(oldest)
            completeAfter = oldest.id
            head += 1
        }
        if head > 0 && head * 2 >= events.count {
            events.removeFirst(head)
            head = 0
        }
    }

    /// Events after `after` up to `through`, when memory holds all of them; nil when it cannot say.
    func events(after: Int64, through: Int64) -> [CampaignEvent]? {
        guard let completeAfter, after >= completeAfter else { return nil }
        return events[head...].filter { $0.id > after && $0.id <= through }
    }

    /// The log lost events the room never broadcast: nothing before `id` can be answered from memory.
    mutating func restart(after id: Int64) {
        events = []
        head = 0
        bytes = 0
        completeAfter = id
    }

    private static func weight(_ event: CampaignEvent) -> Int { event.data.utf8.count + 64 }
}
