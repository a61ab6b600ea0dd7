import CampaignModel
import Postgres

/// The SELECT lists and the row → model decoding of the PostgreSQL store. Times are read as
/// milliseconds since the epoch (they are stored truncated to milliseconds), ids as lower-case text.
extension PostgresCampaignStore {
    /// The columns `task(from:)` reads, from table alias `alias`.
    static func taskColumns(_ alias: String = "campaign_tasks") -> String {
        """
        \(alias).id::text AS id, \(alias).campaign_id::text AS campaign_id, \(alias).phase_id::text AS phase_id, \
        \(alias).title AS title, \(alias).description AS description, \(alias).status AS status, \
        \(alias).priority AS priority, \(alias).assignee AS assignee, \
        to_char(\(alias).due_date, 'YYYY-MM-DD') AS due_date, \(alias).position AS position, \
        \(alias).version AS version, \(Self.milliseconds("\(alias).created_at")) AS created_ms, \
        \(Self.milliseconds("\(alias).updated_at")) AS updated_ms
        """
    }

    static let campaignColumns = "id::text AS id, name, \(milliseconds("created_at")) AS created_ms"

    static let phaseColumns = "id::text AS id, campaign_id::text AS campaign_id, name, position"

    static let historyColumns = """
        id::text AS id, campaign_id::text AS campaign_id, task_id::text AS task_id, action, actor, \
        changes::text AS changes, \(milliseconds("created_at")) AS created_ms
        """

    static let eventColumns = "id, campaign_id::text AS campaign_id, type, payload"

    static func milliseconds(_ column: String) -> String {
        "(extract(epoch FROM \(column)) * 1000)::int8"
    }

    static func campaign(from row: PostgresRow) throws -> Campaign {
        Campaign(id: try row.requiredString("id"), name: try row.requiredString("name"),
                 createdAt: try row.timestamp("created_ms"))
    }

    static func phase(from row: PostgresRow) throws -> Phase {
        Phase(id: try row.requiredString("id"), campaignId: try row.requiredString("campaign_id"),
              name: try row.requiredString("name"), position: try row.requiredInt("position"))
    }

    static func task(from row: PostgresRow) throws -> CampaignTask {
        guard let status = TaskStatus(rawValue: try row.requiredString("status")),
            let priority = TaskPriority(rawValue: try row.requiredString("priority"))
        else { throw PostgresError(kind: .decoding, message: "a task has an unknown status or priority") }
        return CampaignTask(
            id: try row.requiredString("id"), campaignId: try row.requiredString("campaign_id"),
            phaseId: try row.requiredString("phase_id"), title: try row.requiredString("title"),
            description: try row.requiredString("description"), status: status, priority: priority,
            assignee: try row.string("assignee"), dueDate: try row.string("due_date"),
            position: try row.requiredInt("position"), version: try row.requiredInt("version"),
            createdAt: try row.timestamp("created_ms"), updatedAt: try row.timestamp("updated_ms"))
    }

    static func historyEntry(from row: PostgresRow) throws -> HistoryEntry {
        guard let action = HistoryAction(rawValue: try row.requiredString("action")) else {
            throw PostgresError(kind: .decoding, message: "a history entry has an unknown action")
        }
        var changes: JSONObject?
        if let text = try row.string("changes") {
            guard let object = (try? JSONParser.parse(text))?.objectValue else {
                throw PostgresError(kind: .decoding, message: "a history entry's changes are not a JSON object")
            }
            changes = inFieldOrder(object)
        }
        return HistoryEntry(
            id: try row.requiredString("id"), campaignId: try row.requiredString("campaign_id"),
            taskId: try row.requiredString("task_id"), action: action, actor: try row.requiredString("actor"),
            changes: changes, createdAt: try row.timestamp("created_ms"))
    }

    static func event(from row: PostgresRow) throws -> CampaignEvent {
        guard let type = CampaignEventType(rawValue: try row.requiredString("type")) else {
            throw PostgresError(kind: .decoding, message: "an event has an unknown type")
        }
        guard let id = try row.int64("id") else { throw PostgresError(kind: .decoding, message: "an event has no id") }
        return CampaignEvent(id: id, campaignId: try row.requiredString("campaign_id"), type: type,
                             data: try row.requiredString("payload"))
    }

    /// jsonb keeps members sorted by length; history reads back as it was written (TaskField order,
    /// `from` before `to`), so its JSON matches the event that carried it byte for byte.
    private static func inFieldOrder(_ object: JSONObject) -> JSONObject {
        let order = Dictionary(uniqueKeysWithValues: TaskField.allCases.enumerated().map { ($1.rawValue, $0) })
        let fields = object.members.sorted { (order[$0.key] ?? Int.max) < (order[$1.key] ?? Int.max) }
        return JSONObject(fields.map { field in
            guard let change = field.value.objectValue, let from = change["from"], let to = change["to"], change.members.count == 2
            else { return field }
            return (key: field.key, value: .object(JSONObject([(key: "from", value: from), (key: "to", value: to)])))
        })
    }
}

extension PostgresRow {
    func requiredInt(_ column: String) throws -> Int {
        guard let value = try int(column) else { throw PostgresError(kind: .decoding, message: "column \"\(column)\" is NULL") }
        return value
    }

    /// A column of milliseconds since the epoch.
    func timestamp(_ column: String) throws -> Timestamp {
        guard let value = try int64(column) else { throw PostgresError(kind: .decoding, message: "column \"\(column)\" is NULL") }
        return Timestamp(millisecondsSinceEpoch: value)
    }
}
