/// One entry of the event log: what the live stream sends and `Last-Event-ID` replays.
///
/// `data` is the event's JSON text exactly as it goes on the wire (`{eventId, campaignId, occurredAt,
/// origin, …}`), built once by whoever recorded the event (a trigger in PostgreSQL, or the in-memory store),
/// so a room frames it without parsing or re-encoding it.
public struct CampaignEvent: Sendable, Equatable {
    /// Increases in commit order across the whole deployment.
    public var id: Int64
    public var campaignId: String
    public var type: CampaignEventType
    public var data: String

    public init(id: Int64, campaignId: String, type: CampaignEventType, data: String) {
        self.id = id
        self.campaignId = campaignId
        self.type = type
        self.data = data
    }
}

/// The SSE event names of docs/API.md.
public enum CampaignEventType: String, Sendable, CaseIterable {
    case taskCreated = "task-created"
    case taskUpdated = "task-updated"
    case taskMoved = "task-moved"
    case taskDeleted = "task-deleted"
    case historyUpdate = "history-update"
}
