import CampaignModel
import CampaignStore
import Postgres
import Testing
import TestSupport

/// No session setting turns the audit trail off: `campaign.renumbering` only counts for the triggers'
/// own renumbering (inside a trigger), never for a writer's statement.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct PostgresAuditSwitchTests {
    @Test(arguments: ["SET LOCAL campaign.renumbering = 'on'", "SELECT set_config('campaign.renumbering', 'on', true)"])
    func aWriterThatSetsTheRenumberingSwitchIsStillAudited(switchOn: String) async throws {
        let board = try await Board.make(try await SharedDatabase.store())
        let task = try await board.addTask("Watched")
        let neighbour = try await board.addTask("Neighbour")
        let before = try await board.store.latestEventId(campaignId: board.id)
        try await SharedDatabase.rawPool.withTransaction { connection in
            try connection.execute(switchOn)
            try connection.execute("UPDATE campaign_tasks SET title = 'Changed in the dark' WHERE id = $1::uuid", [task.id])
            try connection.execute("UPDATE campaign_tasks SET position = 0 WHERE id = $1::uuid", [neighbour.id])
        }

        let changed = try #require(try await board.store.task(campaignId: board.id, taskId: task.id))
        #expect(changed.title == "Changed in the dark" && changed.version == 2)
        let moved = try #require(try await board.store.task(campaignId: board.id, taskId: neighbour.id))
        #expect(moved.position == 0 && moved.version == 2)
        let history = try await board.snapshot().history
        #expect(history.prefix(2).map(\.action) == [.moved, .updated])
        #expect(history.prefix(2).map(\.taskId) == [neighbour.id, task.id])
        let events = try await board.events(after: before)
        #expect(events.map(\.type) == [.taskUpdated, .historyUpdate, .taskMoved, .historyUpdate])
        // The triggers' own renumbering still leaves the task the move pushed aside untouched.
        #expect(try await board.titles(in: 0) == ["Neighbour", "Changed in the dark"])
        #expect(try await board.store.task(campaignId: board.id, taskId: task.id)?.version == 2)
    }
}
