import CampaignModel
import Postgres

/// Task reads and writes. Each write is one statement whose WHERE clause holds every precondition
/// (campaign, phase, `If-Match` version), so the common path is BEGIN, lock, statement, COMMIT; when
/// nothing matched, `explain` reads why (under the same lock) and picks the error.
extension PostgresCampaignStore {
    public func task(campaignId: String, taskId: String) async throws(StoreError) -> CampaignTask? {
        guard let campaignId = Identifier.normalized(campaignId), let taskId = Identifier.normalized(taskId) else {
            return nil
        }
        return try await statement("read task") { connection in
            try connection.query(
                "SELECT \(Self.taskColumns()) FROM campaign_tasks WHERE id = $1::uuid AND campaign_id = $2::uuid",
                [taskId, campaignId]
            ).first.map(Self.task(from:))
        }
    }

    public func createTask(campaignId: String, draft: TaskDraft, context: WriteContext) async throws(StoreError) -> TaskCreation {
        let campaignId = try StoreInput.pathIdentifier(campaignId, .campaign)
        let draft = try StoreInput.taskDraft(draft)
        let context = StoreInput.context(context)
        let taskId = draft.id ?? Identifier.random()
        // The insert does not depend on anything read first, so the whole transaction is one round trip.
        // The history check: an id whose task was deleted stays taken (its history remains).
        let limit = configuration.maximumTasksPerCampaign
        let insert = PostgresStatement(
            Self.createTaskSQL,
            [taskId, campaignId, draft.phaseId, draft.title, draft.description, draft.status.rawValue,
             draft.priority.rawValue, draft.assignee, draft.dueDate, draft.position.map(String.init), String(limit)])
        let created = try await pipelined("create task", [Self.beginStatement(campaignId: campaignId, context: context), insert]) {
            results in try results[1].first.map(Self.task(from:))
        }
        if let created { return .created(created) }
        // Nothing was inserted (the transaction committed no change): find out why. Read after the
        // commit, the facts are as fresh as they would have been inside it (READ COMMITTED reads each
        // statement's own snapshot), and idempotency holds: the same id with the same content is 200.
        return try await statement("create task") { connection in
            let facts = try Self.facts(connection, campaignId: campaignId, taskId: taskId, phaseId: draft.phaseId)
            guard facts.campaignExists else { throw StoreError.notFound(.campaign) }
            try facts.requirePhase(of: campaignId)
            if let existing = facts.task {
                guard draft.matches(existing, campaignId: campaignId) else {
                    throw StoreError.conflict("a task with this id already exists with other content")
                }
                return .existing(existing)
            }
            guard !facts.idWasUsed else { throw StoreError.conflict("this id belonged to a deleted task") }
            if try Self.isFull(connection, campaignId: campaignId, limit: limit) { throw StoreError.taskLimitReached(limit: limit) }
            throw StoreError.unavailable("the task could not be created")
        }
    }

    static let createTaskSQL = """
        INSERT INTO campaign_tasks
            (id, campaign_id, phase_id, title, description, status, priority, assignee, due_date, position)
        SELECT $1::uuid, $2::uuid, $3::uuid, $4, $5, $6, $7, $8, $9::date, $10::int
        WHERE EXISTS (SELECT 1 FROM campaign_phases WHERE id = $3::uuid AND campaign_id = $2::uuid)
          AND NOT EXISTS (SELECT 1 FROM campaign_tasks WHERE id = $1::uuid)
          AND NOT EXISTS (SELECT 1 FROM campaign_task_history WHERE task_id = $1::uuid)
          AND (\(heldTasksSQL("$2", limit: "$11"))) < $11::int
        RETURNING \(taskColumns())
        """

    /// The number of tasks of campaign `campaign`, counted no further than `limit` (an index-only scan
    /// of at most `limit` rows). Exact under the campaign lock every write takes first.
    private static func heldTasksSQL(_ campaign: String, limit: String) -> String {
        "SELECT count(*) FROM (SELECT 1 FROM campaign_tasks WHERE campaign_id = \(campaign)::uuid LIMIT \(limit)::int) AS held"
    }

