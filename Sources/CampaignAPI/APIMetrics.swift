import CampaignStore
import HTTP
import Prometheus
import Realtime
import Synchronization
import Telemetry

/// The server's Prometheus metrics (swift-prometheus), and the realtime observer that feeds them.
///
/// Hot paths hold their counters and only add to them (one relaxed atomic): a broadcast reports once
/// per room and batch, never per client. Totals the transport, the pool and the kernel keep themselves
/// are copied in when `/metrics` is scraped (`refresh`).
public final class APIMetrics: RealtimeObserver, EventFeedObserver, Sendable {
    /// Every family of this instance; `factory` lets swift-metrics users (any library) report into it too.
    public let registry: PrometheusCollectorRegistry
    let openConnections: Gauge
    let openStreams: Gauge
    let rooms: Gauge
    let sseClients: Gauge
    let eventsBroadcast: Counter
    let deliveries: Counter
    let sentBytes: Counter
    let slowClientDisconnects: Counter
    let streamsRefused: Counter
    let overloadedAnswers: Counter
    let healthChecks: Counter
    let unsentBytes: Gauge
    let heldRefusals: Gauge
    let requestRatePauses: MirroredCounter
    let resyncs: Counter
    let replaysFromMemory: Counter
    let replaysFromStore: Counter
    let acceptedConnections: MirroredCounter
    let refusedConnections: MirroredCounter
    let sendTimeouts: MirroredCounter
    let backpressurePauses: MirroredCounter
    let refusedPerAddress: MirroredCounter
    let refusedByRate: MirroredCounter
    let fanoutLatency: ValueHistogram
    let process: ProcessMetrics
    /// PostgreSQL only: the pool and the listener (absent with the in-memory store, where they mean nothing).
    let database = Mutex<DatabaseMetrics?>(nil)
    let requestTotals = Mutex<[RouteStatus: Counter]>([:])
    let requestLatency = Mutex<[String: ValueHistogram]>([:])

