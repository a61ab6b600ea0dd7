import APITestSupport
import CampaignModel
import Testing

/// The start of a stream: status, headers, `retry:` first, then `connected` with the campaign's newest event id.
@Suite struct StreamStartTests {
    @Test(arguments: TestStoreKind.available)
    func aStreamStartsWithItsHeadersRetryAndConnected(kind: TestStoreKind) async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(kind))
        try await board.addTask("one")
        try await board.addTask("two")
        let newest = try #require(try await board.loggedEvents().last?.id)

        let stream = try await SSEClient(port: board.app.port, campaignId: board.id, token: board.app.token())
        defer { stream.close() }
        #expect(stream.status == 200)
        #expect(stream.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        #expect(stream.headers["cache-control"] == "no-cache")
        #expect(stream.headers["x-accel-buffering"] == "no")

        // The very first block is `retry:` alone; then `connected`.
        let first = try await stream.connection.readUntil("\n\n")
        #expect(first.hasPrefix("retry: "))
        #expect(Int(first.dropFirst("retry: ".count).trimmingCharacters(in: .whitespacesAndNewlines)).map { $0 > 0 } == true)
        let connected = try await stream.next()
        #expect(connected.event == "connected")
        #expect(connected.id == nil)
        let clientId = try #require(connected.json["clientId"]?.stringValue)
        #expect(!clientId.isEmpty)
        #expect(connected.json["campaignId"]?.stringValue == board.id)
        #expect(connected.json["lastEventId"]?.intValue == newest)
        #expect(try await board.snapshot()["lastEventId"]?.intValue == newest)
    }

    @Test(arguments: TestStoreKind.available)
    func aCampaignWithoutEventsReportsLastEventIdZeroAndEachStreamGetsItsOwnClientId(kind: TestStoreKind) async throws {
        let board = try await LiveBoard.make(try await SharedServer.get(kind))
        let (first, firstConnected) = try await board.subscribe()
        defer { first.close() }
        let (second, secondConnected) = try await board.subscribe()
        defer { second.close() }
        #expect(firstConnected.json["lastEventId"]?.intValue == 0)
        #expect(secondConnected.json["lastEventId"]?.intValue == 0)
        #expect(first.retry != nil && second.retry != nil)
        let ids = [firstConnected, secondConnected].compactMap { $0.json["clientId"]?.stringValue }
        #expect(ids.count == 2 && ids[0] != ids[1])
    }
}