    /// Whether the campaign holds `limit` tasks or more (why a create inserted nothing, when all else held).
    private static func isFull(_ connection: PostgresConnection, campaignId: String, limit: Int) throws -> Bool {
        guard let row = try connection.query(
            "SELECT (\(heldTasksSQL("$1", limit: "$2"))) >= $2::int AS full", [campaignId, String(limit)]).first
        else { return false }
        return try row.bool("full") == true
    }

    public func updateTask(
        campaignId: String, taskId: String, patch: TaskPatch, ifMatch: Int?, context: WriteContext
    ) async throws(StoreError) -> CampaignTask {
        let campaignId = try StoreInput.pathIdentifier(campaignId, .campaign)
        let taskId = try StoreInput.pathIdentifier(taskId, .task)
        let patch = try StoreInput.taskPatch(patch)
        let context = StoreInput.context(context)
        // Only fixed column names are spliced in; every value is a parameter.
        var parameters: [String?] = [taskId, campaignId]
        var assignments: [String] = []
        func set(_ column: String, _ value: String?, cast: String = "") {
            parameters.append(value)
            assignments.append("\(column) = $\(parameters.count)\(cast)")
        }
        if let title = patch.title { set("title", title) }
        if let description = patch.description { set("description", description) }
        if let status = patch.status { set("status", status.rawValue) }
        if let priority = patch.priority { set("priority", priority.rawValue) }
        if case .some(let assignee) = patch.assignee { set("assignee", assignee) }
        if case .some(let dueDate) = patch.dueDate { set("due_date", dueDate, cast: "::date") }
        let sql = assignments.isEmpty ? nil : Self.guardedUpdate(
            "UPDATE campaign_tasks SET \(assignments.joined(separator: ", "))", ifMatch: ifMatch, parameters: &parameters)
        let finalParameters = parameters
        return try await transaction("update task") { connection in
            try Self.begin(connection, campaignId: campaignId, context: context)
            if let sql, let row = try connection.query(sql, finalParameters).first {
                return try Self.task(from: row)
            }
            // Nothing matched, or the patch changed nothing (the trigger skips such a row).
            return try Self.explain(connection, campaignId: campaignId, taskId: taskId, phaseId: nil, ifMatch: ifMatch)
        }
    }

    public func moveTask(
        campaignId: String, taskId: String, move: TaskMove, ifMatch: Int?, context: WriteContext
    ) async throws(StoreError) -> CampaignTask {
        let campaignId = try StoreInput.pathIdentifier(campaignId, .campaign)
        let taskId = try StoreInput.pathIdentifier(taskId, .task)
        let move = try StoreInput.taskMove(move)
        let context = StoreInput.context(context)
        var parameters: [String?] = [taskId, campaignId, move.phaseId, String(move.position)]
        let sql = Self.guardedUpdate(
            """
            UPDATE campaign_tasks SET phase_id = $3::uuid, position = $4::int
            """, extraCondition: "EXISTS (SELECT 1 FROM campaign_phases WHERE id = $3::uuid AND campaign_id = $2::uuid)",
            ifMatch: ifMatch, parameters: &parameters)
        let finalParameters = parameters
        return try await transaction("move task") { connection in
            try Self.begin(connection, campaignId: campaignId, context: context)
            if let row = try connection.query(sql, finalParameters).first {
                return try Self.task(from: row)
            }
            return try Self.explain(connection, campaignId: campaignId, taskId: taskId, phaseId: move.phaseId, ifMatch: ifMatch)
        }
    }

