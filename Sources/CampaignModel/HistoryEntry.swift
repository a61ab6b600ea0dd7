/// One line of a campaign's audit trail.
public struct HistoryEntry: Sendable, Equatable {
    public var id: String
    public var campaignId: String
    public var taskId: String
    public var action: HistoryAction
    /// The token's `sub`, or `"database"` for a change made directly in SQL.
    public var actor: String
    /// `{ field: { from, to } }` for updates and moves; nil for creates and deletes.
    public var changes: JSONObject?
    public var createdAt: Timestamp

    public init(
        id: String, campaignId: String, taskId: String, action: HistoryAction, actor: String,
        changes: JSONObject?, createdAt: Timestamp
    ) {
        self.id = id
        self.campaignId = campaignId
        self.taskId = taskId
        self.action = action
        self.actor = actor
        self.changes = changes
        self.createdAt = createdAt
    }

    public var json: JSONValue {
        .object(JSONObject([
            (key: "id", value: .string(id)),
            (key: "campaignId", value: .string(campaignId)),
            (key: "taskId", value: .string(taskId)),
            (key: "action", value: .string(action.rawValue)),
            (key: "actor", value: .string(actor)),
            (key: "changes", value: changes.map(JSONValue.object) ?? .null),
            (key: "createdAt", value: .string(createdAt.rfc3339)),
        ]))
    }

    /// `{ field: { from, to } }` for the fields whose values differ between two versions of a task.
    public static func changes(from old: CampaignTask, to new: CampaignTask, fields: [TaskField]) -> JSONObject {
        var changes = JSONObject()
        for field in fields where old.fieldValue(field) != new.fieldValue(field) {
            changes[field.rawValue] = ["from": old.fieldValue(field), "to": new.fieldValue(field)]
        }
        return changes
    }
}

public enum HistoryAction: String, Sendable, CaseIterable {
    case created, updated, moved, deleted
}
