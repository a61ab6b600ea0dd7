import APITestSupport
import CampaignModel
import Testing

/// Writes racing on the same ids: idempotent creates, campaign ids, deletes against updates and moves.
/// Whatever the interleaving, each answer is one the contract allows and the board stays consistent.
@Suite struct RacingWritesTests {
    static func concurrently(_ requests: [@Sendable () async throws -> APIClient.Response]) async throws -> [APIClient.Response] {
        try await withThrowingTaskGroup(of: APIClient.Response.self) { group in
            for request in requests { group.addTask(operation: request) }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test(arguments: TestStoreKind.available)
    func identicalCreatesWithOneClientIdMakeOneTask(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let client = board.client
        let path = board.tasksPath
        for round in 0..<5 {
            let id = Identifier.random()
            let body: JSONValue = ["id": .string(id), "phaseId": .string(board.phases[0]), "title": .string("twin \(round)")]
            let responses = try await Self.concurrently(Array(repeating: { try await client.request("POST", path, json: body) }, count: 4))
            let statuses = responses.map(\.status).sorted()
            #expect(statuses == [200, 200, 200, 201], "round \(round): \(statuses)")
            #expect(Set(responses.compactMap { $0.json["id"]?.stringValue }) == [id])
        }
        let tasks = try await board.tasks(inPhase: 0)
        #expect(tasks.count == 5 && tasks.map(\.position) == [0, 1, 2, 3, 4])
        #expect(try await board.history().count == 5)
    }

    @Test(arguments: TestStoreKind.available)
    func differentCreatesWithOneClientIdMakeOneTaskAndConflicts(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let client = board.client
        let path = board.tasksPath
        for round in 0..<5 {
            let id = Identifier.random()
            let requests: [@Sendable () async throws -> APIClient.Response] = (0..<4).map { writer in
                let body: JSONValue = ["id": .string(id), "phaseId": .string(board.phases[0]), "title": .string("writer \(writer)")]
                return { try await client.request("POST", path, json: body) }
            }
            let statuses = try await Self.concurrently(requests).map(\.status).sorted()
            #expect(statuses == [201, 409, 409, 409], "round \(round): \(statuses)")
        }
        #expect(try await board.tasks(inPhase: 0).count == 5)
    }

    @Test(arguments: TestStoreKind.available)
    func campaignsCreatedWithOneIdMakeOneCampaign(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let client = app.client()
        for _ in 0..<5 {
            let id = Identifier.random()
            let requests: [@Sendable () async throws -> APIClient.Response] = (0..<4).map { writer in
                { try await client.request("POST", "/api/campaigns", json: ["id": .string(id), "name": .string("racer \(writer)")]) }
            }
            let statuses = try await Self.concurrently(requests).map(\.status).sorted()
            #expect(statuses == [201, 409, 409, 409], "\(statuses)")
            let phases = try await client.snapshot(id)["phases"]?.arrayValue ?? []
            #expect(phases.count == 4)
        }
    }

    @Test(arguments: TestStoreKind.available)
    func aDeleteRacingAnUpdateAndAMoveLeavesAConsistentBoard(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let client = board.client
        for round in 0..<6 {
            let id = try #require(try await board.addTask("doomed \(round)")["id"]?.stringValue)
            try await board.addTask("neighbour \(round)")
            let path = board.taskPath(id)
            let target = board.phases[1]
            let responses = try await Self.concurrently([
                { try await client.request("DELETE", path) },
                { try await client.request("PATCH", path, json: ["title": "still here?"]) },
                { try await client.request("POST", path + "/move", json: ["phaseId": .string(target), "position": 0]) },
            ])
            #expect(responses.count == 3)
            #expect(responses.contains { $0.status == 204 }, "round \(round): \(responses.map(\.status))")
            #expect(responses.allSatisfy { [200, 204, 404].contains($0.status) }, "round \(round): \(responses.map(\.status))")
            expectError(try await client.request("GET", path), 404)
        }
        let tasks = try await board.snapshot()["tasks"]?.arrayValue ?? []
        for phase in board.phases {
            let positions = tasks.filter { $0["phaseId"]?.stringValue == phase }.compactMap { $0["position"]?.intValue }
            #expect(positions == Array(0..<Int64(positions.count)))
        }
        #expect(tasks.count == 6)
    }

    @Test(arguments: TestStoreKind.available)
    func concurrentCreatesAtTheTopOfAPhaseNumberItZeroToN(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let client = board.client
        let path = board.tasksPath
        let phase = board.phases[2]
        let requests: [@Sendable () async throws -> APIClient.Response] = (0..<20).map { index in
            { try await client.request("POST", path, json: ["phaseId": .string(phase), "title": .string("c\(index)"), "position": .int(Int64(index % 3))]) }
        }
        let statuses = try await Self.concurrently(requests).map(\.status)
        #expect(statuses == Array(repeating: 201, count: 20))
        let tasks = try await board.tasks(inPhase: 2)
        #expect(tasks.map(\.position) == Array(0..<20))
        #expect(Set(tasks.map(\.id)).count == 20)
    }
}
