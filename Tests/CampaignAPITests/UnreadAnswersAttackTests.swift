import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// Issue 12's first attack against the real application: one connection pipelines snapshot requests
/// back to back and never reads. The server's own counters show it was paused at the unsent-bytes
/// limit and closed by the send timeout, while an ordinary client kept being served.
@Suite struct UnreadAnswersAttackTests {
    @Test func aPipelineFloodThatNeverReadsIsBoundedAndClosed() async throws {
        let app = try await TestApplication.start(.memory) { configuration in
            configuration.http.unsentResponseLimitBytes = 64 * 1024
            configuration.http.sendTimeoutSeconds = 1
        }
        defer { Task { await app.stop() } }
        let board = try await Board.make(app)
        let description = String(repeating: "d", count: 900)
        for index in 0..<40 { _ = try await board.addTask("task \(index)", extra: ["description": .string(description)]) }
        let statistics = app.application.server.statistics
        let snapshotBytes = try await app.client().request("GET", "/api/campaigns/\(board.id)/execution").body.count
        #expect(snapshotBytes > 30_000)

        let flooder = try NonReadingClient(port: app.port, receiveBufferBytes: 4096)
        defer { flooder.close() }
        let request = Array("GET /api/campaigns/\(board.id)/execution HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(app.token())\r\n\r\n".utf8)
        #expect(flooder.sendWithoutBlocking(request, times: 3000) > 100)
        #expect(await eventually { statistics.backpressurePauses >= 1 })

        let neighbour = try await app.client().request("GET", "/api/campaigns/\(board.id)/execution")
        #expect(neighbour.status == 200)

        #expect(await eventually { statistics.sendTimeouts == 1 })
        #expect(await eventually { statistics.unsentBytes == 0 })
        #expect(statistics.peakUnsentBytesPerConnection <= 64 * 1024 + snapshotBytes + 1024)
        #expect(flooder.isClosedByPeer())
        let metrics = try await MetricsScrape.take(app)
        #expect(metrics.value("campaign_http_send_timeouts_total") == 1)
    }
}
