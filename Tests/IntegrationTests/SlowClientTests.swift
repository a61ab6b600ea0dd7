import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// A subscriber that stops reading is cut off once its unsent bytes pass `SSE_MAX_BUFFER_BYTES`,
/// while another subscriber of the same campaign keeps receiving every event.
@Suite struct SlowClientTests {
    static let maximumWrites = 3000

    @Test(arguments: TestStoreKind.available)
    func aStalledSubscriberIsDisconnectedAndTheOthersGetEverything(kind: TestStoreKind) async throws {
        try await withServer(kind, configure: { $0.http.streamBufferLimitBytes = 64 * 1024 }) { app in
            let board = try await LiveBoard.make(app)
            let taskId = try await board.addTask("large")
            #expect(try await metricValue(app, "campaign_sse_slow_client_disconnects_total") == 0)

            let (reader, _) = try await board.subscribe()
            let received = SharedCount()
            let collecting = Task {
                defer { reader.close() }
                return try await reader.next(throughTaskTitled: "final") { _ in received.increment() }
            }
            // The stalled one reads its stream's start, then never again (until the end of the test).
            let stalled = try RawHTTPClient(port: app.port, timeoutSeconds: 30)
            try await stalled.send("GET /api/events/\(board.id) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(app.token())\r\n\r\n")
            #expect(try await stalled.readUntil("\r\n\r\n").hasPrefix("HTTP/1.1 200"))
            _ = try await stalled.readUntil("event: connected")
            _ = try await stalled.readUntil("\n\n")

            // Large events (each update carries the old and new description twice) until the server gives up on it.
            var writes = 0
            var disconnected = false
            while !disconnected && writes < Self.maximumWrites {
                writes += 1
                let description = String(repeating: writes % 2 == 0 ? "x" : "y", count: 4000)
                try await board.update(taskId, ["description": .string(description), "title": .string("large \(writes)")])
                // In step: the reader has this write's two events before the next write, also while the
                // stalled one is still attached and its bytes pile up.
                guard await eventually(pollMilliseconds: 2, { received.current >= 2 * writes }) else {
                    Issue.record("the reading subscriber did not get the events of write \(writes)")
                    break
                }
                if writes % 10 == 0 {
                    disconnected = try await metricValue(app, "campaign_sse_slow_client_disconnects_total") ?? 0 >= 1
                }
            }
            #expect(disconnected, "no slow-client disconnect after \(writes) large writes")
            #expect(app.application.server.statistics.streamOverflows >= 1)
            try await board.addTask("final")

            // The reading subscriber got every event, in order, once.
            let messages = try await collecting.value
            #expect(messages.eventIds == (try await board.loggedEvents()).ids.dropFirst(2).map { $0 })
            // The stalled socket was closed by the server: draining it reaches the end of the stream.
            #expect(try await stalled.waitForClose())
            #expect(try await metricValue(app, "campaign_sse_slow_client_disconnects_total") == 1)
        }
    }
}
