import APITestSupport
import CampaignModel
import Testing

/// `POST /api/campaigns/:id/tasks`: 201 with `Location` and `ETag`, defaults, positions, validation.
@Suite struct TaskCreateTests {
    @Test(arguments: TestStoreKind.available)
    func createAnswers201WithLocationETagAndTheDefaults(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let response = try await board.client.request("POST", board.tasksPath,
                                                      json: ["phaseId": .string(board.phases[1]), "title": "  Write copy \t"])
        #expect(response.status == 201)
        let task = response.json
        let id = try #require(task["id"]?.stringValue)
        #expect(Identifier.normalized(id) == id)
        #expect(response.header("Location") == "/api/campaigns/\(board.id)/tasks/\(id)")
        #expect(response.header("ETag") == "\"1\"")
        #expect(task["campaignId"]?.stringValue == board.id && task["phaseId"]?.stringValue == board.phases[1])
        #expect(task["title"] == "Write copy")
        #expect(task["description"] == "" && task["status"] == "todo" && task["priority"] == "medium")
        #expect(task["assignee"] == .null && task["dueDate"] == .null)
        #expect(task["position"] == 0 && task["version"] == 1)
        #expect(isTimestamp(task["createdAt"]) && task["createdAt"] == task["updatedAt"])
        #expect(task.objectValue?.keys.sorted() == [
            "assignee", "campaignId", "createdAt", "description", "dueDate", "id", "phaseId", "position", "priority",
            "status", "title", "updatedAt", "version",
        ])

        let fetched = try await board.client.request("GET", board.taskPath(id))
        #expect(fetched.status == 200 && fetched.json == task && fetched.header("ETag") == "\"1\"")
    }

    @Test(arguments: TestStoreKind.available)
    func everyFieldIsStoredAsSent(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let body: JSONObject = [
            "description": "Brief\nwith a second line ✓", "status": "in_progress", "priority": "urgent",
            "assignee": "Zoë", "dueDate": "2028-02-29",
        ]
        let task = try await board.addTask("Full", extra: body)
        for (key, value) in body.members { #expect(task[key] == value, "\(key)") }
        let id = try #require(task["id"]?.stringValue)
        #expect(try await board.client.request("GET", board.taskPath(id)).json == task)
    }

    @Test(arguments: TestStoreKind.available)
    func positionDefaultsToTheEndAndIsClamped(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let a = try await board.addTask("a")
        let b = try await board.addTask("b")
        #expect(a["position"] == 0 && b["position"] == 1)
        let far = try await board.addTask("far", extra: ["position": 1000])
        #expect(far["position"] == 2)
        let top = try await board.addTask("top", extra: ["position": 0])
        #expect(top["position"] == 0)
        let middle = try await board.addTask("middle", extra: ["position": 2])
        #expect(middle["position"] == 2)
        let order = try await board.tasks(inPhase: 0)
        #expect(order.map(\.id) == [top, a, middle, b, far].compactMap { $0["id"]?.stringValue })
        #expect(order.map(\.position) == [0, 1, 2, 3, 4])
    }

    @Test(arguments: TestStoreKind.available)
    func titleLimitsCountCodePointsAfterTrimming(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        // 200 code points, several UTF-8 bytes each, padded with white space: accepted and trimmed.
        let longest = String(repeating: "é", count: 199) + "😀"
        let accepted = try await board.addTask("  \(longest)\n")
        #expect(accepted["title"]?.stringValue == longest)
        for title in [String(repeating: "a", count: 201), "", " \t\n ", String(repeating: "😀", count: 201)] {
            let response = try await board.client.request("POST", board.tasksPath,
                                                          json: ["phaseId": .string(board.phases[0]), "title": .string(title)])
            expectError(response, 400, field: "title")
        }
    }

    @Test(arguments: TestStoreKind.available)
    func invalidBodiesAre400WithTheField(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let phase = JSONValue.string(board.phases[0])
        let cases: [(JSONObject, String)] = [
            (["title": "no phase"], "phaseId"),
            (["phaseId": phase], "title"),
            (["phaseId": "nope", "title": "x"], "phaseId"),
            (["phaseId": 7, "title": "x"], "phaseId"),
            (["phaseId": phase, "title": 7], "title"),
            (["phaseId": phase, "title": nil], "title"),
            (["phaseId": phase, "title": "x", "status": "finished"], "status"),
            (["phaseId": phase, "title": "x", "status": nil], "status"),
            (["phaseId": phase, "title": "x", "priority": "critical"], "priority"),
            (["phaseId": phase, "title": "x", "priority": 1], "priority"),
            (["phaseId": phase, "title": "x", "description": .string(String(repeating: "d", count: 10_001))], "description"),
            (["phaseId": phase, "title": "x", "description": false], "description"),
            (["phaseId": phase, "title": "x", "assignee": .string(String(repeating: "p", count: 101))], "assignee"),
            (["phaseId": phase, "title": "x", "assignee": ["ann"]], "assignee"),
            (["phaseId": phase, "title": "x", "dueDate": "2026-02-30"], "dueDate"),
            (["phaseId": phase, "title": "x", "dueDate": "2026-1-5"], "dueDate"),
            (["phaseId": phase, "title": "x", "dueDate": "2026-03-01T00:00:00Z"], "dueDate"),
            (["phaseId": phase, "title": "x", "dueDate": 20260301], "dueDate"),
            (["phaseId": phase, "title": "x", "position": -1], "position"),
            (["phaseId": phase, "title": "x", "position": .double(1.5)], "position"),
            (["phaseId": phase, "title": "x", "position": "1"], "position"),
            (["phaseId": phase, "title": "x", "id": "123"], "id"),
            (["phaseId": phase, "title": "x", "campaignId": .string(Identifier.random())], "campaignId"),
            (["phaseId": phase, "title": "x", "owner": "ann"], "owner"),
        ]
        for (body, field) in cases {
            let response = try await board.client.request("POST", board.tasksPath, json: .object(body))
            expectError(response, 400, field: field)
        }
        // The limits themselves are accepted.
        let edge = try await board.addTask("edge", extra: [
            "description": .string(String(repeating: "d", count: 10_000)), "assignee": .string(String(repeating: "p", count: 100)),
        ])
        #expect(edge["description"]?.stringValue?.count == 10_000 && edge["assignee"]?.stringValue?.count == 100)
        #expect(try await board.snapshot()["tasks"]?.arrayValue?.count == 1)
    }

    @Test(arguments: TestStoreKind.available)
    func aPhaseOfAnotherCampaignIs400AndAnUnknownPhase404(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let other = try await Board.make(app)
        let foreign = try await board.client.request("POST", board.tasksPath, json: ["phaseId": .string(other.phases[0]), "title": "x"])
        expectError(foreign, 400, field: "phaseId")
        let unknown = try await board.client.request("POST", board.tasksPath, json: ["phaseId": .string(Identifier.random()), "title": "x"])
        expectError(unknown, 404)
        #expect(try await board.snapshot()["tasks"] == .array([]))
        #expect(try await other.snapshot()["tasks"] == .array([]))
    }
}
