/// Builds the `data` JSON of each event type (docs/API.md, "Server-Sent Events"). The PostgreSQL triggers
/// build the same members in SQL; the contract tests compare the two.
public enum EventData {
    public static func taskCreated(eventId: Int64, occurredAt: Timestamp, origin: String?, task: CampaignTask) -> String {
        envelope(eventId, task.campaignId, occurredAt, origin, [(key: "task", value: task.json)])
    }

    public static func taskUpdated(
        eventId: Int64, occurredAt: Timestamp, origin: String?, task: CampaignTask, changes: JSONObject
    ) -> String {
        envelope(eventId, task.campaignId, occurredAt, origin, [(key: "task", value: task.json), (key: "changes", value: .object(changes))])
    }

    public static func taskMoved(
        eventId: Int64, occurredAt: Timestamp, origin: String?, task: CampaignTask, fromPhaseId: String
    ) -> String {
        envelope(eventId, task.campaignId, occurredAt, origin, [
            (key: "task", value: task.json), (key: "fromPhaseId", value: .string(fromPhaseId)),
            (key: "toPhaseId", value: .string(task.phaseId)),
        ])
    }

    public static func taskDeleted(
        eventId: Int64, campaignId: String, occurredAt: Timestamp, origin: String?, taskId: String, phaseId: String
    ) -> String {
        envelope(eventId, campaignId, occurredAt, origin, [(key: "taskId", value: .string(taskId)), (key: "phaseId", value: .string(phaseId))])
    }

    public static func historyUpdate(eventId: Int64, occurredAt: Timestamp, origin: String?, entry: HistoryEntry) -> String {
        envelope(eventId, entry.campaignId, occurredAt, origin, [(key: "entry", value: entry.json)])
    }

    private static func envelope(
        _ eventId: Int64, _ campaignId: String, _ occurredAt: Timestamp, _ origin: String?,
        _ members: [(key: String, value: JSONValue)]
    ) -> String {
        JSONValue.object(JSONObject([
            (key: "eventId", value: .int(eventId)),
            (key: "campaignId", value: .string(campaignId)),
            (key: "occurredAt", value: .string(occurredAt.rfc3339)),
            (key: "origin", value: .optional(origin)),
        ] + members)).encodedString()
    }
}
