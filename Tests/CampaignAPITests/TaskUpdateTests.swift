import APITestSupport
import CampaignModel
import Testing

/// `PATCH /api/campaigns/:id/tasks/:taskId`: fields, versions, `ETag`, validation.
@Suite struct TaskUpdateTests {
    @Test(arguments: TestStoreKind.available)
    func aPatchChangesOnlyItsFieldsAndBumpsTheVersion(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let task = try await board.addTask("Draft", extra: ["assignee": "ann", "dueDate": "2026-03-01", "description": "keep"])
        let id = try #require(task["id"]?.stringValue)
        let response = try await board.client.request(
            "PATCH", board.taskPath(id), json: ["title": "  Final  ", "status": "done", "priority": "low", "assignee": nil])
        #expect(response.status == 200)
        let updated = response.json
        #expect(response.header("ETag") == "\"2\"")
        #expect(updated["version"] == 2 && updated["title"] == "Final" && updated["status"] == "done")
        #expect(updated["priority"] == "low" && updated["assignee"] == .null)
        #expect(updated["dueDate"] == "2026-03-01" && updated["description"] == "keep")
        #expect(updated["position"] == task["position"] && updated["phaseId"] == task["phaseId"])
        #expect(updated["createdAt"] == task["createdAt"] && isTimestamp(updated["updatedAt"]))

        let cleared = try await board.client.request("PATCH", board.taskPath(id), json: ["dueDate": nil, "description": "new"])
        #expect(cleared.status == 200 && cleared.json["dueDate"] == .null && cleared.json["version"] == 3)
        #expect(cleared.header("ETag") == "\"3\"")
        let fetched = try await board.client.request("GET", board.taskPath(id))
        #expect(fetched.json == cleared.json && fetched.header("ETag") == "\"3\"")
    }

    @Test(arguments: TestStoreKind.available)
    func ifMatchWithTheCurrentVersionApplies(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let id = try #require(try await board.addTask("v1")["id"]?.stringValue)
        for (tag, title, version) in [("\"1\"", "v2", 2), ("W/\"2\"", "v3", 3), ("*", "v4", 4)] {
            let response = try await board.client.request("PATCH", board.taskPath(id), json: ["title": .string(title)], headers: ["If-Match": tag])
            #expect(response.status == 200 && response.json["version"] == .int(Int64(version)), "If-Match \(tag)")
        }
    }

    @Test(arguments: TestStoreKind.available)
    func aStaleIfMatchIs412WithTheCurrentTask(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let id = try #require(try await board.addTask("v1")["id"]?.stringValue)
        let current = try await board.client.request("PATCH", board.taskPath(id), json: ["title": "v2"])
        let events = try await board.lastEventId()
        let stale = try await board.client.request("PATCH", board.taskPath(id), json: ["title": "lost"], headers: ["If-Match": "\"1\""])
        expectError(stale, 412)
        #expect(stale.json["error"]?["current"] == current.json)
        #expect(try await board.client.request("GET", board.taskPath(id)).json == current.json)
        #expect(try await board.lastEventId() == events)
        let malformed = try await board.client.request("PATCH", board.taskPath(id), json: ["title": "x"], headers: ["If-Match": "\"abc\""])
        expectError(malformed, 400)
    }

    @Test(arguments: TestStoreKind.available)
    func invalidPatchesAre400WithTheFieldAndChangeNothing(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let task = try await board.addTask("Stable")
        let id = try #require(task["id"]?.stringValue)
        let cases: [(JSONValue, String?)] = [
            (["colour": "red"], "colour"),
            (["title": "ok", "position": 3], "position"),
            (["phaseId": .string(board.phases[1])], "phaseId"),
            (["version": 5], "version"),
            (["title": ""], "title"),
            (["title": "   "], "title"),
            (["title": nil], "title"),
            (["title": .string(String(repeating: "t", count: 201))], "title"),
            (["title": 12], "title"),
            (["description": .string(String(repeating: "d", count: 10_001))], "description"),
            (["description": nil], "description"),
            (["status": "finished"], "status"),
            (["status": true], "status"),
            (["priority": "p1"], "priority"),
            (["assignee": .string(String(repeating: "a", count: 101))], "assignee"),
            (["assignee": 3], "assignee"),
            (["dueDate": "tomorrow"], "dueDate"),
            (["dueDate": "2026-13-01"], "dueDate"),
            (["dueDate": "2025-02-29"], "dueDate"),
            (["dueDate": 1], "dueDate"),
            ([1, 2], nil),
            ("title", nil),
            (nil, nil),
        ]
        for (body, field) in cases {
            expectError(try await board.client.request("PATCH", board.taskPath(id), json: body), 400, field: field)
        }
        #expect(try await board.client.request("GET", board.taskPath(id)).json == task)
    }

    @Test(arguments: TestStoreKind.available)
    func titleLengthIsCountedInCodePoints(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let id = try #require(try await board.addTask("short")["id"]?.stringValue)
        // "🇫🇷" is one character but two code points: 100 flags are 200 code points, 101 are too many.
        let flags = String(repeating: "🇫🇷", count: 100)
        let ok = try await board.client.request("PATCH", board.taskPath(id), json: ["title": .string(flags)])
        #expect(ok.status == 200 && ok.json["title"]?.stringValue == flags)
        let tooLong = try await board.client.request("PATCH", board.taskPath(id), json: ["title": .string(flags + "🇫🇷")])
        expectError(tooLong, 400, field: "title")
    }
}
