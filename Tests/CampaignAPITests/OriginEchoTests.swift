import APITestSupport
import CampaignModel
import Testing

/// `X-Client-Id` on a write comes back as `origin` in the events it causes.
@Suite struct OriginEchoTests {
    @Test(arguments: TestStoreKind.available)
    func theWritersClientIdIsTheOriginOfItsEvents(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let stream = try await SSEClient(port: app.port, campaignId: board.id, token: app.token())
        defer { stream.close() }
        #expect(stream.status == 200)
        let connected = try await stream.next()
        #expect(connected.event == "connected")
        let clientId = try #require(connected.json["clientId"]?.stringValue)

        let created = try await board.client.createTask(board.id, phaseId: board.phases[0], title: "mine", headers: ["X-Client-Id": clientId])
        let taskId = try #require(created["id"]?.stringValue)
        let createEvents = try await stream.next(until: "history-update")
        #expect(createEvents.map(\.event) == ["task-created", "history-update"])
        #expect(createEvents.allSatisfy { $0.json["origin"]?.stringValue == clientId })

        for (method, suffix, body) in [("PATCH", "", ["title": "renamed"] as JSONValue),
                                       ("POST", "/move", ["phaseId": .string(board.phases[1]), "position": 0])] {
            let response = try await board.client.request(method, board.taskPath(taskId) + suffix, json: body, headers: ["X-Client-Id": clientId])
            #expect(response.status == 200)
            let events = try await stream.next(until: "history-update")
            #expect(events.count == 2 && events.allSatisfy { $0.json["origin"]?.stringValue == clientId })
        }

        // Without the header the origin is null.
        #expect(try await board.client.request("PATCH", board.taskPath(taskId), json: ["title": "anonymous"]).status == 200)
        let plain = try await stream.next(until: "history-update")
        #expect(plain.first?.event == "task-updated")
        #expect(plain.allSatisfy { $0.json["origin"] == .null })

        #expect(try await board.client.request("DELETE", board.taskPath(taskId), headers: ["X-Client-Id": clientId]).status == 204)
        let deleted = try await stream.next(until: "history-update")
        #expect(deleted.first?.event == "task-deleted" && deleted.allSatisfy { $0.json["origin"]?.stringValue == clientId })
    }

    @Test(arguments: TestStoreKind.available)
    func anXClientIdThatCannotBeAClientIdIs400(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        for value in [String(repeating: "a", count: 65), "a b", "<script>", "id\"quote"] {
            let response = try await board.client.request("POST", board.tasksPath, json: ["phaseId": .string(board.phases[0]), "title": "x"],
                                                          headers: ["X-Client-Id": value])
            expectError(response, 400, field: "X-Client-Id")
        }
        #expect(try await board.snapshot()["tasks"] == .array([]))
    }
}
