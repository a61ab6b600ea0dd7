import APITestSupport
import CampaignModel
import Testing

/// Create, update, move and delete through the API: each gives its task event then exactly one
/// `history-update`, framed with `id:` = `eventId`, carrying the members docs/API.md lists.
@Suite struct APIWriteEventTests {
    static let envelope = ["eventId", "campaignId", "occurredAt", "origin"]

    @Test(arguments: TestStoreKind.available)
    func everyWriteGivesItsTaskEventThenOneHistoryUpdate(kind: TestStoreKind) async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(kind))
        let (stream, connected) = try await board.subscribe()
        defer { stream.close() }
        let clientId = try #require(connected.json["clientId"]?.stringValue)
        let mine = ["X-Client-Id": clientId]

        let taskId = try await board.addTask("Draft brief", extra: ["description": "first line\nsecond line"], headers: mine)
        try await board.update(taskId, ["title": "Final brief", "status": "in_progress"], headers: mine)
        let moved = try await board.client.request(
            "POST", board.taskPath(taskId) + "/move", json: ["phaseId": .string(board.phases[2]), "position": 0], headers: mine)
        #expect(moved.status == 200)
        #expect(try await board.client.request("DELETE", board.taskPath(taskId), headers: mine).status == 204)
        // A later write's event comes next: nothing else was sent for the four writes.
        try await board.addTask("marker")

        let messages = try await stream.next(10)
        #expect(messages.map(\.event) == [
            "task-created", "history-update", "task-updated", "history-update", "task-moved", "history-update",
            "task-deleted", "history-update", "task-created", "history-update",
        ])
        #expect(messages[8].json["task"]?["title"]?.stringValue == "marker")
        let events = Array(messages.prefix(8))

        // Framing: `id:` is the data's eventId; ids increase; they are the campaign's log.
        for message in events {
            #expect(message.eventId != nil && message.eventId == message.json["eventId"]?.intValue)
            #expect(message.json["campaignId"]?.stringValue == board.id)
            #expect(message.json["origin"]?.stringValue == clientId)
            #expect(message.json["occurredAt"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) != nil)
            #expect(!message.data.contains("\n"))
        }
        #expect(strictlyIncreasing(messages.eventIds))
        #expect(messages.eventIds == (try await board.loggedEvents()).ids)

        // The members of each event type, and what they say.
        let keys = events.map { $0.json.objectValue?.keys ?? [] }
        #expect(Set(keys[0]) == Set(Self.envelope + ["task"]))
        #expect(Set(keys[2]) == Set(Self.envelope + ["task", "changes"]))
        #expect(Set(keys[4]) == Set(Self.envelope + ["task", "fromPhaseId", "toPhaseId"]))
        #expect(Set(keys[6]) == Set(Self.envelope + ["taskId", "phaseId"]))
        for index in [1, 3, 5, 7] { #expect(Set(keys[index]) == Set(Self.envelope + ["entry"])) }

        let created = events[0].json["task"]
        #expect(created?["id"]?.stringValue == taskId && created?["title"]?.stringValue == "Draft brief")
        #expect(created?["version"]?.intValue == 1 && created?["position"]?.intValue == 0)
        // A line break inside a value stays escaped inside the one `data:` line.
        #expect(created?["description"]?.stringValue == "first line\nsecond line")
        let updated = events[2].json
        #expect(updated["task"]?["title"]?.stringValue == "Final brief" && updated["task"]?["version"]?.intValue == 2)
        #expect(updated["changes"]?["title"] == ["from": "Draft brief", "to": "Final brief"])
        #expect(updated["changes"]?["status"] == ["from": "todo", "to": "in_progress"])
        let move = events[4].json
        #expect(move["fromPhaseId"]?.stringValue == board.phases[0] && move["toPhaseId"]?.stringValue == board.phases[2])
        #expect(move["task"]?["phaseId"]?.stringValue == board.phases[2] && move["task"]?["version"]?.intValue == 3)
        let deleted = events[6].json
        #expect(deleted["taskId"]?.stringValue == taskId && deleted["phaseId"]?.stringValue == board.phases[2])

        let entries = [1, 3, 5, 7].map { events[$0].json["entry"] ?? .null }
        #expect(entries.map { $0["action"]?.stringValue } == ["created", "updated", "moved", "deleted"])
        #expect(entries.allSatisfy { $0["actor"]?.stringValue == "tester" && $0["taskId"]?.stringValue == taskId })
        #expect(entries.allSatisfy { $0["campaignId"]?.stringValue == board.id })
        #expect(entries[1]["changes"]?["title"] == ["from": "Draft brief", "to": "Final brief"])
    }
}
