import CampaignStore
import ServiceLifecycle

extension CampaignApplication {
    /// The services of one instance, in start order; a graceful shutdown ends them in reverse.
    func services() -> [ServiceGroupConfiguration.ServiceConfiguration] {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let eventFeed {
            services.append(.init(service: ClosureService { await cancelWhenGracefulShutdown { await eventFeed.run() } }, serviceName: "event-feed"))
        }
        let pruner = EventPruner(
            maximumAgeMilliseconds: configuration.retentionMaximumAgeMilliseconds, keepCount: configuration.retentionKeepCount)
        services.append(.init(
            service: ClosureService { [store, logger] in await cancelWhenGracefulShutdown { await pruner.run(store, logger: logger) } },
            serviceName: "event-pruner"))
        services.append(.init(service: ClosureService { [self] in try await serve() }, serviceName: "http-server"))
        return services
    }

    /// The HTTP server until it has stopped: a graceful shutdown drains it after the readiness delay
    /// (`drain()`); cancellation drains it at once (`HTTPServer.run`).
    private func serve() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [server] in try await server.run() }
            group.addTask { [self] in
                // Cancelled first: the server's own cancellation handler drains it at once.
                guard (try? await gracefulShutdown()) != nil else { return }
                await drain()
            }
            // The server stopped (or failed to start): nothing is left to wait for.
            try await group.next()
            group.cancelAll()
        }
    }
}
