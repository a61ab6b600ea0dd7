import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// Changes made in plain SQL (libpq, as psql would) reach the stream like API writes, as the `database` actor.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct RawSQLEventTests {
    @Test func aRawUpdateGivesTaskUpdatedAndHistoryUpdateByTheDatabase() async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(.postgres))
        let taskId = try await board.addTask("Set in the app")
        let (stream, _) = try await board.subscribe()
        defer { stream.close() }

        #expect(try await RawSQL.execute("UPDATE campaign_tasks SET title = 'Set in psql' WHERE id = $1::uuid", [taskId]) == 1)
        let messages = try await stream.next(2)
        #expect(messages.map(\.event) == ["task-updated", "history-update"])
        let updated = messages[0].json
        #expect(updated["task"]?["id"]?.stringValue == taskId)
        #expect(updated["task"]?["title"]?.stringValue == "Set in psql" && updated["task"]?["version"]?.intValue == 2)
        #expect(updated["changes"] == ["title": ["from": "Set in the app", "to": "Set in psql"]])
        #expect(updated["origin"] == .null)
        let entry = messages[1].json["entry"]
        #expect(entry?["actor"]?.stringValue == "database" && entry?["action"]?.stringValue == "updated")
        #expect(entry?["taskId"]?.stringValue == taskId)
        #expect(messages.allSatisfy { $0.eventId == $0.json["eventId"]?.intValue })
        #expect(messages.eventIds == (try await board.loggedEvents()).ids.suffix(2))
    }

    @Test func aRawInsertAndARawDeleteGiveTheirEventsAndKeepPositionsDense() async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(.postgres))
        var ids: [String] = []
        for title in ["a", "b", "c"] { ids.append(try await board.addTask(title)) }
        let (stream, _) = try await board.subscribe()
        defer { stream.close() }

        #expect(try await RawSQL.execute(
            "INSERT INTO campaign_tasks (campaign_id, phase_id, title, position) VALUES ($1::uuid, $2::uuid, 'from psql', 1)",
            [board.id, board.phases[0]]) == 1)
        let inserted = try await stream.next(2)
        #expect(inserted.map(\.event) == ["task-created", "history-update"])
        let task = inserted[0].json["task"]
        let insertedId = try #require(task?["id"]?.stringValue)
        #expect(task?["title"]?.stringValue == "from psql" && task?["position"]?.intValue == 1 && task?["version"]?.intValue == 1)
        #expect(inserted[1].json["entry"]?["actor"]?.stringValue == "database")
        #expect(inserted[1].json["entry"]?["action"]?.stringValue == "created")
        #expect(try await positions(board) == [ids[0]: 0, insertedId: 1, ids[1]: 2, ids[2]: 3])

        #expect(try await RawSQL.execute("DELETE FROM campaign_tasks WHERE id = $1::uuid", [ids[1]]) == 1)
        let deleted = try await stream.next(2)
        #expect(deleted.map(\.event) == ["task-deleted", "history-update"])
        #expect(deleted[0].json["taskId"]?.stringValue == ids[1] && deleted[0].json["phaseId"]?.stringValue == board.phases[0])
        #expect(deleted[1].json["entry"]?["actor"]?.stringValue == "database")
        #expect(deleted[1].json["entry"]?["action"]?.stringValue == "deleted")
        #expect(try await positions(board) == [ids[0]: 0, insertedId: 1, ids[2]: 2])
        #expect((inserted + deleted).eventIds == (try await board.loggedEvents()).ids.suffix(4))
    }

    /// Positions of the first phase's tasks by id, from a fresh snapshot.
    private func positions(_ board: LiveBoard) async throws -> [String: Int64] {
        let tasks = try await board.snapshot()["tasks"]?.arrayValue ?? []
        var result: [String: Int64] = [:]
        for task in tasks where task["phaseId"]?.stringValue == board.phases[0] {
            result[task["id"]?.stringValue ?? ""] = task["position"]?.intValue ?? -1
        }
        return result
    }
}
