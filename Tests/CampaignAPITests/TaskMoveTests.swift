import APITestSupport
import CampaignModel
import Testing

/// `POST …/tasks/:taskId/move`: both phases renumbered, clamping, validation, `If-Match`.
@Suite struct TaskMoveTests {
    @Test(arguments: TestStoreKind.available)
    func aMoveRenumbersBothPhasesAndBumpsTheVersion(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        var source: [String] = []
        for title in ["a", "b", "c"] { source.append(try #require(try await board.addTask(title, phase: 0)["id"]?.stringValue)) }
        var target: [String] = []
        for title in ["x", "y"] { target.append(try #require(try await board.addTask(title, phase: 1)["id"]?.stringValue)) }

        let response = try await board.client.request("POST", board.taskPath(source[0]) + "/move",
                                                      json: ["phaseId": .string(board.phases[1]), "position": 1])
        #expect(response.status == 200)
        #expect(response.json["phaseId"]?.stringValue == board.phases[1] && response.json["position"] == 1)
        #expect(response.json["version"] == 2 && response.header("ETag") == "\"2\"")
        #expect(try await board.tasks(inPhase: 0).map(\.id) == [source[1], source[2]])
        #expect(try await board.tasks(inPhase: 0).map(\.position) == [0, 1])
        #expect(try await board.tasks(inPhase: 1).map(\.id) == [target[0], source[0], target[1]])
        #expect(try await board.tasks(inPhase: 1).map(\.position) == [0, 1, 2])
        // Neighbours renumbered keep their version.
        let neighbour = try await board.client.request("GET", board.taskPath(source[1]))
        #expect(neighbour.json["position"] == 0 && neighbour.json["version"] == 1)
    }

    @Test(arguments: TestStoreKind.available)
    func positionsAreClampedWithinAndAcrossPhases(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        var ids: [String] = []
        for title in ["a", "b", "c"] { ids.append(try #require(try await board.addTask(title)["id"]?.stringValue)) }
        // Within the phase: past the end means last (there are 2 other tasks).
        let last = try await board.client.request("POST", board.taskPath(ids[0]) + "/move",
                                                  json: ["phaseId": .string(board.phases[0]), "position": 99])
        #expect(last.status == 200 && last.json["position"] == 2)
        #expect(try await board.tasks(inPhase: 0).map(\.id) == [ids[1], ids[2], ids[0]])
        // Into an empty phase: any position becomes 0.
        let alone = try await board.client.request("POST", board.taskPath(ids[1]) + "/move",
                                                   json: ["phaseId": .string(board.phases[3]), "position": 7])
        #expect(alone.status == 200 && alone.json["position"] == 0)
        #expect(try await board.tasks(inPhase: 0).map(\.position) == [0, 1])
    }

    @Test(arguments: TestStoreKind.available)
    func invalidMovesAre400WithTheField(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let task = try await board.addTask("stay")
        let id = try #require(task["id"]?.stringValue)
        let phase = JSONValue.string(board.phases[1])
        let cases: [(JSONValue, String?)] = [
            (["phaseId": phase], "position"),
            (["position": 0], "phaseId"),
            ([:], nil),
            (["phaseId": phase, "position": -1], "position"),
            (["phaseId": phase, "position": .double(0.5)], "position"),
            (["phaseId": phase, "position": "0"], "position"),
            (["phaseId": phase, "position": nil], "position"),
            (["phaseId": "not-a-uuid", "position": 0], "phaseId"),
            (["phaseId": 3, "position": 0], "phaseId"),
            (["phaseId": phase, "position": 0, "title": "x"], "title"),
            ([phase], nil),
        ]
        for (body, field) in cases {
            expectError(try await board.client.request("POST", board.taskPath(id) + "/move", json: body), 400, field: field)
        }
        #expect(try await board.client.request("GET", board.taskPath(id)).json == task)
    }

    @Test(arguments: TestStoreKind.available)
    func aPhaseOfAnotherCampaignIs400AndAnUnknownPhase404(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let other = try await Board.make(app)
        let task = try await board.addTask("home")
        let id = try #require(task["id"]?.stringValue)
        let foreign = try await board.client.request("POST", board.taskPath(id) + "/move",
                                                     json: ["phaseId": .string(other.phases[0]), "position": 0])
        expectError(foreign, 400, field: "phaseId")
        let unknown = try await board.client.request("POST", board.taskPath(id) + "/move",
                                                     json: ["phaseId": .string(Identifier.random()), "position": 0])
        expectError(unknown, 404)
        #expect(try await board.client.request("GET", board.taskPath(id)).json == task)
        #expect(try await other.snapshot()["tasks"] == .array([]))
    }

    @Test(arguments: TestStoreKind.available)
    func aStaleIfMatchIs412WithTheCurrentTask(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let id = try #require(try await board.addTask("t")["id"]?.stringValue)
        let moved = try await board.client.request("POST", board.taskPath(id) + "/move",
                                                   json: ["phaseId": .string(board.phases[2]), "position": 0], headers: ["If-Match": "\"1\""])
        #expect(moved.status == 200 && moved.json["version"] == 2)
        let stale = try await board.client.request("POST", board.taskPath(id) + "/move",
                                                   json: ["phaseId": .string(board.phases[0]), "position": 0], headers: ["If-Match": "\"1\""])
        expectError(stale, 412)
        #expect(stale.json["error"]?["current"] == moved.json)
        #expect(try await board.tasks(inPhase: 2).map(\.id) == [id])
    }
}
