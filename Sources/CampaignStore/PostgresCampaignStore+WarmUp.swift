import CampaignModel
import Postgres

extension PostgresCampaignStore {
    /// The pool's `sessionSetup`: fires every task trigger once on a new session, inside a transaction
    /// that is rolled back, so nothing is kept and nothing is notified.
    ///
    /// A new PostgreSQL process compiles each PL/pgSQL function and plans each statement inside it on
    /// first use: a session's first task write took 6–10 ms instead of under 1 ms. Paid here, when the
    /// session opens (all of them at start-up: `PostgresPool.openSessions()`), that cost stays off the
    /// requests. The create statement is the API's own, so it is prepared for them too. What remains
    /// visible: the event-id sequence moves on (ids have gaps anyway).
    public static func warmUpSession(_ connection: PostgresConnection) throws {
        let campaign = Identifier.random()
        let phases = [Identifier.random(), Identifier.random()]
        let task = Identifier.random()
        try connection.execute("BEGIN")
        defer { _ = try? connection.execute("ROLLBACK") }
        try connection.execute("INSERT INTO campaigns (id, name) VALUES ($1::uuid, 'session warm-up')", [campaign])
        for (position, phase) in phases.enumerated() {
            try connection.execute("INSERT INTO campaign_phases (id, campaign_id, name, position) VALUES ($1::uuid, $2::uuid, 'warm-up', $3::int)",
                                   [phase, campaign, String(position)])
        }
        try begin(connection, campaignId: campaign, context: WriteContext(actor: "session warm-up"))
        try connection.execute(createTaskSQL, [task, campaign, phases[0], "warm-up", "", TaskStatus.todo.rawValue,
                                               TaskPriority.medium.rawValue, nil, nil, nil,
                                               /* task limit: the campaign is empty */ "1"])
        try connection.execute("UPDATE campaign_tasks SET title = 'warmed up' WHERE id = $1::uuid", [task])
        try connection.execute("UPDATE campaign_tasks SET phase_id = $2::uuid, position = 0 WHERE id = $1::uuid", [task, phases[1]])
        try connection.execute("DELETE FROM campaign_tasks WHERE id = $1::uuid", [task])
    }
}
