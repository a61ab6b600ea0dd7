import Prometheus

/// The database pool's state at one moment, as the pool reports it: the sessions it may open
/// (DATABASE_POOL_SIZE), those open, those running a query or transaction, and the callers waiting for
/// one. The composition root reads it from its pool, so this module (the HTTP API) needs no database driver.
public typealias DatabasePoolFigures = (size: Int, openSessions: Int, busySessions: Int, waitingRequests: Int)

/// The database pool's statistics (read at scrape time) and the notification listener's state.
struct DatabaseMetrics: Sendable {
    let readPool: @Sendable () -> DatabasePoolFigures
    let poolSize: Gauge
    let openSessions: Gauge
    let busySessions: Gauge
    let waitingRequests: Gauge
    let listenerConnected: Gauge
    let listenerReconnects: Counter

    init(readPool: @escaping @Sendable () -> DatabasePoolFigures, registry: PrometheusCollectorRegistry) {
        self.readPool = readPool
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
        let figures = readPool()
        poolSize.set(to: Double(figures.size))
        openSessions.set(to: Double(figures.openSessions))
        busySessions.set(to: Double(figures.busySessions))
        waitingRequests.set(to: Double(figures.waitingRequests))
    }
}
