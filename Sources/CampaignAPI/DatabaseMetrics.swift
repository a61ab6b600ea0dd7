import Postgres
import Prometheus

/// The PostgreSQL pool's statistics (read at scrape time) and the notification listener's state.
struct DatabaseMetrics: Sendable {
    let pool: PostgresPool
    let poolSize: Gauge
    let openSessions: Gauge
    let busySessions: Gauge
    let waitingRequests: Gauge
    let listenerConnected: Gauge
    let listenerReconnects: Counter

    init(pool: PostgresPool, registry: PrometheusCollectorRegistry) {
        self.pool = pool
        poolSize = registry.gauge(
            "campaign_db_pool_size", help: "Sessions the pool may open (DATABASE_POOL_SIZE).")
        openSessions = registry.gauge("campaign_db_pool_open_connections", help: "Pool sessions open now.")
        busySessions = registry.gauge(
            "campaign_db_pool_busy_connections", help: "Pool sessions running a query or transaction now.")
        waitingRequests = registry.gauge(
            "campaign_db_pool_waiting_requests", help: "Callers waiting for a free pool session now.")
        listenerConnected = registry.gauge(
            "campaign_db_listener_connected", help: "1 while the LISTEN connection is up, 0 while it reconnects.")
        listenerReconnects = registry.counter(
            "campaign_db_listener_reconnects_total", help: "Times the PostgreSQL listener re-established its connection.")
    }

    func refresh() {
        let statistics = pool.statistics()
        poolSize.set(to: Double(statistics.size))
        openSessions.set(to: Double(statistics.openConnections))
        busySessions.set(to: Double(statistics.busyConnections))
        waitingRequests.set(to: Double(statistics.waitingRequests))
    }
}