    public func deleteTask(campaignId: String, taskId: String, ifMatch: Int?, context: WriteContext) async throws(StoreError) {
        let campaignId = try StoreInput.pathIdentifier(campaignId, .campaign)
        let taskId = try StoreInput.pathIdentifier(taskId, .task)
        let context = StoreInput.context(context)
        var parameters: [String?] = [taskId, campaignId]
        var sql = "DELETE FROM campaign_tasks WHERE id = $1::uuid AND campaign_id = $2::uuid"
        if let ifMatch {
            parameters.append(String(ifMatch))
            sql += " AND version = $3::int8"
        }
        let finalSQL = sql
        let finalParameters = parameters
        try await transaction("delete task") { connection in
            try Self.begin(connection, campaignId: campaignId, context: context)
            guard try connection.execute(finalSQL, finalParameters) == 0 else { return }
            _ = try Self.explain(connection, campaignId: campaignId, taskId: taskId, phaseId: nil, ifMatch: ifMatch)
            // The task is there with the expected version, yet the row was not deleted.
            throw StoreError.unavailable("the task could not be deleted")
        }
    }

    // MARK: Helpers

    /// `update` (an `UPDATE … SET …`) restricted to the task in its campaign, to `extraCondition`,
    /// and to the `If-Match` version, returning the task's columns.
    private static func guardedUpdate(
        _ update: String, extraCondition: String? = nil, ifMatch: Int?, parameters: inout [String?]
    ) -> String {
        var sql = update + " WHERE id = $1::uuid AND campaign_id = $2::uuid"
        if let extraCondition { sql += " AND " + extraCondition }
        if let ifMatch {
            parameters.append(String(ifMatch))
            // int8: an If-Match beyond the int4 range simply matches no version.
            sql += " AND version = $\(parameters.count)::int8"
        }
        return sql + " RETURNING " + taskColumns()
    }

    /// Why a guarded write matched no row, as the error the API reports (404s, then 400, then 412);
    /// when nothing is wrong the write was a no-op and the current task is the answer.
    private static func explain(
        _ connection: PostgresConnection, campaignId: String, taskId: String, phaseId: String?, ifMatch: Int?
    ) throws -> CampaignTask {
        let facts = try facts(connection, campaignId: campaignId, taskId: taskId, phaseId: phaseId)
        guard facts.campaignExists else { throw StoreError.notFound(.campaign) }
        guard let task = facts.task, task.campaignId == campaignId else { throw StoreError.notFound(.task) }
        if phaseId != nil { try facts.requirePhase(of: campaignId) }
        if let ifMatch, ifMatch != task.version { throw StoreError.preconditionFailed(current: task) }
        return task
    }

    private struct Facts {
        var campaignExists: Bool
        /// The campaign of the phase named by the write (nil: no such phase).
        var phaseCampaign: String?
        var task: CampaignTask?
        var idWasUsed: Bool

        func requirePhase(of campaignId: String) throws {
            guard let phaseCampaign else { throw StoreError.notFound(.phase) }
            guard phaseCampaign == campaignId else {
                throw StoreError.invalid(ValidationError(field: "phaseId", "belongs to another campaign"))
            }
        }
    }

    /// One read of everything a failed write may have tripped over.
    private static func facts(
        _ connection: PostgresConnection, campaignId: String, taskId: String, phaseId: String?
    ) throws -> Facts {
        guard let row = try connection.query(
            """
            SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = $1::uuid) AS campaign_exists,
                   (SELECT campaign_id::text FROM campaign_phases WHERE id = $2::uuid) AS phase_campaign,
                   EXISTS (SELECT 1 FROM campaign_task_history WHERE task_id = $3::uuid) AS id_was_used,
                   task.*
            FROM (SELECT 1) AS one
            LEFT JOIN LATERAL (SELECT \(taskColumns()) FROM campaign_tasks WHERE id = $3::uuid) AS task ON true
            """, [campaignId, phaseId, taskId]
        ).first else {
            throw PostgresError(kind: .decoding, message: "the diagnostic query returned no row")
        }
        return Facts(
            campaignExists: try row.bool("campaign_exists") == true,
            phaseCampaign: try row.string("phase_campaign"),
            task: try row.string("id") == nil ? nil : try Self.task(from: row),
            idWasUsed: try row.bool("id_was_used") == true)
    }
}
