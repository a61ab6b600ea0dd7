import CampaignModel
import Postgres

/// Why a task write matched no row: one read of everything it may have tripped over, turned into the
/// error the API reports (404s, then 400, then 412), or into the current task when nothing is wrong.
extension PostgresCampaignStore {
    struct Facts {
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

    /// A guarded write matched no row: the error it earned, in the API's order; when nothing is wrong
    /// the write was a no-op and the current task is the answer.
    static func explain(_ facts: Facts, campaignId: String, phaseId: String?, ifMatch: Int?) throws -> CampaignTask {
        guard facts.campaignExists else { throw StoreError.notFound(.campaign) }
        guard let task = facts.task, task.campaignId == campaignId else { throw StoreError.notFound(.task) }
        if phaseId != nil { try facts.requirePhase(of: campaignId) }
        if let ifMatch, ifMatch != task.version { throw StoreError.preconditionFailed(current: task) }
        return task
    }

    static func factsStatement(campaignId: String, taskId: String, phaseId: String?) -> PostgresStatement {
        PostgresStatement(
            """
            SELECT EXISTS (SELECT 1 FROM campaigns WHERE id = $1::uuid) AS campaign_exists,
                   (SELECT campaign_id::text FROM campaign_phases WHERE id = $2::uuid) AS phase_campaign,
                   EXISTS (SELECT 1 FROM campaign_task_history WHERE task_id = $3::uuid) AS id_was_used,
                   task.*
            FROM (SELECT 1) AS one
            LEFT JOIN LATERAL (SELECT \(taskColumns()) FROM campaign_tasks WHERE id = $3::uuid) AS task ON true
            """, [campaignId, phaseId, taskId])
    }

    static func facts(from result: PostgresResult) throws -> Facts {
        guard let row = result.first else {
            throw PostgresError(kind: .decoding, message: "the diagnostic query returned no row")
        }
        return Facts(
            campaignExists: try row.bool("campaign_exists") == true,
            phaseCampaign: try row.string("phase_campaign"),
            task: try row.string("id") == nil ? nil : try Self.task(from: row),
            idWasUsed: try row.bool("id_was_used") == true)
    }

    /// The facts read on their own (after a create that inserted nothing).
    static func facts(_ connection: PostgresConnection, campaignId: String, taskId: String, phaseId: String?) throws -> Facts {
        let statement = factsStatement(campaignId: campaignId, taskId: taskId, phaseId: phaseId)
        return try facts(from: connection.query(statement.sql, statement.parameters))
    }
}
