import APITestSupport
import CampaignModel
import Testing

/// Every subscriber of a campaign gets every event; subscribers of another campaign get none of them.
@Suite struct FanOutTests {
    @Test(arguments: TestStoreKind.available)
    func twoSubscribersOfOneCampaignBothGetEveryEvent(kind: TestStoreKind) async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(kind))
        let (first, _) = try await board.subscribe()
        defer { first.close() }
        let (second, _) = try await board.subscribe()
        defer { second.close() }

        let taskId = try await board.addTask("shared")
        for round in 1...5 { try await board.update(taskId, ["title": .string("shared \(round)")]) }
        try await board.addTask("last", phase: 1)

        let logged = try await board.loggedEvents()
        #expect(logged.count == 14)
        for stream in [first, second] {
            let messages = try await stream.next(throughTaskTitled: "last")
            #expect(messages.eventIds == logged.ids)
            #expect(messages.map(\.data) == logged.map(\.data))
        }
    }

    @Test(arguments: TestStoreKind.available)
    func twoCampaignsAreIsolated(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let one = try await LiveBoard.make(app)
        let two = try await LiveBoard.make(app)
        let (oneStream, _) = try await one.subscribe()
        defer { oneStream.close() }
        let (twoStream, _) = try await two.subscribe()
        defer { twoStream.close() }

        let taskId = try await one.addTask("only in one")
        try await one.update(taskId, ["status": "done"])
        try await two.addTask("only in two")
        try await one.addTask("one again")

        // Two's stream starts with two's own write, though one's writes came first.
        let twoMessages = try await twoStream.next(2)
        #expect(twoMessages.map(\.event) == ["task-created", "history-update"])
        #expect(twoMessages[0].json["task"]?["title"]?.stringValue == "only in two")
        #expect(twoMessages.allSatisfy { $0.json["campaignId"]?.stringValue == two.id })
        // One's stream goes straight from its second write to its third.
        let oneMessages = try await oneStream.next(throughTaskTitled: "one again")
        #expect(oneMessages.count == 6)
        #expect(oneMessages.allSatisfy { $0.json["campaignId"]?.stringValue == one.id })
        #expect(oneMessages.eventIds == (try await one.loggedEvents()).ids)
        // And one's last write did not reach two either: two's next event is its own next write.
        try await two.addTask("two again")
        let twoAgain = try await twoStream.next(2)
        #expect(twoAgain[0].json["task"]?["title"]?.stringValue == "two again")
        #expect((twoMessages + twoAgain).eventIds == (try await two.loggedEvents()).ids)
    }
}
