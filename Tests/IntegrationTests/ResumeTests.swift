import APITestSupport
import CampaignModel
import Testing

/// `Last-Event-ID` and `?lastEventId=` replay every event after the id, then continue live;
/// a snapshot's `lastEventId` is exactly where its stream must start.
@Suite struct ResumeTests {
    @Test(arguments: TestStoreKind.available)
    func lastEventIdReplaysEverythingAfterItThenContinuesLive(kind: TestStoreKind) async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(kind))
        for title in ["a", "b", "c"] { try await board.addTask(title) }
        let logged = try await board.loggedEvents()
        let resumeAfter = logged[1].id

        let (stream, connected) = try await board.subscribe(lastEventId: resumeAfter)
        defer { stream.close() }
        #expect(connected.json["lastEventId"]?.intValue == logged.last?.id)
        try await board.addTask("live")
        let messages = try await stream.next(throughTaskTitled: "live")
        #expect(messages.eventIds == (try await board.loggedEvents(after: resumeAfter)).ids)
        #expect(messages.count == 6)
        #expect(messages.map(\.data).prefix(4) == logged.suffix(4).map(\.data)[...])
    }

    @Test(arguments: TestStoreKind.available)
    func theLastEventIdQueryParameterDoesTheSame(kind: TestStoreKind) async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(kind))
        let taskId = try await board.addTask("a")
        try await board.update(taskId, ["priority": "high"])
        try await board.addTask("b", phase: 1)
        let logged = try await board.loggedEvents()
        let resumeAfter = logged[0].id

        let (stream, _) = try await board.subscribe(query: "?lastEventId=\(resumeAfter)")
        defer { stream.close() }
        try await board.update(taskId, ["title": "live"])
        let messages = try await stream.next(throughTaskTitled: "live")
        #expect(messages.eventIds == (try await board.loggedEvents(after: resumeAfter)).ids)
        #expect(messages.map(\.event) == [
            "history-update", "task-updated", "history-update", "task-created", "history-update", "task-updated", "history-update",
        ])
    }

    @Test(arguments: TestStoreKind.available)
    func resumingFromTheNewestIdReplaysNothing(kind: TestStoreKind) async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(kind))
        try await board.addTask("before")
        let newest = try #require(try await board.loggedEvents().last?.id)
        let (stream, _) = try await board.subscribe(lastEventId: newest)
        defer { stream.close() }
        try await board.addTask("after")
        let messages = try await stream.next(2)
        #expect(messages[0].json["task"]?["title"]?.stringValue == "after")
        #expect(messages.eventIds == (try await board.loggedEvents(after: newest)).ids)
    }

    @Test(arguments: TestStoreKind.available)
    func aSnapshotsLastEventIdPlusTheStreamIsExactlyTheLaterChanges(kind: TestStoreKind) async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(kind))
        let taskId = try await board.addTask("in the snapshot")
        let snapshot = try await board.snapshot()
        let snapshotId = try #require(snapshot["lastEventId"]?.intValue)
        #expect(snapshotId == (try await board.loggedEvents()).last?.id)
        #expect(snapshot["tasks"]?.arrayValue?.first?["title"]?.stringValue == "in the snapshot")

        // Changes after the snapshot and before the subscription…
        try await board.update(taskId, ["title": "changed after"])
        let moved = try await board.client.request("POST", board.taskPath(taskId) + "/move", json: ["phaseId": .string(board.phases[1]), "position": 0])
        #expect(moved.status == 200)
        let (stream, _) = try await board.subscribe(query: "?lastEventId=\(snapshotId)")
        defer { stream.close() }
        // …and after it.
        try await board.addTask("live")
        let messages = try await stream.next(throughTaskTitled: "live")
        #expect(messages.map(\.event) == ["task-updated", "history-update", "task-moved", "history-update", "task-created", "history-update"])
        #expect(messages.eventIds == (try await board.loggedEvents(after: snapshotId)).ids)
    }
}
