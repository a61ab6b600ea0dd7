import CampaignModel
import Postgres

/// Task reads and writes. Each write is one statement whose WHERE clause holds every precondition
/// (campaign, phase, `If-Match` version), sent with BEGIN, the campaign's lock and COMMIT as one
/// pipeline: one round trip, so the campaign's lock is held for one server-side pass, not for several
/// network waits. Updates, moves and deletes also read, in the same pipeline and under the same lock,
/// the facts from which `explain` picks the error when nothing matched.
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
          AND \(heldTasksSQL("$2")) < $11::int
        RETURNING \(taskColumns())
        """

    /// The number of tasks of campaign `campaign` (kept by the triggers, migration 0007). Exact under
    /// the campaign lock every write takes first.
    private static func heldTasksSQL(_ campaign: String) -> String {
        "coalesce((SELECT tasks FROM campaign_task_counts WHERE campaign_id = \(campaign)::uuid), 0)"
    }

    /// Whether the campaign holds `limit` tasks or more (why a create inserted nothing, when all else held).
    private static func isFull(_ connection: PostgresConnection, campaignId: String, limit: Int) throws -> Bool {
        guard let row = try connection.query(
            "SELECT \(heldTasksSQL("$1")) >= $2::int AS full", [campaignId, String(limit)]).first
        else { return false }
        return try row.bool("full") == true
    }

    public func updateTask(
        campaignId: String, taskId: String, patch: TaskPatch, ifMatch: Int?, context: WriteContext
    ) async throws(StoreError) -> CampaignTask {
        let (campaignId, taskId, context) = try StoreInput.taskTarget(campaignId: campaignId, taskId: taskId, context: context)
        let patch = try StoreInput.taskPatch(patch)
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
        // An empty patch writes nothing: its answer is the current task (or why there is none).
        let update = assignments.isEmpty ? nil : PostgresStatement(Self.guardedUpdate(
            "UPDATE campaign_tasks SET \(assignments.joined(separator: ", "))", ifMatch: ifMatch, parameters: &parameters),
            parameters)
        return try await guardedWrite("update task", campaignId: campaignId, taskId: taskId, phaseId: nil,
                                      ifMatch: ifMatch, context: context, update)
    }

    public func moveTask(
        campaignId: String, taskId: String, move: TaskMove, ifMatch: Int?, context: WriteContext
    ) async throws(StoreError) -> CampaignTask {
        let (campaignId, taskId, context) = try StoreInput.taskTarget(campaignId: campaignId, taskId: taskId, context: context)
        let move = try StoreInput.taskMove(move)
        var parameters: [String?] = [taskId, campaignId, move.phaseId, String(move.position)]
        let sql = Self.guardedUpdate(
            """
            UPDATE campaign_tasks SET phase_id = $3::uuid, position = $4::int
            """, extraCondition: "EXISTS (SELECT 1 FROM campaign_phases WHERE id = $3::uuid AND campaign_id = $2::uuid)",
            ifMatch: ifMatch, parameters: &parameters)
        return try await guardedWrite("move task", campaignId: campaignId, taskId: taskId, phaseId: move.phaseId,
                                      ifMatch: ifMatch, context: context, PostgresStatement(sql, parameters))
    }

    public func deleteTask(campaignId: String, taskId: String, ifMatch: Int?, context: WriteContext) async throws(StoreError) {
        let (campaignId, taskId, context) = try StoreInput.taskTarget(campaignId: campaignId, taskId: taskId, context: context)
        var parameters: [String?] = [taskId, campaignId]
        var sql = "DELETE FROM campaign_tasks WHERE id = $1::uuid AND campaign_id = $2::uuid"
        if let ifMatch {
            parameters.append(String(ifMatch))
            sql += " AND version = $3::int8"
        }
        let delete = PostgresStatement(sql, parameters)
        let facts = Self.factsStatement(campaignId: campaignId, taskId: taskId, phaseId: nil)
        try await pipelined("delete task", [Self.beginStatement(campaignId: campaignId, context: context), delete, facts]) { results in
            guard results[1].affectedRows == 0 else { return }
            _ = try Self.explain(try Self.facts(from: results[2]), campaignId: campaignId, phaseId: nil, ifMatch: ifMatch)
            // The task is there with the expected version, yet the row was not deleted.
            throw StoreError.unavailable("the task could not be deleted")
        }
    }

    /// An update or move as one transaction in one round trip: the campaign's lock, the guarded
    /// `update` (nil: nothing to change), then, still under the lock, the facts that explain a write
    /// that matched no row (read whether or not it did, so no second round trip is ever needed).
    private func guardedWrite(
        _ operation: StaticString, campaignId: String, taskId: String, phaseId: String?, ifMatch: Int?,
        context: WriteContext, _ update: PostgresStatement?
    ) async throws(StoreError) -> CampaignTask {
        let statements = [Self.beginStatement(campaignId: campaignId, context: context)] + (update.map { [$0] } ?? [])
            + [Self.factsStatement(campaignId: campaignId, taskId: taskId, phaseId: phaseId)]
        return try await pipelined(operation, statements) { results in
            if update != nil, let row = results[1].first { return try Self.task(from: row) }
            // Nothing matched, or the patch changed nothing (the trigger skips such a row).
            return try Self.explain(try Self.facts(from: results[results.count - 1]),
                                    campaignId: campaignId, phaseId: phaseId, ifMatch: ifMatch)
        }
    }

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
}
