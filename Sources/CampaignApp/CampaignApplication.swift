import CampaignAPI
import CampaignModel
import CampaignStore
import HTTP
import Logging
import Postgres
import Realtime
import ServiceLifecycle
import Sockets
import Synchronization
import UnixSignals

/// One server instance, wired: the store (PostgreSQL with its migrations and event feed, or in
/// memory), the room registry, the API handler and the HTTP server, run as services (see `run`). Used by `campaign-server`, by the
/// benchmark's `--embedded` mode and by the integration tests.
public final class CampaignApplication: Sendable {
    public let configuration: Configuration
    public let store: any CampaignStore
    public let registry: RoomRegistry
    public let metrics: APIMetrics
    public let handler: CampaignAPIHandler
    public let server: HTTPServer
    let logger: Logger
    let pool: PostgresPool?
    let eventFeed: (any CampaignEventFeed)?
    let listenerLoop: EventLoop?
    let readinessDelay = ReadinessDelay()
    let lifecycle = Mutex(Lifecycle())

    struct Lifecycle {
        /// The running service group, while `run()` runs.
        var group: ServiceGroup?
        var handlesSignals = false
        /// A shutdown was asked for (by `shutdown()` or a signal); a later request ends the readiness delay.
        var shutdownRequested = false
    }

    /// Builds the instance; with a database, connects and applies the migrations first.
    public init(configuration: Configuration, assets: StaticAssets = StaticAssets(), logger: Logger) async throws {
        self.configuration = configuration
        self.logger = logger
        let metrics = APIMetrics()
        self.metrics = metrics
        let statistics = ServerStatistics()

        let store: any CampaignStore
        let registry: RoomRegistry
        if let database = configuration.database {
            // Migrations run on a session of their own, so every pooled session opens on the current
            // schema and warms up on it (which it could not do on a fresh database). Not with the lock
            // timeout: the migrations wait for other instances' migrations on a lock.
            var migrationConfiguration = database.pool
            migrationConfiguration.lockTimeoutMilliseconds = nil
            let migrationPool = PostgresPool(configuration: migrationConfiguration, logger: logger)
            do {
                try await PostgresCampaignStore.migrate(pool: migrationPool, logger: logger)
            } catch {
                await migrationPool.shutdown()
                throw error
            }
            await migrationPool.shutdown()
            var poolConfiguration = database.pool
            poolConfiguration.sessionSetup = PostgresCampaignStore.warmUpSession
            poolConfiguration.idleInTransactionTimeoutMilliseconds = PostgresCampaignStore.idleInTransactionTimeoutMilliseconds
            let pool = PostgresPool(configuration: poolConfiguration, logger: logger)
            // Every session opens (and warms up) before the first request, not during it.
            await pool.openSessions()
            metrics.observeDatabase {
                let statistics = pool.statistics()
                return (size: statistics.size, openSessions: statistics.openConnections,
                        busySessions: statistics.busyConnections, waitingRequests: statistics.waitingRequests)
            }
            store = PostgresCampaignStore(pool: pool, logger: logger, configuration: database.store)
            registry = Self.makeRegistry(store: store, configuration: configuration, logger: logger, metrics: metrics)
            let loop = try EventLoop(name: "pg-listener")
            try loop.start()
            listenerLoop = loop
            self.pool = pool
            let listenURL = database.listenURL ?? database.pool.connectionString
            eventFeed = DatabaseListener(subscriber: registry, logger: logger, observer: metrics) {
                try await NotificationConnection.connect(connectionString: listenURL, channel: "campaign_events", loop: loop, logger: logger)
            }
        } else {
            let memoryStore = InMemoryCampaignStore(configuration: configuration.memoryStore)
            store = memoryStore
            registry = Self.makeRegistry(store: store, configuration: configuration, logger: logger, metrics: metrics)
            memoryStore.setEventSink(registry)
            pool = nil
            eventFeed = nil
            listenerLoop = nil
        }
        self.store = store
        self.registry = registry
        let handler = CampaignAPIHandler(
            configuration: configuration.api, store: store, registry: registry, metrics: metrics, statistics: statistics,
            storeKind: configuration.database == nil ? "memory" : "postgres", assets: assets, logger: logger, eventFeed: eventFeed)
        self.handler = handler
        server = try HTTPServer(
            configuration: configuration.http, handler: handler, errorResponder: handler, logger: logger, statistics: statistics)
    }

