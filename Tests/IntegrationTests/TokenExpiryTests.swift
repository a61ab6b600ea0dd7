import TestSupport
import APITestSupport
import Testing

/// A stream ends when its token expires, warned first by `auth-expiring`.
@Suite struct TokenExpiryTests {
    @Test(arguments: TestStoreKind.available)
    func aStreamIsWarnedThenEndedWhenItsTokenExpires(kind: TestStoreKind) async throws {
        try await withServer(kind, configure: { $0.api.realtime.expiryWarningMilliseconds = 10_000 }) { app in
            let board = try await LiveBoard.make(app)
            let (stream, _) = try await board.subscribe(token: app.token(lifetimeSeconds: 2))
            defer { stream.close() }
            // Less than the warning lead is left, so the warning comes at once.
            let warning = try await stream.next()
            #expect(warning.event == "auth-expiring")
            #expect(warning.json["reason"]?.stringValue == "token-expiring")
            #expect(warning.json["expiresAt"]?.stringValue != nil)
            #expect(try await stream.waitForEnd())
            // The transport counts it as closed, as any ended stream.
            let statistics = app.application.server.statistics
            #expect(await eventually { statistics.openStreams == 0 }, "open streams: \(statistics.openStreams)")
            // A stream with a long-lived token on the same server is untouched.
            let (other, _) = try await board.subscribe()
            defer { other.close() }
            try await board.addTask("still live")
            #expect(try await other.next(2).map(\.event) == ["task-created", "history-update"])
        }
    }
}
