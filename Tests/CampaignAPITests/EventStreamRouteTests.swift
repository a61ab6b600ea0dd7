import APITestSupport
import CampaignModel
import Testing

/// `GET /api/events/:campaignId` as a route: its 200 head, the opening `retry` and `connected`,
/// and a resume point that is not an event id.
@Suite struct EventStreamRouteTests {
    @Test(arguments: TestStoreKind.available)
    func theStreamOpensWithItsHeadersRetryAndConnected(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        try await board.addTask("before")
        let lastEventId = try await board.lastEventId()
        let stream = try await SSEClient(port: app.port, campaignId: board.id, token: app.token(role: .viewer, campaigns: .only([board.id])))
        defer { stream.close() }
        #expect(stream.status == 200)
        #expect(stream.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        #expect(stream.headers["cache-control"] == "no-cache")
        #expect(stream.headers["x-accel-buffering"] == "no")
        let connected = try await stream.next()
        #expect(stream.retry ?? 0 > 0)
        #expect(connected.event == "connected")
        #expect(connected.json["campaignId"]?.stringValue == board.id)
        let clientId = connected.json["clientId"]?.stringValue ?? ""
        #expect(clientId.count >= 8)
        #expect(connected.json["lastEventId"]?.intValue == lastEventId)
        // Two subscribers get two client ids.
        let second = try await SSEClient(port: app.port, campaignId: board.id, token: app.token())
        defer { second.close() }
        #expect(try await second.next().json["clientId"] != connected.json["clientId"])
    }

    @Test(arguments: TestStoreKind.available)
    func aResumePointThatIsNotAnEventIdIs400(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        for value in ["abc", "-1", "1.5", "99999999999999999999999"] {
            let response = try await board.client.request("GET", "/api/events/\(board.id)", headers: ["Last-Event-ID": value])
            expectError(response, 400)
            let query = try await board.client.request("GET", "/api/events/\(board.id)?lastEventId=\(value)")
            expectError(query, 400)
        }
    }
}
