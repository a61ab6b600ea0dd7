import APITestSupport
import CampaignModel
import Testing

/// `DELETE /api/campaigns/:id/tasks/:taskId`: 204, renumbering, `If-Match`, a second delete.
@Suite struct TaskDeleteTests {
    @Test(arguments: TestStoreKind.available)
    func aDeleteIs204AndClosesTheGap(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        var ids: [String] = []
        for title in ["a", "b", "c", "d"] { ids.append(try #require(try await board.addTask(title)["id"]?.stringValue)) }
        let response = try await board.client.request("DELETE", board.taskPath(ids[1]))
        #expect(response.status == 204 && response.body.isEmpty)
        let remaining = try await board.tasks(inPhase: 0)
        #expect(remaining.map(\.id) == [ids[0], ids[2], ids[3]])
        #expect(remaining.map(\.position) == [0, 1, 2])
        expectError(try await board.client.request("GET", board.taskPath(ids[1])), 404)
        expectError(try await board.client.request("DELETE", board.taskPath(ids[1])), 404)
        expectError(try await board.client.request("PATCH", board.taskPath(ids[1]), json: ["title": "ghost"]), 404)
        expectError(try await board.client.request("POST", board.taskPath(ids[1]) + "/move",
                                                   json: ["phaseId": .string(board.phases[0]), "position": 0]), 404)
    }

    @Test(arguments: TestStoreKind.available)
    func aStaleIfMatchIs412AndTheTaskStays(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let id = try #require(try await board.addTask("keep")["id"]?.stringValue)
        let updated = try await board.client.request("PATCH", board.taskPath(id), json: ["title": "kept"])
        let stale = try await board.client.request("DELETE", board.taskPath(id), headers: ["If-Match": "\"1\""])
        expectError(stale, 412)
        #expect(stale.json["error"]?["current"] == updated.json)
        #expect(try await board.client.request("GET", board.taskPath(id)).status == 200)
        let current = try await board.client.request("DELETE", board.taskPath(id), headers: ["If-Match": "\"2\""])
        #expect(current.status == 204)
        expectError(try await board.client.request("GET", board.taskPath(id)), 404)
    }

    @Test(arguments: TestStoreKind.available)
    func aTaskOfAnotherCampaignIs404ThroughThisOne(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let other = try await Board.make(app)
        let theirs = try #require(try await other.addTask("theirs")["id"]?.stringValue)
        expectError(try await board.client.request("GET", board.taskPath(theirs)), 404)
        expectError(try await board.client.request("PATCH", board.taskPath(theirs), json: ["title": "mine"]), 404)
        expectError(try await board.client.request("POST", board.taskPath(theirs) + "/move",
                                                   json: ["phaseId": .string(board.phases[0]), "position": 0]), 404)
        expectError(try await board.client.request("DELETE", board.taskPath(theirs)), 404)
        let still = try await other.client.request("GET", other.taskPath(theirs))
        #expect(still.status == 200 && still.json["title"] == "theirs" && still.json["version"] == 1)
    }
}
