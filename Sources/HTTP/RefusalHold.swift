/// Connections refused for their address's limits (CONNECTION_RATE_PER_ADDRESS,
/// MAX_CONNECTIONS_PER_ADDRESS), kept open and unread for a while before they are closed.
///
/// Closed at once, a refused client tries again at once: a reconnect storm then comes back as fast
/// as the server can refuse it, and every refusal is an accept, a close and a reset through the
/// kernel on the loop thread. Held for about a second, each of the storm's clients waits for an
/// answer that does not come, and the storm slows to about one attempt per client per second
/// (HAProxy's tarpit does the same to robots). The owner varies each hold (see
/// `HTTPServer.refusalHold`): refused together and released together, a storm would come back in
/// waves.
///
/// A pure value owned by the server's loop thread: it never closes anything itself; it hands back
/// what to close. At most `capacity` entries, scanned whole on each tick.
struct RefusalHold {
    /// Refusals held at once; past it a refusal is closed at once.
    let capacity: Int
    private var held: [(fd: Int32, until: UInt64)] = []

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { held.count }

    /// Holds `fd` until `now` plus `milliseconds`; false when it cannot be held (the caller closes it).
    mutating func hold(_ fd: Int32, now: UInt64, for milliseconds: UInt64) -> Bool {
        guard milliseconds > 0, held.count < capacity else { return false }
        held.append((fd, now &+ milliseconds))
        return true
    }

    /// The descriptor whose hold ends first, no longer held: an admitted connection needs its place.
    mutating func takeOldest() -> Int32? {
        guard let index = held.indices.min(by: { held[$0].until < held[$1].until }) else { return nil }
        return held.remove(at: index).fd
    }

    /// The descriptors whose hold ended by `now`, no longer held, in the order they were held.
    mutating func takeExpired(now: UInt64) -> [Int32] {
        guard held.contains(where: { $0.until <= now }) else { return [] }
        let expired = held.filter { $0.until <= now }.map(\.fd)
        held.removeAll { $0.until <= now }
        return expired
    }

    /// Every held descriptor (shutdown).
    mutating func takeAll() -> [Int32] {
        defer { held.removeAll() }
        return held.map(\.fd)
    }
}
