/// The body of `POST /api/campaigns/:id/tasks`, validated.
public struct TaskDraft: Sendable, Equatable {
    /// The client-chosen id (idempotent create), or nil to let the server choose.
    public var id: String?
    public var phaseId: String
    public var title: String
    public var description: String
    public var status: TaskStatus
    public var priority: TaskPriority
    public var assignee: String?
    public var dueDate: String?
    /// Where to insert (clamped to the phase's size); nil = at the end.
    public var position: Int?

    public init(
        id: String? = nil, phaseId: String, title: String, description: String = "", status: TaskStatus = .todo,
        priority: TaskPriority = .medium, assignee: String? = nil, dueDate: String? = nil, position: Int? = nil
    ) {
        self.id = id
        self.phaseId = phaseId
        self.title = title
        self.description = description
        self.status = status
        self.priority = priority
        self.assignee = assignee
        self.dueDate = dueDate
        self.position = position
    }

    static let fields: Set<String> = [
        "id", "campaignId", "phaseId", "title", "description", "status", "priority", "assignee", "dueDate", "position",
    ]

    /// Validates a parsed body for `campaignId` (a `campaignId` member, if sent, must match it).
    public static func parse(_ body: JSONValue, campaignId: String) throws(ValidationError) -> TaskDraft {
        let reader = try FieldReader(body)
        try reader.rejectUnknown(allowed: fields)
        if let bodyCampaign = try reader.identifier("campaignId"), bodyCampaign != campaignId {
            throw ValidationError(field: "campaignId", "does not match the campaign in the path")
        }
        let id = try reader.identifier("id")
        guard let phaseId = try reader.identifier("phaseId") else { throw ValidationError(field: "phaseId", "is required") }
        guard let rawTitle = try reader.string("title") else { throw ValidationError(field: "title", "is required") }
        return TaskDraft(
            id: id,
            phaseId: phaseId,
            title: try TaskFieldRules.title(rawTitle),
            description: try TaskFieldRules.description(try reader.string("description") ?? ""),
            status: try TaskFieldRules.status(try reader.string("status") ?? TaskStatus.todo.rawValue),
            priority: try TaskFieldRules.priority(try reader.string("priority") ?? TaskPriority.medium.rawValue),
            assignee: try TaskFieldRules.assignee(try reader.nullableString("assignee") ?? nil),
            dueDate: try TaskFieldRules.dueDate(try reader.nullableString("dueDate") ?? nil),
            position: try TaskFieldRules.position(try reader.integer("position"))
        )
    }

    /// Whether an existing task is what this draft would have created (idempotent retry):
    /// same campaign, phase and fields; position is not compared.
    public func matches(_ task: CampaignTask, campaignId: String) -> Bool {
        task.campaignId == campaignId && task.phaseId == phaseId && task.title == title && task.description == description
            && task.status == status && task.priority == priority && task.assignee == assignee && task.dueDate == dueDate
    }
}
