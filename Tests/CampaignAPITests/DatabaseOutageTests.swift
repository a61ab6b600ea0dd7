import APITestSupport
import CampaignModel
import Foundation
import ServerConfiguration
import Testing
import TestSupport

/// docs/API.md: while PostgreSQL is unreachable every request that needs it is a 503 (nothing half-written)
/// and `/api/health` is 503 `degraded`; the server recovers by itself when the database is back.
/// Uses a PostgreSQL server of its own, which it stops and starts.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct DatabaseOutageTests {
    @Test func requestsAre503WhileTheDatabaseIsDownAndServedAfter() async throws {
        let database = try ThrowawayPostgres.start()
        defer { database.destroy() }
        try await withServer(.postgres, settings: { $0.database.url = database.url }) { app in
            let board = try await Board.make(app)
            let kept = try #require(try await board.addTask("kept")["id"]?.stringValue)

            try database.stop()
            let lost = Identifier.random()
            let requests: [(String, String, JSONValue?)] = [
                ("GET", "/api/campaigns", nil),
                ("GET", "/api/campaigns/\(board.id)/execution", nil),
                ("POST", board.tasksPath, ["id": .string(lost), "phaseId": .string(board.phases[0]), "title": "lost"]),
                ("PATCH", board.taskPath(kept), ["title": "lost"]),
                ("POST", board.taskPath(kept) + "/move", ["phaseId": .string(board.phases[1]), "position": 0]),
                ("DELETE", board.taskPath(kept), nil),
                ("POST", "/api/campaigns", ["name": "lost"]),
            ]
            for (method, path, body) in requests {
                let response = try await board.client.request(method, path, json: body)
                expectError(response, 503)
                #expect(response.status == 503, "\(method) \(path)")
                #expect(!response.text.lowercased().contains("select") && !response.text.contains(database.url))
            }
            let health = try await board.client.request("GET", "/api/health")
            #expect(health.status == 503 && health.json["status"] == "degraded")
            #expect(try await board.client.request("GET", "/api/events/\(board.id)").status == 503)

            try database.startAgain()
            var recovered = 0
            for _ in 0..<600 where recovered != 200 {
                recovered = try await board.client.request("GET", "/api/health").status
                if recovered != 200 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(recovered == 200)
            var snapshot = try await board.client.request("GET", "/api/campaigns/\(board.id)/execution")
            for _ in 0..<100 where snapshot.status != 200 {
                try await Task.sleep(for: .milliseconds(50))
                snapshot = try await board.client.request("GET", "/api/campaigns/\(board.id)/execution")
            }
            let tasks = snapshot.json["tasks"]?.arrayValue ?? []
            #expect(tasks.count == 1 && tasks.first?["title"] == "kept" && tasks.first?["version"] == 1)
            expectError(try await board.client.request("GET", board.taskPath(lost)), 404)
            #expect(try await board.addTask("after")["position"] == 1)
        }
    }
}
