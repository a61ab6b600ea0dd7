import APITestSupport
import CampaignModel
import ServerConfiguration
import Testing

/// Issue 12: MAX_TASKS_PER_CAMPAIGN, the same on both stores. A create past it is 409
/// `task_limit_reached`; what would be answered before it (404, 400, an idempotent retry's 200, an id
/// conflict's 409 `conflict`) still is; deleting a task makes room again.
@Suite struct TaskLimitTests {
    static let limit = 3

    @Test(arguments: TestStoreKind.available)
    func aCreatePastTheLimitIs409AndDeletingMakesRoom(kind: TestStoreKind) async throws {
        try await withServer(kind, settings: { $0.limits.maxTasksPerCampaign = Self.limit }) { app in
            let board = try await Board.make(app)
            let known = Identifier.random()
            let first = try await board.addTask("first", extra: ["id": .string(known)])
            try await board.addTask("second", phase: 1)
            let third = try #require(try await board.addTask("third", phase: 2)["id"]?.stringValue)

            let refused = try await board.client.request("POST", board.tasksPath, json: ["phaseId": .string(board.phases[3]), "title": "fourth"])
            expectError(refused, 409, code: "task_limit_reached")
            #expect(refused.json["error"]?["message"]?.stringValue?.contains("\(Self.limit)") == true)
            // Nothing was written: no task, no history, no event.
            let snapshot = try await board.snapshot()
            #expect(snapshot["tasks"]?.arrayValue?.count == Self.limit)
            #expect(snapshot["history"]?.arrayValue?.count == Self.limit)

            // Answers that come first are unchanged in a full campaign.
            let retry = try await board.client.request("POST", board.tasksPath, json: ["id": .string(known), "phaseId": .string(board.phases[0]), "title": "first"])
            #expect(retry.status == 200)
            #expect(retry.json["id"] == first["id"])
            expectError(try await board.client.request("POST", board.tasksPath, json: ["id": .string(known), "phaseId": .string(board.phases[0]), "title": "other"]),
                        409, code: "conflict")
            expectError(try await board.client.request("POST", "/api/campaigns/\(Identifier.random())/tasks", json: ["phaseId": .string(board.phases[0]), "title": "x"]), 404)
            expectError(try await board.client.request("POST", board.tasksPath, json: ["phaseId": .string(board.phases[0])]), 400, code: "validation_failed")
            expectError(try await board.client.request("POST", board.tasksPath, json: ["phaseId": .string(Identifier.random()), "title": "x"]), 404)

            // Another campaign has its own count.
            let other = try await Board.make(app)
            try await other.addTask("elsewhere")

            // Room again after a delete; the deleted id stays taken (a conflict, not the limit).
            #expect(try await board.client.request("DELETE", board.taskPath(third)).status == 204)
            try await board.addTask("fourth, now that there is room")
            expectError(try await board.client.request("POST", board.tasksPath, json: ["phaseId": .string(board.phases[0]), "title": "fifth"]),
                        409, code: "task_limit_reached")
            #expect(try await board.snapshot()["tasks"]?.arrayValue?.count == Self.limit)
        }
    }

    /// Racing creates in one campaign cannot overshoot: the count is taken under the campaign's write lock.
    @Test(arguments: TestStoreKind.available)
    func concurrentCreatesStopExactlyAtTheLimit(kind: TestStoreKind) async throws {
        try await withServer(kind, settings: { $0.limits.maxTasksPerCampaign = 5 }) { app in
            let board = try await Board.make(app)
            let statuses = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for index in 0..<16 {
                    group.addTask {
                        // A busy machine may answer 503 (retry later), as a real client would be told: it retries.
                        for _ in 0..<5 {
                            let response = try await board.client.request(
                                "POST", board.tasksPath, json: ["phaseId": .string(board.phases[index % 4]), "title": .string("racer \(index)")])
                            if response.status != 503 { return (response.status, response.errorCode) }
                            try await Task.sleep(for: .milliseconds(200))
                        }
                        return (503, "service_unavailable")
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0.0 == 201 }.count == 5)
            #expect(statuses.filter { $0.0 == 409 && $0.1 == "task_limit_reached" }.count == 11)
            #expect(try await board.snapshot()["tasks"]?.arrayValue?.count == 5)
        }
    }
}
