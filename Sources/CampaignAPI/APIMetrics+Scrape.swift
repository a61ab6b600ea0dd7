import HTTP

extension APIMetrics {
    /// Copies in what others keep (the transport's statistics, the pool, `/proc/self`) just before
    /// `/metrics` renders, so none of it costs anything between scrapes.
    func refresh(statistics: ServerStatistics, rooms roomCount: Int) {
        openConnections.set(to: Double(statistics.openConnections))
        openStreams.set(to: Double(statistics.openStreams))
        rooms.set(to: Double(roomCount))
        unsentBytes.set(to: Double(statistics.unsentBytes))
        heldRefusals.set(to: Double(statistics.heldRefusals))
        requestRatePauses.advance(to: statistics.requestRatePauses)
        acceptedConnections.advance(to: statistics.acceptedConnections)
        refusedConnections.advance(to: statistics.refusedConnections)
        sendTimeouts.advance(to: statistics.sendTimeouts)
        backpressurePauses.advance(to: statistics.backpressurePauses)
        refusedPerAddress.advance(to: statistics.connectionsRefusedPerAddress)
        refusedByRate.advance(to: statistics.connectionsRefusedByRate)
        database.withLock { $0?.refresh() }
        process.refresh()
    }

    /// Exports the pool's figures (`readPool` runs at each scrape) and the listener's state
    /// (PostgreSQL instances only).
    public func observeDatabase(readPool: @escaping @Sendable () -> DatabasePoolFigures) {
        database.withLock { $0 = DatabaseMetrics(readPool: readPool, registry: registry) }
    }

    /// The text exposition (format 0.0.4) of every family.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
