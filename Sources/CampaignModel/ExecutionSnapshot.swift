/// `GET /api/campaigns/:id/execution`: everything a board needs, consistent with `lastEventId`.
public struct ExecutionSnapshot: Sendable, Equatable {
    public var campaign: Campaign
    /// Ordered by position.
    public var phases: [Phase]
    /// Ordered by phase position, then task position.
    public var tasks: [CampaignTask]
    /// Newest first (at most 50).
    public var history: [HistoryEntry]
    /// The newest event of this campaign included in the snapshot (0 when none yet).
    public var lastEventId: Int64

    public init(campaign: Campaign, phases: [Phase], tasks: [CampaignTask], history: [HistoryEntry], lastEventId: Int64) {
        self.campaign = campaign
        self.phases = phases
        self.tasks = tasks
        self.history = history
        self.lastEventId = lastEventId
    }

    public static let historyLimit = 50

    public var json: JSONValue {
        .object(JSONObject([
            (key: "campaign", value: campaign.json),
            (key: "phases", value: .array(phases.map(\.json))),
            (key: "tasks", value: .array(tasks.map(\.json))),
            (key: "history", value: .array(history.map(\.json))),
            (key: "lastEventId", value: .int(lastEventId)),
        ]))
    }
}
