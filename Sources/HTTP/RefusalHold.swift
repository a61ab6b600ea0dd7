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
/// what to close. At most `capacity` entries, kept in the order their holds end, so that the server
/// can release each at its own time (`nextRelease`) rather than all that ended within a tick together.
struct RefusalHold {
    /// Refusals held at once; past it a refusal is closed at once.
    let capacity: Int
    /// Ordered by `until`; holds that end at the same time keep the order they began in.
    private var held: [(fd: Int32, until: UInt64)] = []

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { held.count }

    /// When the first hold ends, if any.
    var nextRelease: UInt64? { held.first?.until }

    /// Holds `fd` until `now` plus `milliseconds`; false when it cannot be held (the caller closes it).
    mutating func hold(_ fd: Int32, now: UInt64, for milliseconds: UInt64) -> Bool {
        guard milliseconds > 0, held.count < capacity else { return false }
        let until = now &+ milliseconds
        held.insert((fd, until), at: insertionIndex(for: until))
        return true
    }

    /// The descriptor whose hold ends first, no longer held: an admitted connection needs its place.
    mutating func takeOldest() -> Int32? {
        held.isEmpty ? nil : held.removeFirst().fd
    }

    /// The descriptors whose hold ended by `now`, no longer held, in the order their holds ended.
    mutating func takeExpired(now: UInt64) -> [Int32] {
        let end = held.firstIndex { $0.until > now } ?? held.count
        defer { held.removeFirst(end) }
        return held[..<end].map(\.fd)
    }

    /// Every held descriptor (shutdown).
    mutating func takeAll() -> [Int32] {
        defer { held.removeAll() }
        return held.map(\.fd)
    }

    /// The index after every hold that ends at or before `until` (binary search).
    private func insertionIndex(for until: UInt64) -> Int {
        var low = 0
        var high = held.count
        while low < high {
            let middle = (low + high) / 2
            if held[middle].until <= until { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
