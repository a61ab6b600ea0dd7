import APITestSupport
import CampaignModel
import CoreMetrics
import Testing

/// Issue 15: `/metrics` on a real server, read by the reference Python parser (`prometheus_client`):
/// every family is there with its Prometheus type, including what swift-metrics users report.
@Suite struct MetricsExpositionTests {
    /// (family as that parser names it — a counter without `_total` — and its type), on every store.
    static let families: [(String, String)] = [
        ("campaign_http_open_connections", "gauge"), ("campaign_http_open_streams", "gauge"),
        ("campaign_http_requests", "counter"), ("campaign_http_request_duration_seconds", "histogram"),
        ("campaign_http_unsent_bytes", "gauge"), ("campaign_http_connections_accepted", "counter"),
        ("campaign_http_connections_refused", "counter"), ("campaign_http_overloaded", "counter"),
        ("campaign_http_send_timeouts", "counter"), ("campaign_http_backpressure_pauses", "counter"),
        ("campaign_http_connections_refused_per_address", "counter"), ("campaign_http_connections_refused_rate", "counter"),
        ("campaign_sse_rooms", "gauge"), ("campaign_sse_clients", "gauge"),
        ("campaign_sse_events_broadcast", "counter"), ("campaign_sse_deliveries", "counter"),
        ("campaign_sse_sent_bytes", "counter"), ("campaign_sse_slow_client_disconnects", "counter"),
        ("campaign_sse_resyncs", "counter"), ("campaign_sse_replays", "counter"),
        ("campaign_sse_streams_refused", "counter"), ("campaign_sse_broadcast_fanout_seconds", "histogram"),
        ("campaign_health_checks", "counter"), ("campaign_build_info", "gauge"),
        ("process_cpu_seconds", "counter"), ("process_resident_memory_bytes", "gauge"),
        ("process_virtual_memory_bytes", "gauge"), ("process_open_fds", "gauge"), ("process_max_fds", "gauge"),
        ("process_start_time_seconds", "gauge"),
        // Reported through swift-metrics, as any library would.
        ("library_jobs", "counter"), ("library_job_duration_seconds", "histogram"),
    ]

    /// PostgreSQL only: the pool and the listener.
    static let databaseFamilies: [(String, String)] = [
        ("campaign_db_pool_size", "gauge"), ("campaign_db_pool_open_connections", "gauge"),
        ("campaign_db_pool_busy_connections", "gauge"), ("campaign_db_pool_waiting_requests", "gauge"),
        ("campaign_db_listener_connected", "gauge"), ("campaign_db_listener_reconnects", "counter"),
    ]

    @Test(arguments: TestStoreKind.available)
    func theReferenceParserReadsEveryFamily(kind: TestStoreKind) async throws {
        try await withServer(kind) { app in
            let metrics = app.application.metrics
            metrics.recordBuild(version: "9.9.9-test", commit: "0123abc")
            CoreMetrics.Counter(label: "library_jobs_total", dimensions: [("queue", "mail")], factory: metrics.factory)
                .increment(by: 3)
            CoreMetrics.Timer(label: "library_job_duration_seconds", factory: metrics.factory).recordMilliseconds(7)

            // A live client, a resume within the room's recent events (a replay) and one from an id never issued (a resync).
            let board = try await Board.make(app)
            let live = try await SSEClient(port: app.port, campaignId: board.id, token: app.token())
            #expect(try await live.next().event == "connected")
            try await board.addTask("measured")
            let received = try await live.next(until: "history-update")
            let firstId = try #require(received.first?.id.flatMap { Int64($0) })
            let resumed = try await SSEClient(port: app.port, campaignId: board.id, token: app.token(), lastEventId: firstId)
            #expect(try await resumed.next(until: "history-update").last?.event == "history-update")
            let lost = try await SSEClient(port: app.port, campaignId: board.id, token: app.token(), lastEventId: 999_999_999)
            #expect(try await lost.next(until: "resync").last?.event == "resync")

            let scrape = try await MetricsScrape.awaiting(app) { scrape in
                scrape.value("campaign_sse_resyncs_total") >= 1 && (kind == .memory || scrape.value("campaign_db_listener_connected") == 1)
            }
            let parsed = try await IndependentPrometheusParser.parse(scrape.text)
            for (name, type) in Self.families + (kind == .postgres ? Self.databaseFamilies : []) {
                #expect(parsed[name]?.type == type, "family \(name)")
            }
            if kind == .memory {
                #expect(Self.databaseFamilies.allSatisfy { parsed[$0.0] == nil }, "no pool or listener without a database")
            }

            func value(_ family: String, _ sample: String, _ labels: [String: String] = [:]) -> Double? {
                parsed[family]?.samples.first { found in found.name == sample && labels.allSatisfy { found.labels[$0.key] == $0.value } }?.value
            }
            #expect(value("campaign_build_info", "campaign_build_info", ["version": "9.9.9-test", "commit": "0123abc"]) == 1)
            #expect(value("library_jobs", "library_jobs_total", ["queue": "mail"]) == 3)
            #expect(value("library_job_duration_seconds", "library_job_duration_seconds_count") == 1)
            #expect(value("campaign_sse_resyncs", "campaign_sse_resyncs_total") ?? 0 >= 1)
            #expect(value("campaign_sse_replays", "campaign_sse_replays_total", ["source": "memory"]) ?? 0 >= 1)
            #expect(value("campaign_sse_deliveries", "campaign_sse_deliveries_total") ?? 0 >= 1)
            #expect(value("campaign_http_connections_accepted", "campaign_http_connections_accepted_total") ?? 0 >= 4)
            #expect(value("process_open_fds", "process_open_fds") ?? 0 > 0)
            #expect(value("process_resident_memory_bytes", "process_resident_memory_bytes") ?? 0 > 1_000_000)
            if kind == .postgres {
                #expect(value("campaign_db_listener_connected", "campaign_db_listener_connected") == 1)
                #expect(value("campaign_db_pool_size", "campaign_db_pool_size") == Double(app.application.configuration.database?.pool.size ?? 0))
                #expect(value("campaign_db_pool_open_connections", "campaign_db_pool_open_connections") ?? 0 >= 1)
            }
            for stream in [live, resumed, lost] { stream.close() }
        }
    }
}
