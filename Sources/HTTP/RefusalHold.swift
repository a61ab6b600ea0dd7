/// Connections refused for their address's limits (CONNECTION_RATE_PER_ADDRESS,
/// MAX_CONNECTIONS_PER_ADDRESS), kept open and unread for a while before they are closed.
///
/// Closed at once, a refused client tries again at once: a reconnect storm then comes back as fast
/// as the server can refuse it, and every refusal is an accept, a close and a reset through the
/// kernel on the loop thread. Held for a second, each of the storm's clients waits for an answer
/// that does not come, and the storm slows to about one attempt per client per second (HAProxy's
/// tarpit does the same to robots).
///
/// Descriptors in order of refusal, so the oldest is always first to expire. A pure value owned by
/// the server's loop thread: it never closes anything itself; it hands back what to close.
struct RefusalHold {
    /// Refusals held at once; past it a refusal is closed at once.
    let capacity: Int
    let holdMilliseconds: UInt64
    private var held: [(fd: Int32, until: UInt64)] = []
    private var head = 0

    init(capacity: Int, holdMilliseconds: UInt64) {
        self.capacity = max(0, capacity)
        self.holdMilliseconds = holdMilliseconds
    }

    var count: Int { held.count - head }

    /// Holds `fd` until `now` plus the hold; false when it cannot be held (the caller closes it).
    mutating func hold(_ fd: Int32, now: UInt64) -> Bool {
        guard holdMilliseconds > 0, count < capacity else { return false }
        held.append((fd, now &+ holdMilliseconds))
        return true
    }

    /// The oldest held descriptor, no longer held: an admitted connection needs its place.
    mutating func takeOldest() -> Int32? {
        guard head < held.count else { return nil }
        defer { advance() }
        return held[head].fd
    }

    /// The descriptors whose hold ended by `now`, no longer held; at most `limit` of them.
    mutating func takeExpired(now: UInt64, limit: Int = .max) -> [Int32] {
        var expired: [Int32] = []
        while expired.count < limit, head < held.count, held[head].until <= now {
            expired.append(held[head].fd)
            advance()
        }
        return expired
    }

    /// Every held descriptor (shutdown).
    mutating func takeAll() -> [Int32] {
        defer { held.removeAll(); head = 0 }
        return held[head...].map(\.fd)
    }

    /// Drops the first entry; the array is compacted once half of it is spent.
    private mutating func advance() {
        head += 1
        if head == held.count {
            held.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= held.count {
            held.removeFirst(head)
            head = 0
        }
    }
}
