import APITestSupport
import CampaignModel
import Testing

/// Issue 5: a stream ends at its token's `exp`; with less than a minute left it is told at once
/// with `event: auth-expiring`, so the client can reconnect with a fresh token.
@Suite struct StreamTokenExpiryTests {
    @Test(arguments: TestStoreKind.available)
    func aStreamWhoseTokenExpiresSoonIsWarnedAndThenEnded(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let token = app.token(subject: "short-lived", role: .viewer, campaigns: .only([board.id]), lifetimeSeconds: 3)
        let stream = try await SSEClient(port: app.port, path: "/api/events/\(board.id)", headers: ["Authorization": "Bearer \(token)"],
                                         timeoutSeconds: 60)
        defer { stream.close() }
        #expect(stream.status == 200)
        let messages = try await stream.next(until: "auth-expiring")
        #expect(messages.first?.event == "connected")
        #expect(messages.last?.json.objectValue != nil)
        #expect(try await stream.waitForEnd())
    }
}
