import CampaignModel
import CampaignStore
import Postgres
import Testing
import TestSupport

/// The store's session warm-up fires the task triggers in a transaction that is rolled back.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct SessionWarmUpTests {
    @Test func theWarmUpLeavesNothingBehindAndTheSessionWritesAfterwards() async throws {
        let store = try await SharedDatabase.store()
        let board = try await Board.make(store)
        let before = try await store.latestEventId(campaignId: board.id)
        let counts = """
            SELECT (SELECT count(*) FROM campaigns WHERE name = 'session warm-up')::int AS campaigns,
                   (SELECT count(*) FROM campaign_task_history WHERE actor = 'session warm-up')::int AS history,
                   (SELECT count(*) FROM campaign_events WHERE payload LIKE '%session warm-up%')::int AS events
            """
        let left = try await SharedDatabase.rawPool.withConnection { connection in
            try PostgresCampaignStore.warmUpSession(connection)
            try PostgresCampaignStore.warmUpSession(connection)  // twice on one session: nothing collides
            let row = try connection.query(counts).first
            return [try row?.int("campaigns"), try row?.int("history"), try row?.int("events")]
        }
        #expect(left == [0, 0, 0])
        // Other tests write to the same database at the same time: only that the warm-up wrote nothing is
        // checked above. The store's next write on a warmed-up session works as always.
        _ = try await board.addTask("After a warm-up")
        let events = try await board.events()
        #expect(events.count == 2)
        #expect(events.allSatisfy { $0.id > before })
    }
}
