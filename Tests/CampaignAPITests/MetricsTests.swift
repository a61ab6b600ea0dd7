import APITestSupport
import CampaignModel
import Testing

/// Issue 5: `/metrics` after some traffic: requests by route and status, SSE clients, events broadcast;
/// `METRICS_TOKEN` guards it.
@Suite struct MetricsTests {
    static let requests = "campaign_http_requests_total"

    @Test(arguments: TestStoreKind.available)
    func requestCountersMoveByRouteAndStatus(kind: TestStoreKind) async throws {
        try await withServer(kind) { app in
            let board = try await Board.make(app)
            let route = "GET /api/campaigns/:campaignId"
            let before = try await MetricsScrape.take(app)
            for _ in 0..<3 { #expect(try await board.client.request("GET", "/api/campaigns/\(board.id)").status == 200) }
            for _ in 0..<2 { #expect(try await board.client.request("GET", "/api/campaigns/\(Identifier.random())").status == 404) }
            var anonymous = board.client
            anonymous.token = nil
            #expect(try await anonymous.request("GET", "/api/campaigns/\(board.id)").status == 401)
            #expect(try await board.client.request("POST", board.tasksPath, json: ["phaseId": .string(board.phases[0]), "title": "m"]).status == 201)
            let after = try await MetricsScrape.take(app)

            func delta(_ labels: [String: String]) -> Double { after.value(Self.requests, labels) - before.value(Self.requests, labels) }
            #expect(delta(["route": route, "status": "200"]) == 3)
            #expect(delta(["route": route, "status": "404"]) == 2)
            #expect(delta(["route": route, "status": "401"]) == 1)
            #expect(delta(["route": "POST /api/campaigns/:campaignId/tasks", "status": "201"]) == 1)
            #expect(delta(["route": "GET /metrics", "status": "200"]) == 1)
            let latency = "campaign_http_request_duration_seconds_count"
            #expect(after.value(latency, ["route": route]) - before.value(latency, ["route": route]) == 6)
            #expect(after.text.contains("# TYPE \(Self.requests) counter"))
        }
    }

    @Test(arguments: TestStoreKind.available)
    func aSubscriptionAndAWriteMoveTheStreamMetrics(kind: TestStoreKind) async throws {
        try await withServer(kind) { app in
            let board = try await Board.make(app)
            let before = try await MetricsScrape.take(app)
            #expect(before.value("campaign_sse_clients") == 0)

            let stream = try await SSEClient(port: app.port, campaignId: board.id, token: app.token())
            #expect(try await stream.next().event == "connected")
            let joined = try await MetricsScrape.awaiting(app) { $0.value("campaign_sse_clients") == 1 }
            #expect(joined.value("campaign_sse_clients") == 1)
            #expect(joined.value("campaign_http_open_streams") == 1)
            #expect(joined.value("campaign_sse_rooms") >= 1)

            try await board.addTask("broadcast me")
            #expect(try await stream.next(until: "history-update").count == 2)
            let broadcast = "campaign_sse_events_broadcast_total"
            let sent = try await MetricsScrape.awaiting(app) { $0.value(broadcast) - before.value(broadcast) >= 2 }
            #expect(sent.value(broadcast) - before.value(broadcast) == 2)
            #expect(sent.value("campaign_sse_sent_bytes_total") > before.value("campaign_sse_sent_bytes_total"))
            #expect(sent.value("campaign_sse_broadcast_fanout_seconds_count") > before.value("campaign_sse_broadcast_fanout_seconds_count"))
            #expect(sent.value(Self.requests, ["route": "GET /api/events/:campaignId", "status": "200"]) == 1)

            stream.close()
            let left = try await MetricsScrape.awaiting(app) { $0.value("campaign_sse_clients") == 0 }
            #expect(left.value("campaign_sse_clients") == 0)
        }
    }

    @Test(arguments: TestStoreKind.available)
    func withAMetricsTokenOnlyThatTokenGetsIn(kind: TestStoreKind) async throws {
        let metricsToken = "metrics-" + Identifier.random()
        try await withServer(kind, configure: { $0.api.metricsToken = metricsToken }) { app in
            var client = app.client()
            client.token = nil
            let refusals = [nil, "Bearer wrong", "Bearer \(app.token())", "Basic \(metricsToken)", metricsToken, "Bearer \(metricsToken)x"]
            for credential in refusals {
                let response = try await client.request("GET", "/metrics", headers: credential.map { ["Authorization": $0] } ?? [:])
                expectError(response, 401)
                #expect(response.header("WWW-Authenticate")?.lowercased().hasPrefix("bearer") == true)
                #expect(!response.text.contains(metricsToken))
            }
            let allowed = try await client.request("GET", "/metrics", headers: ["Authorization": "Bearer \(metricsToken)"])
            #expect(allowed.status == 200)
            #expect(allowed.header("Content-Type")?.hasPrefix("text/plain") == true)
            #expect(MetricsScrape(text: allowed.text).value(Self.requests, ["route": "GET /metrics", "status": "401"]) == Double(refusals.count))
            #expect(!app.logs.contains(metricsToken))
        }
    }
}
