/// What the live stream reports for metrics; the API layer forwards it to Prometheus counters.
public protocol RealtimeObserver: Sendable {
    /// A room wrote `eventCount` events (`byteCount` bytes) to `clientCount` clients, `latencySeconds`
    /// after the oldest of them was handed to it.
    func broadcast(eventCount: Int, clientCount: Int, byteCount: Int, latencySeconds: Double)
    /// A client was disconnected because it read too slowly.
    func slowClientDisconnected()
    /// Open SSE clients changed by this amount (rooms are counted when metrics are read: `RoomRegistry.roomCount`).
    func subscribersChanged(by delta: Int)
    /// `count` clients were sent `resync` (their position is unknown, or their events were pruned).
    func resyncSent(count: Int)
    /// A resuming client was replayed its missed events, from the room's memory or from the store.
    func replayed(fromMemory: Bool)
}

/// Observes nothing (tests, the benchmark's embedded server).
public struct NoRealtimeObserver: RealtimeObserver {
    public init() {}
    public func broadcast(eventCount: Int, clientCount: Int, byteCount: Int, latencySeconds: Double) {}
    public func slowClientDisconnected() {}
    public func subscribersChanged(by delta: Int) {}
    public func resyncSent(count: Int) {}
    public func replayed(fromMemory: Bool) {}
}
