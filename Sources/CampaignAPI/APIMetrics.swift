import HTTP
import Realtime
import Synchronization
import Telemetry

/// The server's Prometheus metrics, and the realtime observer that feeds them.
public final class APIMetrics: RealtimeObserver, Sendable {
    public let registry: MetricsRegistry
    let openConnections: Gauge
    let openStreams: Gauge
    let rooms: Gauge
    let sseClients: Gauge
    let eventsBroadcast: Counter
    let bytesSent: Counter
    let slowClientDisconnects: Counter
    let streamsRefused: Counter
    let healthChecks: Counter
    let listenerReconnects: Counter
    let unsentBytes: Gauge
    let resyncs: Counter
    let replaysFromMemory: Counter
    let replaysFromStore: Counter
    let sendTimeouts: Counter
    let backpressurePauses: Counter
    let refusedPerAddress: Counter
    let refusedByRate: Counter
    let fanoutLatency: Histogram
    let requestTotals = Mutex<[RouteStatus: Counter]>([:])
    let requestLatency = Mutex<[String: Histogram]>([:])

    static let latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

    public init(registry: MetricsRegistry = MetricsRegistry()) {
        self.registry = registry
        openConnections = registry.gauge("campaign_http_open_connections", help: "Open HTTP connections, streams included.")
        openStreams = registry.gauge("campaign_http_open_streams", help: "Open streaming (SSE) responses.")
        rooms = registry.gauge("campaign_sse_rooms", help: "Campaign rooms with at least one subscriber (or in their grace period).")
        sseClients = registry.gauge("campaign_sse_clients", help: "SSE clients joined to a room.")
        eventsBroadcast = registry.counter("campaign_sse_events_broadcast_total", help: "Events written to rooms (once per room, not per client).")
        bytesSent = registry.counter("campaign_sse_bytes_sent_total", help: "Event bytes handed to SSE clients.")
        slowClientDisconnects = registry.counter("campaign_sse_slow_client_disconnects_total", help: "SSE clients disconnected for reading too slowly.")
        resyncs = registry.counter("campaign_sse_resyncs_total", help: "resync events sent (unknown position or pruned history).")
        replaysFromMemory = registry.counter(
            "campaign_sse_replays_from_memory_total", help: "Resumes answered from a room's recent events, with no store read.")
        replaysFromStore = registry.counter("campaign_sse_replays_from_store_total", help: "Resumes that read the event log.")
        unsentBytes = registry.gauge("campaign_http_unsent_bytes", help: "Bytes queued for clients that could not take them yet.")
        sendTimeouts = registry.counter(
            "campaign_http_send_timeouts_total", help: "Connections closed because their client took none of their data for SEND_TIMEOUT_SECONDS.")
        backpressurePauses = registry.counter(
            "campaign_http_backpressure_pauses_total", help: "Times a connection's requests were left unread because its answers waited unsent.")
        refusedPerAddress = registry.counter(
            "campaign_http_connections_refused_per_address_total", help: "Connections closed at accept over MAX_CONNECTIONS_PER_ADDRESS.")
        refusedByRate = registry.counter(
            "campaign_http_connections_refused_rate_total", help: "Connections closed at accept over CONNECTION_RATE_PER_ADDRESS.")
        streamsRefused = registry.counter(
            "campaign_sse_streams_refused_total", help: "Event streams refused because their token subject held MAX_STREAMS_PER_SUBJECT.")
        healthChecks = registry.counter(
            "campaign_health_checks_total", help: "Store reachability checks made for /api/health (each answer is reused for a second).")
        listenerReconnects = registry.counter("campaign_db_listener_reconnects_total", help: "Times the PostgreSQL listener re-established its connection.")
        fanoutLatency = registry.histogram(
            "campaign_sse_broadcast_fanout_seconds", help: "From an event reaching its room to the last client's write.",
            buckets: Self.latencyBuckets)
    }

    func requestCompleted(route: String, method: String, status: Int, seconds: Double) {
        let key = RouteStatus(route: route, status: status)  // no string built per request
        let counter = requestTotals.withLock { totals in
            if let counter = totals[key] { return counter }
            let counter = registry.counter(
                "campaign_http_requests_total", help: "HTTP requests by route and status.",
                labels: ["route": route, "status": String(status)])
            totals[key] = counter
            return counter
        }
        counter.increment()
        let histogram = requestLatency.withLock { latencies in
            if let histogram = latencies[route] { return histogram }
            let histogram = registry.histogram(
                "campaign_http_request_duration_seconds", help: "Time to answer HTTP requests, by route.",
                buckets: Self.latencyBuckets, labels: ["route": route])
            latencies[route] = histogram
            return histogram
        }
        histogram.observe(seconds)
    }

    struct RouteStatus: Hashable {
        let route: String
        let status: Int
    }

    func refreshGauges(statistics: ServerStatistics, rooms roomCount: Int) {
        openConnections.set(statistics.openConnections)
        openStreams.set(statistics.openStreams)
        rooms.set(roomCount)
        unsentBytes.set(statistics.unsentBytes)
        Self.advance(sendTimeouts, to: statistics.sendTimeouts)
        Self.advance(backpressurePauses, to: statistics.backpressurePauses)
        Self.advance(refusedPerAddress, to: statistics.connectionsRefusedPerAddress)
        Self.advance(refusedByRate, to: statistics.connectionsRefusedByRate)
    }

    /// Brings a counter up to a total the transport keeps itself (it only grows, so neither does the counter).
    private static func advance(_ counter: Counter, to total: Int) {
        let behind = total - counter.value
        if behind > 0 { counter.increment(by: behind) }
    }

    public func broadcast(eventCount: Int, clientCount: Int, byteCount: Int, latencySeconds: Double) {
        eventsBroadcast.increment(by: eventCount)
        bytesSent.increment(by: byteCount)
        fanoutLatency.observe(latencySeconds)
    }

    public func slowClientDisconnected() { slowClientDisconnects.increment() }
    func streamRefused() { streamsRefused.increment() }
    public func subscribersChanged(by delta: Int) { sseClients.increment(by: delta) }
    public func roomsChanged(by delta: Int) {}
    public func listenerReconnected() { listenerReconnects.increment() }
    public func resyncSent(count: Int) { resyncs.increment(by: count) }
    public func replayed(fromMemory: Bool) { (fromMemory ? replaysFromMemory : replaysFromStore).increment() }
}
