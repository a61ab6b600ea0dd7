import CampaignModel

/// The checks both stores run on their inputs before touching any state, so that a value built in
/// code (not parsed from a request) can never reach the database as something it rejects (an
/// unexpected error) or be stored in memory when PostgreSQL would refuse it.
///
/// The rules are docs/API.md's, the same `TaskDraft.parse`/`TaskPatch.parse` apply; parsed inputs pass unchanged.
enum StoreInput {
    static let maximumTitleLength = 200
    static let maximumDescriptionLength = 10_000
    static let maximumAssigneeLength = 100

    /// A path id: one that is not a UUID names nothing, so it is "not found" rather than invalid.
    static func pathIdentifier(_ text: String, _ resource: StoreError.Resource) throws(StoreError) -> String {
        guard let id = Identifier.normalized(text) else { throw .notFound(resource) }
        return id
    }

    static func campaignDraft(_ draft: CampaignDraft) throws(StoreError) -> CampaignDraft {
        var result = draft
        result.id = try optionalIdentifier(draft.id, field: "id")
        let name = draft.name.trimmingWhitespace()
        try requireText(name, field: "name")
        guard !name.isEmpty else { throw invalid("name", "must not be empty") }
        guard name.hasAtMostScalars(Campaign.maximumNameLength) else {
            throw invalid("name", "must be at most \(Campaign.maximumNameLength) characters")
        }
        result.name = name
        return result
    }

    static func taskDraft(_ draft: TaskDraft) throws(StoreError) -> TaskDraft {
        var result = draft
        result.id = try optionalIdentifier(draft.id, field: "id")
        result.phaseId = try identifier(draft.phaseId, field: "phaseId")
        result.title = try title(draft.title)
        result.description = try description(draft.description)
        result.assignee = try assignee(draft.assignee)
        result.dueDate = try dueDate(draft.dueDate)
        if let position = draft.position { result.position = try self.position(position) }
        return result
    }

    static func taskPatch(_ patch: TaskPatch) throws(StoreError) -> TaskPatch {
        var result = patch
        if let title = patch.title { result.title = try self.title(title) }
        if let description = patch.description { result.description = try self.description(description) }
        if case .some(let assignee) = patch.assignee { result.assignee = .some(try self.assignee(assignee)) }
        if case .some(let dueDate) = patch.dueDate { result.dueDate = .some(try self.dueDate(dueDate)) }
        return result
    }

    static func taskMove(_ move: TaskMove) throws(StoreError) -> TaskMove {
        TaskMove(phaseId: try identifier(move.phaseId, field: "phaseId"), position: try position(move.position))
    }

    /// What every write to an existing task checks first, in both stores: its campaign's and its own
    /// path identifier, then the writer.
    static func taskTarget(
        campaignId: String, taskId: String, context: WriteContext
    ) throws(StoreError) -> (campaignId: String, taskId: String, context: WriteContext) {
        (try pathIdentifier(campaignId, .campaign), try pathIdentifier(taskId, .task), Self.context(context))
    }

    /// The writer as both stores record it: PostgreSQL's triggers read an empty `app.actor` as
    /// unset (`"database"`) and an empty `app.origin` as null, and its text cannot hold U+0000.
    static func context(_ context: WriteContext) -> WriteContext {
        let actor = context.actor.filter { $0 != "\u{0}" }
        let origin = context.origin?.filter { $0 != "\u{0}" }
        return WriteContext(actor: actor.isEmpty ? "database" : actor, origin: origin?.isEmpty == false ? origin : nil)
    }

    // MARK: Field rules

    private static func title(_ raw: String) throws(StoreError) -> String {
        let title = raw.trimmingWhitespace()
        try requireText(title, field: "title")
        guard !title.isEmpty else { throw invalid("title", "must not be empty") }
        guard title.hasAtMostScalars(maximumTitleLength) else {
            throw invalid("title", "must be at most \(maximumTitleLength) characters")
        }
        return title
    }

    private static func description(_ raw: String) throws(StoreError) -> String {
        try requireText(raw, field: "description")
        guard raw.hasAtMostScalars(maximumDescriptionLength) else {
            throw invalid("description", "must be at most \(maximumDescriptionLength) characters")
        }
        return raw
    }

    private static func assignee(_ raw: String?) throws(StoreError) -> String? {
        guard let raw else { return nil }
        try requireText(raw, field: "assignee")
        guard raw.hasAtMostScalars(maximumAssigneeLength) else {
            throw invalid("assignee", "must be at most \(maximumAssigneeLength) characters")
        }
        return raw
    }

    private static func dueDate(_ raw: String?) throws(StoreError) -> String? {
        guard let raw else { return nil }
        guard CivilDate.isValidDateString(raw) else { throw invalid("dueDate", "must be a date as YYYY-MM-DD") }
        return raw
    }

    private static func position(_ raw: Int) throws(StoreError) -> Int {
        guard raw >= 0 else { throw invalid("position", "must be an integer ≥ 0") }
        // Positions are clamped to the phase's size anyway; this keeps the value inside PostgreSQL's integer.
        return min(raw, Int(Int32.max))
    }

    private static func identifier(_ raw: String, field: String) throws(StoreError) -> String {
        guard let id = Identifier.normalized(raw) else { throw invalid(field, "must be a UUID") }
        return id
    }

    private static func optionalIdentifier(_ raw: String?, field: String) throws(StoreError) -> String? {
        guard let raw else { return nil }
        return try identifier(raw, field: field)
    }

    /// PostgreSQL text cannot hold U+0000, so neither store accepts it.
    private static func requireText(_ value: String, field: String) throws(StoreError) {
        guard !value.utf8.contains(0) else { throw invalid(field, "must not contain the character U+0000") }
    }

    private static func invalid(_ field: String, _ message: String) -> StoreError {
        .invalid(ValidationError(field: field, message))
    }
}
