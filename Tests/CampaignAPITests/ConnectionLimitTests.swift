import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// At `MAX_CONNECTIONS`: REST gets 503 with `Retry-After`, a stream gets 200 + `overloaded` and closes;
/// once connections close the server serves again.
@Suite struct ConnectionLimitTests {
    @Test(arguments: TestStoreKind.available)
    func pastTheLimitRESTIs503AndAStreamIsToldToComeBack(kind: TestStoreKind) async throws {
        try await withServer(kind, configure: { $0.http.maximumConnections = 2 }) { app in
            let board = try await Board.make(app)
            // Two keep-alive connections that have been served, so they certainly count. The setup's
            // closed connections may still be counted for a moment (the server lingers on a close):
            // a holder refused with 503 is simply replaced.
            var holders: [RawHTTPClient] = []
            for _ in 0..<400 where holders.count < 2 {
                let holder = try RawHTTPClient(port: app.port, timeoutSeconds: 20)
                try await holder.send("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
                let status = try await holder.readResponse().status
                if status == 200 { holders.append(holder) } else { try await Task.sleep(for: .milliseconds(25)) }
            }
            try #require(holders.count == 2)

            let refused = try await board.client.request("GET", "/api/campaigns/\(board.id)")
            expectError(refused, 503)
            #expect(Int(refused.header("Retry-After") ?? "") ?? 0 > 0)

            let stream = try await SSEClient(port: app.port, campaignId: board.id, token: app.token())
            #expect(stream.status == 200)
            #expect(stream.headers["content-type"]?.hasPrefix("text/event-stream") == true)
            let overloaded = try await stream.next()
            #expect(overloaded.event == "overloaded")
            #expect(stream.retry != nil)
            #expect(try await stream.waitForEnd())

            for holder in holders { holder.shutdownWrite() }
            for holder in holders { _ = try await holder.waitForClose() }
            // Served again once the holders are gone (the server notices the closes asynchronously).
            var status = 0
            for _ in 0..<200 where status != 200 {
                status = try await board.client.request("GET", "/api/campaigns/\(board.id)").status
                if status != 200 { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(status == 200)
            // Both refusals above (and any of the retries) were counted as overloaded answers. A scrape
            // may itself be refused while the last closes are still counted, so it is retried too.
            var overloadedAnswers: Double? = nil
            for _ in 0..<200 where overloadedAnswers == nil {
                let scrape = try await app.client().request("GET", "/metrics")
                if scrape.status == 200 {
                    overloadedAnswers = MetricsScrape(text: scrape.text).value("campaign_http_overloaded_total")
                } else {
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            #expect(try #require(overloadedAnswers) >= 2)
        }
    }
}
