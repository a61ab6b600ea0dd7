/// A token bucket of new connections per IPv4 address (CONNECTION_RATE_PER_ADDRESS,
/// CONNECTION_BURST_PER_ADDRESS): an address may open `burst` connections at once and `ratePerSecond`
/// a second after that. A reconnect storm then costs the server an accept and a close per surplus
/// connection instead of a parsed request, a room join and a replay.
///
/// A pure value owned by the server's loop thread; time comes in as monotonic milliseconds.
struct ConnectionRateLimit {
    /// Thousandths of a connection, so a rate below 1,000/s refills by whole units each millisecond.
    private static let unit: Int64 = 1000

    let ratePerSecond: Int
    let burst: Int
    /// Addresses tracked at once. When the table is full of addresses still paying back a burst, a new
    /// address is let in untracked: the table's memory stays bounded, and `MAX_CONNECTIONS` still
    /// bounds what such connections can hold.
    let maximumAddresses: Int
    private var buckets: [UInt32: Bucket] = [:]
    private var lastSweep: UInt64 = 0

    private struct Bucket {
        var tokens: Int64
        var updatedAt: UInt64
    }

    init(ratePerSecond: Int, burst: Int, maximumAddresses: Int = 65_536) {
        self.ratePerSecond = max(0, ratePerSecond)
        self.burst = max(1, burst)
        self.maximumAddresses = max(1, maximumAddresses)
    }

    var isEnabled: Bool { ratePerSecond > 0 }

    /// Addresses in the table now.
    var trackedAddresses: Int { buckets.count }

    private var capacity: Int64 { Int64(burst) * Self.unit }

    /// Whether `address` may open one more connection at `now`; takes its token when it may.
    mutating func admit(_ address: UInt32, now: UInt64) -> Bool {
        guard isEnabled else { return true }
        if let bucket = buckets[address] {
            let tokens = refilled(bucket, now: now)
            guard tokens >= Self.unit else {
                buckets[address] = Bucket(tokens: tokens, updatedAt: now)
                return false
            }
            buckets[address] = Bucket(tokens: tokens - Self.unit, updatedAt: now)
            return true
        }
        if buckets.count >= maximumAddresses { sweep(now: now) }
        if buckets.count < maximumAddresses {
            buckets[address] = Bucket(tokens: capacity - Self.unit, updatedAt: now)
        }
        return true
    }

    /// Forgets the addresses whose bucket has filled up again (they are as good as new); at most once a
    /// second, so a full table of busy addresses costs one pass a second, not one per connection.
    mutating func sweep(now: UInt64) {
        guard isEnabled, now &- lastSweep >= 1000 else { return }
        lastSweep = now
        buckets = buckets.filter { refilled($0.value, now: now) < capacity }
    }

    private func refilled(_ bucket: Bucket, now: UInt64) -> Int64 {
        // A clock read before `updatedAt` (none is expected) refills nothing; a long pause refills to capacity.
        let elapsed = now > bucket.updatedAt ? min(now - bucket.updatedAt, UInt64(burst) * 1000) : 0
        return min(capacity, bucket.tokens + Int64(elapsed) * Int64(ratePerSecond))
    }
}
