import APITestSupport
import Testing

/// An idle stream gets `: heartbeat` comments every `HEARTBEAT_INTERVAL_SECONDS`.
@Suite struct HeartbeatTests {
    @Test(arguments: TestStoreKind.available)
    func anIdleSubscriberReceivesHeartbeatComments(kind: TestStoreKind) async throws {
        try await withServer(kind, configure: { $0.api.realtime.heartbeatIntervalMilliseconds = 200 }) { app in
            let board = try await LiveBoard.make(app)
            let (stream, _) = try await board.subscribe()
            defer { stream.close() }
            // Nothing is written: all that comes is heartbeats, each a comment block of its own.
            for _ in 0..<3 {
                let block = try await stream.connection.readUntil("\n\n")
                #expect(block == ": heartbeat\n\n")
            }
            // The stream is still live after them.
            try await board.addTask("after heartbeats")
            let messages = try await stream.next(2)
            #expect(messages.map(\.event) == ["task-created", "history-update"])
        }
    }
}
