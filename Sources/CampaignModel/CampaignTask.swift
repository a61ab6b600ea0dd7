/// A card on the board. `position` is 0-based within its phase; `version` starts at 1 and grows
/// by one on every update or move (the ETag of the task).
public struct CampaignTask: Sendable, Equatable {
    public var id: String
    public var campaignId: String
    public var phaseId: String
    public var title: String
    public var description: String
    public var status: TaskStatus
    public var priority: TaskPriority
    public var assignee: String?
    public var dueDate: String?
    public var position: Int
    public var version: Int
    public var createdAt: Timestamp
    public var updatedAt: Timestamp

    public init(
        id: String, campaignId: String, phaseId: String, title: String, description: String = "",
        status: TaskStatus = .todo, priority: TaskPriority = .medium, assignee: String? = nil, dueDate: String? = nil,
        position: Int, version: Int = 1, createdAt: Timestamp, updatedAt: Timestamp
    ) {
        self.id = id
        self.campaignId = campaignId
        self.phaseId = phaseId
        self.title = title
        self.description = description
        self.status = status
        self.priority = priority
        self.assignee = assignee
        self.dueDate = dueDate
        self.position = position
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The `ETag` header value: the version in quotes.
    public var etag: String { "\"\(version)\"" }

    public var json: JSONValue {
        .object(JSONObject([
            (key: "id", value: .string(id)),
            (key: "campaignId", value: .string(campaignId)),
            (key: "phaseId", value: .string(phaseId)),
            (key: "title", value: .string(title)),
            (key: "description", value: .string(description)),
            (key: "status", value: .string(status.rawValue)),
            (key: "priority", value: .string(priority.rawValue)),
            (key: "assignee", value: .optional(assignee)),
            (key: "dueDate", value: .optional(dueDate)),
            (key: "position", value: .int(Int64(position))),
            (key: "version", value: .int(Int64(version))),
            (key: "createdAt", value: .string(createdAt.rfc3339)),
            (key: "updatedAt", value: .string(updatedAt.rfc3339)),
        ]))
    }

    /// The value of an editable field as JSON, for history `changes`.
    public func fieldValue(_ field: TaskField) -> JSONValue {
        switch field {
        case .title: .string(title)
        case .description: .string(description)
        case .status: .string(status.rawValue)
        case .priority: .string(priority.rawValue)
        case .assignee: .optional(assignee)
        case .dueDate: .optional(dueDate)
        case .phaseId: .string(phaseId)
        case .position: .int(Int64(position))
        }
    }
}

/// Task fields that history records changes of.
public enum TaskField: String, Sendable, CaseIterable {
    case title, description, status, priority, assignee, dueDate, phaseId, position
}
