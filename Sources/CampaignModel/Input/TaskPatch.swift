/// The body of `PATCH …/tasks/:id`: the fields to change, validated. Absent fields stay as they are.
public struct TaskPatch: Sendable, Equatable {
    public var title: String?
    public var description: String?
    public var status: TaskStatus?
    public var priority: TaskPriority?
    /// `.some(nil)` clears the assignee.
    public var assignee: String??
    /// `.some(nil)` clears the due date.
    public var dueDate: String??

    public init(
        title: String? = nil, description: String? = nil, status: TaskStatus? = nil, priority: TaskPriority? = nil,
        assignee: String?? = .none, dueDate: String?? = .none
    ) {
        self.title = title
        self.description = description
        self.status = status
        self.priority = priority
        self.assignee = assignee
        self.dueDate = dueDate
    }

    public static let fields: Set<String> = ["title", "description", "status", "priority", "assignee", "dueDate"]

    public static func parse(_ body: JSONValue) throws(ValidationError) -> TaskPatch {
        let reader = try FieldReader(body)
        try reader.rejectUnknown(allowed: fields)
        var patch = TaskPatch()
        if let raw = try reader.string("title") { patch.title = try TaskFieldRules.title(raw) }
        if let raw = try reader.string("description") { patch.description = try TaskFieldRules.description(raw) }
        if let raw = try reader.string("status") { patch.status = try TaskFieldRules.status(raw) }
        if let raw = try reader.string("priority") { patch.priority = try TaskFieldRules.priority(raw) }
        if let raw = try reader.nullableString("assignee") { patch.assignee = .some(try TaskFieldRules.assignee(raw)) }
        if let raw = try reader.nullableString("dueDate") { patch.dueDate = .some(try TaskFieldRules.dueDate(raw)) }
        return patch
    }

    /// `task` with this patch applied (version and timestamps untouched: the store sets them).
    public func applied(to task: CampaignTask) -> CampaignTask {
        var result = task
        if let title { result.title = title }
        if let description { result.description = description }
        if let status { result.status = status }
        if let priority { result.priority = priority }
        if case .some(let assignee) = assignee { result.assignee = assignee }
        if case .some(let dueDate) = dueDate { result.dueDate = dueDate }
        return result
    }

    /// The editable fields, for computing history `changes`.
    public static let editableFields: [TaskField] = [.title, .description, .status, .priority, .assignee, .dueDate]
}
