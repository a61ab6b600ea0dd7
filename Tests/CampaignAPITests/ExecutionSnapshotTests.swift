import APITestSupport
import CampaignModel
import Testing

/// `GET /api/campaigns/:id/execution`: contents, ordering, history window and `lastEventId`.
@Suite struct ExecutionSnapshotTests {
    @Test(arguments: TestStoreKind.available)
    func aNewCampaignHasItsPhasesNoTasksNoHistoryAndLastEventIdZero(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let response = try await board.client.request("GET", "/api/campaigns/\(board.id)/execution")
        #expect(response.status == 200)
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
        let snapshot = response.json
        #expect(snapshot["campaign"]?["id"]?.stringValue == board.id)
        #expect(snapshot["phases"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == board.phases)
        #expect(snapshot["tasks"] == .array([]))
        #expect(snapshot["history"] == .array([]))
        #expect(snapshot["lastEventId"] == .int(0))
    }

    @Test(arguments: TestStoreKind.available)
    func tasksComeByPhasePositionThenTaskPosition(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        // Created out of order on purpose: phase 2 first, then phase 0, then an insert at the top of phase 0.
        let c1 = try await board.addTask("launch-a", phase: 2)
        let a2 = try await board.addTask("plan-b", phase: 0)
        let b1 = try await board.addTask("creative-a", phase: 1)
        let a1 = try await board.addTask("plan-a", phase: 0, extra: ["position": 0])
        let c2 = try await board.addTask("launch-b", phase: 2)
        let tasks = try await board.snapshot()["tasks"]?.arrayValue ?? []
        #expect(tasks.compactMap { $0["id"]?.stringValue } == [a1, a2, b1, c1, c2].compactMap { $0["id"]?.stringValue })
        #expect(tasks.map { $0["position"]?.intValue } == [0, 1, 0, 0, 1])
        #expect(tasks.map { $0["title"]?.stringValue } == ["plan-a", "plan-b", "creative-a", "launch-a", "launch-b"])
    }

    @Test(arguments: TestStoreKind.available)
    func historyIsTheNewestFiftyNewestFirst(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        var created: [String] = []
        for index in 0..<55 {
            created.append(try #require(try await board.addTask("T\(index)")["id"]?.stringValue))
        }
        let history = try await board.history()
        #expect(history.count == ExecutionSnapshot.historyLimit)
        // Newest first, even where several entries share a millisecond.
        #expect(history.compactMap { $0["taskId"]?.stringValue } == Array(created.reversed().prefix(50)))
        #expect(history.allSatisfy { $0["action"]?.stringValue == "created" && $0["campaignId"]?.stringValue == board.id })
        let times = history.compactMap { $0["createdAt"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) }
        #expect(times.count == 50 && zip(times, times.dropFirst()).allSatisfy { $0 >= $1 })
        #expect(history.allSatisfy { isTimestamp($0["createdAt"]) && Identifier.isValid($0["id"]?.stringValue ?? "") })
    }

    @Test(arguments: TestStoreKind.available)
    func historyRecordsEveryActionWithItsChanges(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let client = board.app.client(token: board.app.token(subject: "hist-\(board.id.prefix(6))"))
        let task = try await client.createTask(board.id, phaseId: board.phases[0], title: "Plan")
        let taskId = try #require(task["id"]?.stringValue)
        #expect(try await client.request("PATCH", board.taskPath(taskId), json: ["title": "Plan v2", "assignee": "ann"]).status == 200)
        #expect(try await client.request("POST", board.taskPath(taskId) + "/move",
                                         json: ["phaseId": .string(board.phases[3]), "position": 0]).status == 200)
        #expect(try await client.request("DELETE", board.taskPath(taskId)).status == 204)

        let history = try await board.history()
        #expect(history.map { $0["action"]?.stringValue } == ["deleted", "moved", "updated", "created"])
        #expect(history.allSatisfy { $0["taskId"]?.stringValue == taskId && $0["actor"]?.stringValue == "hist-\(board.id.prefix(6))" })
        let update = history[2]["changes"]
        #expect(update?["title"] == ["from": "Plan", "to": "Plan v2"])
        #expect(update?["assignee"] == ["from": nil, "to": "ann"])
        #expect(update?.objectValue?.keys.sorted() == ["assignee", "title"])
        let move = history[1]["changes"]
        #expect(move?["phaseId"] == ["from": .string(board.phases[0]), "to": .string(board.phases[3])])
    }

    @Test(arguments: TestStoreKind.available)
    func lastEventIdGrowsWithEveryWriteAndResumingFromItYieldsOnlyLaterChanges(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        try await board.addTask("first")
        let afterFirst = try await board.lastEventId()
        #expect(afterFirst > 0)
        try await board.addTask("second")
        let afterSecond = try await board.lastEventId()
        #expect(afterSecond > afterFirst)

        let stream = try await SSEClient(port: app.port, path: "/api/events/\(board.id)?lastEventId=\(afterFirst)",
                                         headers: ["Authorization": "Bearer \(app.token())"])
        defer { stream.close() }
        #expect(stream.status == 200)
        let messages = try await stream.next(until: "history-update")
        let created = messages.filter { $0.event == "task-created" }
        #expect(created.count == 1 && created.first?.json["task"]?["title"]?.stringValue == "second")
        #expect(messages.last?.eventId == afterSecond)
        #expect(messages.compactMap(\.eventId).allSatisfy { $0 > afterFirst && $0 <= afterSecond })
    }
}
