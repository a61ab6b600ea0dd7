import CampaignModel
import Postgres

extension PostgresCampaignStore {
    public func listCampaigns() async throws(StoreError) -> [Campaign] {
        try await statement("list campaigns") { connection in
            try connection.query("SELECT \(Self.campaignColumns) FROM campaigns ORDER BY created_at, id")
                .rows.map(Self.campaign(from:))
        }
    }

    public func createCampaign(_ draft: CampaignDraft) async throws(StoreError) -> Campaign {
        let draft = try StoreInput.campaignDraft(draft)
        let id = draft.id ?? Identifier.random()
        let phaseNames = Campaign.defaultPhaseNames
        return try await transaction("create campaign") { connection in
            // ON CONFLICT also settles two concurrent creates of one id: the loser sees no row.
            guard let row = try connection.query(
                """
                INSERT INTO campaigns (id, name) VALUES ($1::uuid, $2) ON CONFLICT (id) DO NOTHING
                RETURNING \(Self.campaignColumns)
                """, [id, draft.name]
            ).first else {
                throw StoreError.conflict("a campaign with this id already exists")
            }
            for (position, name) in phaseNames.enumerated() {
                try connection.execute(
                    "INSERT INTO campaign_phases (id, campaign_id, name, position) VALUES ($1::uuid, $2::uuid, $3, $4::int)",
                    [Identifier.random(), id, name, String(position)])
            }
            return try Self.campaign(from: row)
        }
    }

    public func campaign(id: String) async throws(StoreError) -> Campaign? {
        guard let id = Identifier.normalized(id) else { return nil }
        return try await statement("read campaign") { connection in
            try connection.query("SELECT \(Self.campaignColumns) FROM campaigns WHERE id = $1::uuid", [id])
                .first.map(Self.campaign(from:))
        }
    }

    /// One REPEATABLE READ transaction: the rows and `lastEventId` come from one snapshot, and since
    /// event ids follow commit order, every event up to `lastEventId` is reflected in the rows.
    public func snapshot(campaignId: String, historyLimit: Int) async throws(StoreError) -> ExecutionSnapshot? {
        guard let campaignId = Identifier.normalized(campaignId) else { return nil }
        let historyLimit = String(min(max(0, historyLimit), Int(Int32.max)))
        return try await transaction("read snapshot", isolation: .repeatableRead) { connection in
            guard let head = try connection.query(
                """
                SELECT \(Self.campaignColumns), \(Self.latestEventIdExpression) AS last_event_id
                FROM campaigns WHERE id = $1::uuid
                """, [campaignId]
            ).first else { return nil }
            let phases = try connection.query(
                "SELECT \(Self.phaseColumns) FROM campaign_phases WHERE campaign_id = $1::uuid ORDER BY position",
                [campaignId]
            ).rows.map(Self.phase(from:))
            // The join names the campaign on both sides: with `phase.id = task.phase_id` alone the
            // planner hashed the phases of every campaign for each snapshot.
            let tasks = try connection.query(
                """
                SELECT \(Self.taskColumns("task")) FROM campaign_tasks AS task
                JOIN campaign_phases AS phase ON phase.id = task.phase_id AND phase.campaign_id = $1::uuid
                WHERE task.campaign_id = $1::uuid ORDER BY phase.position, task.position
                """, [campaignId]
            ).rows.map(Self.task(from:))
            let history = try connection.query(
                """
                SELECT \(Self.historyColumns) FROM campaign_task_history
                WHERE campaign_id = $1::uuid ORDER BY seq DESC LIMIT $2::int
                """, [campaignId, historyLimit]
            ).rows.map(Self.historyEntry(from:))
            return ExecutionSnapshot(
                campaign: try Self.campaign(from: head), phases: phases, tasks: tasks, history: history,
                lastEventId: try head.int64("last_event_id") ?? 0)
        }
    }

    /// The newest event id of campaign `$1`: its newest retained event, or, when every one was pruned,
    /// the pruned watermark (a client subscribing from it is then not told to resync).
    static let latestEventIdExpression = """
        greatest(
            coalesce((SELECT max(id) FROM campaign_events WHERE campaign_id = $1::uuid), 0),
            coalesce((SELECT pruned_through FROM campaign_event_retention WHERE campaign_id = $1::uuid), 0))
        """
}