    static let latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        openConnections = registry.gauge("campaign_http_open_connections", help: "Open HTTP connections, streams included.")
        openStreams = registry.gauge("campaign_http_open_streams", help: "Open streaming (SSE) responses.")
        rooms = registry.gauge("campaign_sse_rooms", help: "Campaign rooms with at least one subscriber (or in their grace period).")
        sseClients = registry.gauge("campaign_sse_clients", help: "SSE clients joined to a room.")
        eventsBroadcast = registry.counter(
            "campaign_sse_events_broadcast_total", help: "Events written to rooms (once per room, not per client).")
        deliveries = registry.counter(
            "campaign_sse_deliveries_total", help: "Event batches written to SSE clients (one per client and broadcast).")
        sentBytes = registry.counter("campaign_sse_sent_bytes_total", help: "Event bytes handed to SSE clients.")
        slowClientDisconnects = registry.counter(
            "campaign_sse_slow_client_disconnects_total", help: "SSE clients disconnected for reading too slowly.")
        resyncs = registry.counter("campaign_sse_resyncs_total", help: "resync events sent (unknown position or pruned history).")
        let replays = MetricNameDescriptor(
            "campaign_sse_replays_total",
            help: "Resumes replayed their missed events, from a room's recent events (memory) or the event log (store).")
        replaysFromMemory = registry.makeCounter(descriptor: replays, labels: [("source", "memory")])
        replaysFromStore = registry.makeCounter(descriptor: replays, labels: [("source", "store")])
        streamsRefused = registry.counter(
            "campaign_sse_streams_refused_total", help: "Event streams refused because their token subject held MAX_STREAMS_PER_SUBJECT.")
        overloadedAnswers = registry.counter(
            "campaign_http_overloaded_total",
            help: "Requests answered overloaded (503, or event: overloaded on a stream) past MAX_CONNECTIONS.")
        unsentBytes = registry.gauge("campaign_http_unsent_bytes", help: "Bytes queued for clients that could not take them yet.")
        acceptedConnections = MirroredCounter(registry.counter("campaign_http_connections_accepted_total", help: "Connections accepted."))
        refusedConnections = MirroredCounter(registry.counter(
            "campaign_http_connections_refused_total",
            help: "Connections closed unanswered at accept because MAX_CONNECTIONS and the overload allowance were used up."))
        sendTimeouts = MirroredCounter(registry.counter(
            "campaign_http_send_timeouts_total",
            help: "Connections closed because their client took none of their data for SEND_TIMEOUT_SECONDS."))
        backpressurePauses = MirroredCounter(registry.counter(
            "campaign_http_backpressure_pauses_total",
            help: "Times a connection's requests were left unread because its answers waited unsent."))
        refusedPerAddress = MirroredCounter(registry.counter(
            "campaign_http_connections_refused_per_address_total", help: "Connections refused at accept over MAX_CONNECTIONS_PER_ADDRESS."))
        refusedByRate = MirroredCounter(registry.counter(
            "campaign_http_connections_refused_rate_total", help: "Connections refused at accept over CONNECTION_RATE_PER_ADDRESS."))
        heldRefusals = registry.gauge(
            "campaign_http_refused_connections_held",
            help: "Connections refused for their address's limits, held open and unread before they are closed.")
        requestRatePauses = MirroredCounter(registry.counter(
            "campaign_http_request_rate_pauses_total",
            help: "Times a connection's next request was left unread because its address had spent REQUEST_RATE_PER_ADDRESS."))
        healthChecks = registry.counter(
            "campaign_health_checks_total", help: "Store reachability checks made for /api/health (each answer is reused for a second).")
        fanoutLatency = registry.makeValueHistogram(
            descriptor: .init("campaign_sse_broadcast_fanout_seconds", help: "From an event reaching its room to the last client's write."),
            buckets: Self.latencyBuckets)
        process = ProcessMetrics(registry: registry)
    }

    /// For `MetricsSystem.bootstrap`: metrics made through swift-metrics land in this registry.
    public var factory: PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = Self.latencyBuckets.map { .nanoseconds(Int64($0 * 1e9)) }
        return factory
    }

    /// `campaign_build_info{version,commit} 1`, the usual way to join a build's identity to other series.
    public func recordBuild(version: String, commit: String) {
        registry.makeGauge(
            descriptor: .init("campaign_build_info", help: "Always 1; the labels name the running build."),
            labels: [("version", version), ("commit", commit)]).set(to: 1)
    }

    func requestCompleted(route: String, method: String, status: Int, seconds: Double) {
        let key = RouteStatus(route: route, status: status)  // no string built per request
        let counter = requestTotals.withLock { totals in
            if let counter = totals[key] { return counter }
            let counter = registry.makeCounter(
                descriptor: .init("campaign_http_requests_total", help: "HTTP requests by route and status."),
                labels: [("route", route), ("status", String(status))])
            totals[key] = counter
            return counter
        }
        counter.increment()
        let histogram = requestLatency.withLock { latencies in
            if let histogram = latencies[route] { return histogram }
            let histogram = registry.makeValueHistogram(
                descriptor: .init("campaign_http_request_duration_seconds", help: "Time to answer HTTP requests, by route."),
                labels: [("route", route)], buckets: Self.latencyBuckets)
            latencies[route] = histogram
            return histogram
        }
        histogram.record(seconds)
    }

    struct RouteStatus: Hashable {
        let route: String
        let status: Int
    }

    public func broadcast(eventCount: Int, clientCount: Int, byteCount: Int, latencySeconds: Double) {
        eventsBroadcast.increment(by: Int64(eventCount))
        deliveries.increment(by: Int64(clientCount))
        sentBytes.increment(by: Int64(byteCount))
        fanoutLatency.record(latencySeconds)
    }

    public func slowClientDisconnected() { slowClientDisconnects.increment() }
    func streamRefused() { streamsRefused.increment() }
    func overloaded() { overloadedAnswers.increment() }
    public func subscribersChanged(by delta: Int) { sseClients.increment(by: Double(delta)) }
    public func resyncSent(count: Int) { resyncs.increment(by: Int64(count)) }
    public func replayed(fromMemory: Bool) { (fromMemory ? replaysFromMemory : replaysFromStore).increment() }
}

extension APIMetrics {
    public func feedReconnected() { database.withLock { $0?.listenerReconnects.increment() } }
    public func feedConnectionChanged(connected: Bool) {
        database.withLock { $0?.listenerConnected.set(to: connected ? 1 : 0) }
    }
}
