import APITestSupport
import CampaignModel
import Testing

/// Writes racing each other over real connections: `If-Match` lets exactly one win, and
/// positions stay 0..n-1 whatever the interleaving.
@Suite struct ConcurrentWriteTests {
    @Test(arguments: TestStoreKind.available)
    func twoPatchesWithTheSameIfMatchExactlyOneWins(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        for round in 0..<5 {
            let id = try #require(try await board.addTask("race \(round)")["id"]?.stringValue)
            let client = board.client
            let path = board.taskPath(id)
            let responses = try await withThrowingTaskGroup(of: APIClient.Response.self) { group in
                for writer in ["left", "right"] {
                    group.addTask {
                        try await client.request("PATCH", path, json: ["title": .string(writer)], headers: ["If-Match": "\"1\""])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let statuses = responses.map(\.status).sorted()
            #expect(statuses == [200, 412], "round \(round): \(statuses)")
            let winner = try #require(responses.first { $0.status == 200 })
            let loser = try #require(responses.first { $0.status == 412 })
            #expect(winner.json["version"] == 2)
            #expect(loser.json["error"]?["current"] == winner.json)
            #expect(try await client.request("GET", path).json == winner.json)
        }
    }

    @Test(arguments: TestStoreKind.available)
    func twentyConcurrentMovesIntoOnePhaseLeavePositionsZeroToN(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        var ids: [String] = []
        for index in 0..<20 { ids.append(try #require(try await board.addTask("m\(index)", phase: index % 3)["id"]?.stringValue)) }
        try await board.addTask("resident", phase: 3)
        let client = board.client
        let target = board.phases[3]
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, id) in ids.enumerated() {
                let path = board.taskPath(id) + "/move"
                group.addTask {
                    try await client.request("POST", path, json: ["phaseId": .string(target), "position": .int(Int64(index % 4))]).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 20))
        let snapshot = try await board.snapshot()
        let tasks = snapshot["tasks"]?.arrayValue ?? []
        for phase in board.phases {
            let positions = tasks.filter { $0["phaseId"]?.stringValue == phase }.compactMap { $0["position"]?.intValue }
            #expect(positions == Array(0..<Int64(positions.count)), "phase \(phase): \(positions)")
        }
        #expect(tasks.filter { $0["phaseId"]?.stringValue == target }.count == 21)
        #expect(tasks.allSatisfy { $0["phaseId"]?.stringValue == target })
    }
}
