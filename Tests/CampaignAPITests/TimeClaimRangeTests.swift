import APITestSupport
import CampaignModel
import Testing

/// Issue 12: a correctly signed token whose time claims are absurd (`"exp": 1e17`, an issuer writing
/// nanoseconds) killed the process with an overflow trap in the stream handler. Time claims outside
/// 1970 – 9999-12-31 are now `401 invalid_token`, and the server keeps serving.
@Suite struct TimeClaimRangeTests {
    /// Payloads signed with the server's own secret, each with one time claim out of range.
    static let outOfRangePayloads: [String] = [
        TokenForge.payload(exp: 100_000_000_000_000_000),
        TokenForge.payload(exp: 253_402_300_800),
        TokenForge.payload(exp: .max),
        TokenForge.payload(exp: .min),
        #"{"sub":"m","role":"admin","campaigns":["*"],"exp":1e300}"#,
        #"{"sub":"m","role":"admin","campaigns":["*"],"exp":4102444800,"nbf":-9223372036854775808}"#,
        #"{"sub":"m","role":"admin","campaigns":["*"],"exp":4102444800,"iat":100000000000000000}"#,
    ]

    @Test func aSignedTokenWithAnExpBeyondYear9999Is401OnTheStreamAndTheServerKeepsServing() async throws {
        let app = try await TestApplication.start(.memory)
        let board = try await Board.make(app)
        var anonymous = app.client()
        anonymous.token = nil
        for payload in Self.outOfRangePayloads {
            let token = TokenForge.token(payload: payload, signature: .hs256(app.secret))
            for (path, headers) in [
                ("/api/events/\(board.id)", ["Authorization": "Bearer \(token)"]),
                ("/api/events/\(board.id)?access_token=\(token)", [:]),
                ("/api/campaigns/\(board.id)", ["Authorization": "Bearer \(token)"]),
            ] {
                let response = try await anonymous.request("GET", path, headers: headers)
                expectError(response, 401, code: "unauthorized")
                #expect(response.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true, "\(payload) on \(path)")
            }
        }
        // Still the same process, still serving: a stream with a good token opens and hears a write.
        let stream = try await SSEClient(
            port: app.port, path: "/api/events/\(board.id)", headers: ["Authorization": "Bearer \(app.token())"], timeoutSeconds: 30)
        defer { stream.close() }
        #expect(stream.status == 200)
        _ = try await stream.next(until: "connected")
        try await board.addTask("after the bad tokens")
        let messages = try await stream.next(until: "task-created")
        #expect(messages.last?.event == "task-created")
        await app.stop()
    }
}
