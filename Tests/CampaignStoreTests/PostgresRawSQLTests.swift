import CampaignModel
import CampaignStore
import Foundation
import Postgres
import Testing
import TestSupport

/// Writes made with plain SQL, as psql would: the triggers give them history, events and dense positions.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct PostgresRawSQLTests {
    private func sql(_ statement: String, _ parameters: [String?] = []) async throws -> Int {
        try await SharedDatabase.rawPool.withConnection { try $0.execute(statement, parameters) }
    }

    private func board() async throws -> Board {
        try await Board.make(try await SharedDatabase.store())
    }

    @Test func aRawUpdateRecordsHistoryAndEventsAsTheDatabase() async throws {
        let board = try await board()
        let task = try await board.addTask("Before")
        let before = try await board.store.latestEventId(campaignId: board.id)
        #expect(try await sql("UPDATE campaign_tasks SET title = 'After psql', status = 'blocked' WHERE id = $1::uuid", [task.id]) == 1)

        let updated = try #require(try await board.store.task(campaignId: board.id, taskId: task.id))
        #expect(updated.title == "After psql" && updated.status == .blocked)
        #expect(updated.version == 2 && updated.updatedAt >= task.updatedAt && updated.createdAt == task.createdAt)
        let entry = try #require(try await board.snapshot().history.first)
        #expect(entry.action == .updated && entry.actor == "database" && entry.taskId == task.id)
        let changes: JSONObject = ["title": ["from": "Before", "to": "After psql"], "status": ["from": "todo", "to": "blocked"]]
        #expect(entry.changes == changes)
        let events = try await board.events(after: before)
        #expect(events.map(\.type) == [.taskUpdated, .historyUpdate])
        #expect(events[0].data == EventData.taskUpdated(eventId: events[0].id, occurredAt: updated.updatedAt, origin: nil,
                                                        task: updated, changes: changes))
        #expect(events[1].data == EventData.historyUpdate(eventId: events[1].id, occurredAt: entry.createdAt, origin: nil, entry: entry))
    }

    @Test func theDatabaseOwnsVersionsAndSkipsNoOpUpdates() async throws {
        let board = try await board()
        let task = try await board.addTask("Owned")
        #expect(try await sql("UPDATE campaign_tasks SET version = 40, title = 'Still owned' WHERE id = $1::uuid", [task.id]) == 1)
        #expect(try await board.store.task(campaignId: board.id, taskId: task.id)?.version == 2)
        let before = try await board.store.latestEventId(campaignId: board.id)
        // Nothing a client sees changes: skipped entirely (no version, no history, no event).
        #expect(try await sql("UPDATE campaign_tasks SET title = title, version = 7, updated_at = now() WHERE id = $1::uuid", [task.id]) == 0)
        #expect(try await board.store.task(campaignId: board.id, taskId: task.id)?.version == 2)
        #expect(try await board.store.latestEventId(campaignId: board.id) == before)
    }

    @Test func anActorSetInTheTransactionIsRecorded() async throws {
        let board = try await board()
        let task = try await board.addTask("Audited")
        try await SharedDatabase.rawPool.withTransaction { connection in
            try connection.execute("SELECT set_config('app.actor', 'ops-script', true), set_config('app.origin', 'cron', true)")
            try connection.execute("UPDATE campaign_tasks SET priority = 'urgent' WHERE id = $1::uuid", [task.id])
        }
        let entry = try #require(try await board.snapshot().history.first)
        #expect(entry.actor == "ops-script")
        let events = try await board.events()
        #expect(try dataObject(events[2])["origin"] == "cron")
        // The setting was transaction-local: the next plain statement is "database" again.
        _ = try await sql("UPDATE campaign_tasks SET priority = 'low' WHERE id = $1::uuid", [task.id])
        #expect(try await board.snapshot().history.first?.actor == "database")
    }

    @Test func rawInsertsGoToTheEndOrTheirClampedPosition() async throws {
        let board = try await board()
        try await board.addTask("api")
        _ = try await sql("INSERT INTO campaign_tasks (campaign_id, phase_id, title) VALUES ($1::uuid, $2::uuid, 'psql end')",
                          [board.id, board.phaseId(0)])
        _ = try await sql(
            "INSERT INTO campaign_tasks (campaign_id, phase_id, title, position, version) VALUES ($1::uuid, $2::uuid, 'psql first', 0, 9)",
            [board.id, board.phaseId(0)])
        _ = try await sql(
            "INSERT INTO campaign_tasks (campaign_id, phase_id, title, position) VALUES ($1::uuid, $2::uuid, 'psql far', 1000)",
            [board.id, board.phaseId(0)])
        #expect(try await board.titles(in: 0) == ["psql first", "api", "psql end", "psql far"])
        #expect(try await board.tasks(in: 0).allSatisfy { $0.version == 1 })
        let history = try await board.snapshot().history
        #expect(history.prefix(3).allSatisfy { $0.action == .created && $0.actor == "database" })
        let events = try await board.events()
        #expect(events.map(\.type) == Array(repeating: [CampaignEventType.taskCreated, .historyUpdate], count: 4).flatMap { $0 })
        let first = try #require(try await board.tasks(in: 0).first)
        #expect(events[4].data == EventData.taskCreated(eventId: events[4].id, occurredAt: first.createdAt, origin: nil, task: first))
    }

    @Test func aMultiRowInsertMixingTheEndAndTheMiddleLeavesDensePositions() async throws {
        // Rows at the end skip the phase renumbering; a row placed in the middle renumbers it. Within one
        // statement their AFTER triggers run in row order, each placing its own row, so a row asked for a
        // place keeps it, and the rows that went to the end settle among the others in trigger order
        // (as they did when every insert renumbered). What must hold: positions 0..n-1, every row there.
        let board = try await board()
        for title in ["a", "b", "c"] { try await board.addTask(title) }
        _ = try await sql(
            """
            INSERT INTO campaign_tasks (campaign_id, phase_id, title, position) VALUES
                ($1::uuid, $2::uuid, 'end 1', NULL), ($1::uuid, $2::uuid, 'front', 0),
                ($1::uuid, $2::uuid, 'end 2', NULL), ($1::uuid, $2::uuid, 'second', 1), ($1::uuid, $2::uuid, 'far', 1000)
            """, [board.id, board.phaseId(0)])
        let firstTitles = try await board.titles(in: 0)  // checks positions 0..n-1
        #expect(firstTitles.sorted() == ["a", "b", "c", "end 1", "end 2", "far", "front", "second"])
        #expect(firstTitles.prefix(2) == ["front", "second"] && firstTitles.last == "far", "\(firstTitles)")
        _ = try await sql(
            """
            INSERT INTO campaign_tasks (campaign_id, phase_id, title, position) VALUES
                ($1::uuid, $2::uuid, 'middle', 4), ($1::uuid, $2::uuid, 'last', NULL)
            """, [board.id, board.phaseId(0)])
        let secondTitles = try await board.titles(in: 0)
        #expect(secondTitles.count == 10 && secondTitles[4] == "middle" && secondTitles.last == "last", "\(secondTitles)")
        #expect(Array(secondTitles.filter { $0 != "middle" }.dropLast()) == firstTitles, "the others keep their order")
    }

    @Test func aRawDeleteClosesItsGap() async throws {
        let board = try await board()
        var ids: [String] = []
        for title in ["a", "b", "c", "d"] { ids.append(try await board.addTask(title).id) }
        #expect(try await sql("DELETE FROM campaign_tasks WHERE id = $1::uuid", [ids[1]]) == 1)
        #expect(try await board.titles(in: 0) == ["a", "c", "d"])
        let events = try await board.events()
        #expect(events.suffix(2).map(\.type) == [.taskDeleted, .historyUpdate])
        let deleted = try dataObject(try #require(events.dropLast().last))
        #expect(deleted["taskId"] == .string(ids[1]) && deleted["phaseId"] == .string(board.phaseId(0)))
        #expect(try await board.snapshot().history.first?.actor == "database")
        // A multi-row delete closes every gap too.
        #expect(try await sql("DELETE FROM campaign_tasks WHERE id = ANY($1::uuid[])", ["{\(ids[0]),\(ids[3])}"]) == 2)
        #expect(try await board.titles(in: 0) == ["c"])
    }

    @Test func aMultiRowMoveKeepsBothPhasesDense() async throws {
        let board = try await board()
        for title in ["a", "b", "c", "d"] { try await board.addTask(title) }
        try await board.addTask("x", phase: 1)
        let before = try await board.store.latestEventId(campaignId: board.id)
        #expect(try await sql(
            "UPDATE campaign_tasks SET phase_id = $2::uuid WHERE campaign_id = $1::uuid AND title IN ('b', 'd')",
            [board.id, board.phaseId(1)]) == 2)
        #expect(try await board.titles(in: 0) == ["a", "c"])
        let second = try await board.titles(in: 1)
        #expect(second.count == 3 && Set(second) == ["x", "b", "d"])
        let events = try await board.events(after: before)
        #expect(events.filter { $0.type == .taskMoved }.count == 2 && events.count == 4)
    }

    @Test func rawSQLCannotStoreWhatTheAPIForbids() async throws {
        let board = try await board()
        let other = try await Board.make(board.store, name: "Other")
        let task = try await board.addTask("Guarded")
        let statements: [(String, [String?])] = [
            ("UPDATE campaign_tasks SET status = 'finished' WHERE id = $1::uuid", [task.id]),
            ("UPDATE campaign_tasks SET priority = 'meh' WHERE id = $1::uuid", [task.id]),
            ("UPDATE campaign_tasks SET title = repeat('x', 201) WHERE id = $1::uuid", [task.id]),
            ("UPDATE campaign_tasks SET title = ' padded' WHERE id = $1::uuid", [task.id]),
            ("UPDATE campaign_tasks SET title = '' WHERE id = $1::uuid", [task.id]),
            ("UPDATE campaign_tasks SET description = repeat('x', 10001) WHERE id = $1::uuid", [task.id]),
            ("UPDATE campaign_tasks SET assignee = repeat('x', 101) WHERE id = $1::uuid", [task.id]),
            ("UPDATE campaign_tasks SET position = -1 WHERE id = $1::uuid", [task.id]),
            ("UPDATE campaign_tasks SET phase_id = $2::uuid WHERE id = $1::uuid", [task.id, other.phaseId(0)]),
            ("UPDATE campaign_tasks SET campaign_id = $2::uuid WHERE id = $1::uuid", [task.id, other.id]),
        ]
        for (statement, parameters) in statements {
            await #expect(throws: PostgresError.self, "\(statement)") { _ = try await sql(statement, parameters) }
        }
        // TRUNCATE takes the table's exclusive lock before the trigger refuses it; waiting for that lock
        // would queue every other test's writers behind it (and into their lock timeout), so it waits
        // 50 ms at a time, and what must refuse it is the trigger, not the lock.
        var refusal: PostgresError?
        for _ in 0..<200 where refusal == nil {
            do {
                _ = try await SharedDatabase.rawPool.withConnection { connection in
                    try connection.executeScript("SET lock_timeout = '50ms'")
                    defer { try? connection.executeScript("RESET lock_timeout") }
                    try connection.executeScript("TRUNCATE campaign_tasks")
                }
            } catch let error as PostgresError where error.sqlState == "55P03" {
                try await Task.sleep(for: .milliseconds(20))
            } catch let error as PostgresError {
                refusal = error
            }
        }
        #expect(refusal != nil, "TRUNCATE campaign_tasks is refused")
        #expect(try await board.store.task(campaignId: board.id, taskId: task.id) == task)
        #expect(try await board.events().count == 2)
    }
}
