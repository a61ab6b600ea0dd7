import APITestSupport
import CampaignModel
import Testing

/// A create with a client-chosen `id`: a retry with the same content is a 200 and writes nothing;
/// other content, or the id of a deleted task, is a 409.
@Suite struct IdempotentCreateTests {
    @Test(arguments: TestStoreKind.available)
    func aRetryWithTheSameContentIs200AndWritesNothing(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let id = Identifier.random()
        let body: JSONValue = ["id": .string(id), "phaseId": .string(board.phases[0]), "title": "Once", "priority": "high"]
        let first = try await board.client.request("POST", board.tasksPath, json: body)
        #expect(first.status == 201 && first.json["id"]?.stringValue == id)
        try await board.addTask("after")
        let eventsBefore = try await board.lastEventId()
        let historyBefore = try await board.history().count

        // Same content; omitted fields equal to their defaults, a different position, extra white space.
        let retries: [JSONValue] = [
            body,
            ["id": .string(id.uppercased()), "phaseId": .string(board.phases[0]), "title": "  Once ", "priority": "high",
             "status": "todo", "description": "", "assignee": nil, "dueDate": nil, "position": 1],
        ]
        for retry in retries {
            let again = try await board.client.request("POST", board.tasksPath, json: retry)
            #expect(again.status == 200)
            #expect(again.json == first.json)
            #expect(again.header("ETag") == "\"1\"")
        }
        #expect(try await board.lastEventId() == eventsBefore)
        #expect(try await board.history().count == historyBefore)
        #expect(try await board.tasks(inPhase: 0).count == 2)
    }

    @Test(arguments: TestStoreKind.available)
    func aRetryAfterAnUpdateComparesWithTheCurrentTask(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let id = Identifier.random()
        let body: JSONValue = ["id": .string(id), "phaseId": .string(board.phases[0]), "title": "Draft"]
        #expect(try await board.client.request("POST", board.tasksPath, json: body).status == 201)
        #expect(try await board.client.request("PATCH", board.taskPath(id), json: ["title": "Final"]).status == 200)
        expectError(try await board.client.request("POST", board.tasksPath, json: body), 409)
    }

    @Test(arguments: TestStoreKind.available)
    func otherContentWithTheSameIdIs409(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let other = try await Board.make(app)
        let id = Identifier.random()
        let original = try await board.client.request("POST", board.tasksPath,
                                                      json: ["id": .string(id), "phaseId": .string(board.phases[0]), "title": "Once"])
        #expect(original.status == 201)
        let eventsBefore = try await board.lastEventId()
        let variants: [JSONObject] = [
            ["title": "Twice"], ["phaseId": .string(board.phases[1])], ["description": "more"], ["status": "done"],
            ["priority": "low"], ["assignee": "ann"], ["dueDate": "2026-01-01"],
        ]
        for variant in variants {
            var body: JSONObject = ["id": .string(id), "phaseId": .string(board.phases[0]), "title": "Once"]
            for member in variant.members { body[member.key] = member.value }
            expectError(try await board.client.request("POST", board.tasksPath, json: .object(body)), 409)
        }
        // The same id under another campaign is taken too.
        let elsewhere = try await other.client.request("POST", other.tasksPath,
                                                       json: ["id": .string(id), "phaseId": .string(other.phases[0]), "title": "Once"])
        expectError(elsewhere, 409)
        #expect(try await board.lastEventId() == eventsBefore)
        #expect(try await board.client.request("GET", board.taskPath(id)).json == original.json)
        #expect(try await other.snapshot()["tasks"] == .array([]))
    }

    @Test(arguments: TestStoreKind.available)
    func theIdOfADeletedTaskIs409(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let id = Identifier.random()
        let body: JSONValue = ["id": .string(id), "phaseId": .string(board.phases[0]), "title": "Gone"]
        #expect(try await board.client.request("POST", board.tasksPath, json: body).status == 201)
        #expect(try await board.client.request("DELETE", board.taskPath(id)).status == 204)
        expectError(try await board.client.request("POST", board.tasksPath, json: body), 409)
        expectError(try await board.client.request("GET", board.taskPath(id)), 404)
    }
}