    /// The rooms, on the process's monotonic clock; a crowd arriving in one batch of the HTTP event
    /// loop is let into its room by one task.
    private static func makeRegistry(
        store: any CampaignStore, configuration: Configuration, logger: Logger, metrics: APIMetrics
    ) -> RoomRegistry {
        RoomRegistry(
            store: store, configuration: configuration.api.realtime, logger: logger, observer: metrics,
            clock: SystemRealtimeClock(), runAfterTransportBatch: { EventLoop.runAfterCurrentBatch($0) })
    }

    /// The port the server listens on (after `start()`).
    public var port: Int { server.port }

    /// Starts accepting connections (returns at once; `run()` also starts).
    public func start() throws { try server.start() }

    /// Serves until a graceful shutdown (`shutdown()`, or SIGTERM/SIGINT when `handlingSignals`) or
    /// cancellation, then closes the database connections. The server, the event feed and the pruner
    /// run as services of one `ServiceGroup`; a graceful shutdown ends them in reverse order: the
    /// server drains first (see `drain()`) while the feed still delivers, then the pruner and the
    /// feed are cancelled.
    public func run(handlingSignals: Bool = false) async throws {
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: services(), gracefulShutdownSignals: handlingSignals ? Self.terminationSignals : [], logger: logger))
        let requested = lifecycle.withLock { state -> Bool in
            state.group = group
            state.handlesSignals = handlingSignals
            return state.shutdownRequested
        }
        if requested { await group.triggerGracefulShutdown() }
        defer { lifecycle.withLock { $0.group = nil } }
        do {
            try await group.run()
        } catch {
            await close()
            throw error
        }
        await close()
    }

    /// Graceful shutdown from outside (tests, the benchmark), as SIGTERM: readiness fails first, then
    /// after `shutdownReadinessDelaySeconds` the listening socket closes and the server drains. A
    /// second call ends the delay at once, as a second signal does. Returns once the server stopped.
    public func shutdown() async {
        let (first, group) = lifecycle.withLock { state in
            defer { state.shutdownRequested = true }
            return (!state.shutdownRequested, state.group)
        }
        if first {
            await group?.triggerGracefulShutdown()  // without a group yet, `run()` triggers it when it starts
        } else {
            readinessDelay.end()
        }
        await server.waitUntilStopped()
    }

    /// The server's part of a graceful shutdown: `/readyz` fails at once, new connections are still
    /// served for the readiness delay (ended early by a second signal or `shutdown()` call, or by
    /// cancellation), then the server stops accepting, lets in-flight requests finish and ends every
    /// stream.
    func drain() async {
        let handlesSignals = lifecycle.withLock { state -> Bool in
            state.shutdownRequested = true
            return state.handlesSignals
        }
        if handler.readiness.startDraining() {
            logger.notice("[HTTP] not ready: draining; the listener closes after the readiness delay", metadata: [
                "delay.seconds": "\(configuration.shutdownReadinessDelaySeconds)",
            ])
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [readinessDelay, configuration] in
                    await readinessDelay.wait(seconds: configuration.shutdownReadinessDelaySeconds)
                }
                if handlesSignals {
                    // The group took the first signal; another one cuts the delay short.
                    group.addTask {
                        for await _ in await UnixSignalsSequence(trapping: Self.terminationSignals) { return }
                    }
                }
                await group.next()
                group.cancelAll()
            }
        }
        await server.shutdown()
    }

    static let terminationSignals: [UnixSignal] = [.sigterm, .sigint]

    private func close() async {
        await pool?.shutdown()
        listenerLoop?.stop()
        logger.info("[HTTP] server stopped")
    }
}
