import APITestSupport
import Testing

/// Issue 12: `/api/health` must not cost the database a round trip per request. The answer is reused
/// for `healthCacheMilliseconds` (1 s in production) and only one check runs at a time; the count of
/// checks that reached the store is `campaign_health_checks_total`.
@Suite struct HealthCacheTests {
    @Test(arguments: TestStoreKind.available)
    func aFloodOfHealthRequestsCostsOneStoreCheck(kind: TestStoreKind) async throws {
        // A cache far longer than the test: every request after the first check must reuse it.
        try await withServer(kind, configure: { $0.api.healthCacheMilliseconds = 600_000 }) { app in
            var anonymous = app.client()
            anonymous.token = nil
            let client = anonymous
            // Concurrent first requests find the one check in flight and wait for it.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<24 { group.addTask { try await client.request("GET", "/api/health").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 24))
            for _ in 0..<10 { #expect(try await client.request("GET", "/api/health").json["status"] == "ok") }
            #expect(try await MetricsScrape.take(app).value("campaign_health_checks_total") == 1)
        }
    }

    /// Without the reuse (a zero-length cache) each sequential request checks again: the counter counts.
    @Test func anExpiredAnswerIsCheckedAgain() async throws {
        try await withServer(.memory, configure: { $0.api.healthCacheMilliseconds = 0 }) { app in
            var anonymous = app.client()
            anonymous.token = nil
            for _ in 0..<5 {
                let response = try await anonymous.request("GET", "/api/health")
                #expect(response.status == 200)
            }
            let scrape = try await MetricsScrape.take(app)
            #expect(scrape.value("campaign_health_checks_total") == 5)
        }
    }
}
