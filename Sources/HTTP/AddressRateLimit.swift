/// A token bucket per IPv4 address: an address may spend `burst` units at once and `ratePerSecond`
/// a second after that. Two of them guard the server:
///
/// - new connections (CONNECTION_RATE_PER_ADDRESS, CONNECTION_BURST_PER_ADDRESS), taken with
///   `admit`: a reconnect storm then costs the server an accept and a close per surplus connection
///   instead of a parsed request, a room join and a replay;
/// - requests (REQUEST_RATE_PER_ADDRESS, REQUEST_BURST_PER_ADDRESS), paid with `charge` once read
///   and checked with `hasBudget` before the next: a flood of requests waits unread in its sockets.
///
/// A pure value owned by the server's loop thread; time comes in as monotonic milliseconds.
struct AddressRateLimit {
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

    /// Whether `address` may spend one unit (open one more connection) at `now`; takes it when it may.
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

    /// Takes `cost` units from `address` at `now`, whatever its bucket holds: what was already read is
    /// served, and the debt is paid back before the address may go on (`hasBudget`). An address the
    /// full table cannot track is not charged.
    mutating func charge(_ address: UInt32, cost: Int, now: UInt64) {
        guard isEnabled, cost > 0 else { return }
        let price = Int64(clamping: cost).multipliedReportingOverflow(by: Self.unit)
        let units = price.overflow ? Int64.max / 2 : price.partialValue
        let tokens: Int64
        if let bucket = buckets[address] {
            tokens = refilled(bucket, now: now)
        } else {
            if buckets.count >= maximumAddresses { sweep(now: now) }
            guard buckets.count < maximumAddresses else { return }
            tokens = capacity
        }
        buckets[address] = Bucket(tokens: max(Int64.min / 2, tokens - units), updatedAt: now)
    }

    /// Whether `address` has a whole unit left at `now` (an address not in the table has its burst).
    func hasBudget(_ address: UInt32, now: UInt64) -> Bool {
        guard isEnabled, let bucket = buckets[address] else { return true }
        return refilled(bucket, now: now) >= Self.unit
    }

    /// Milliseconds until `address` has a whole unit again (0 when it has one now).
    func millisecondsUntilBudget(_ address: UInt32, now: UInt64) -> UInt64 {
        guard isEnabled, let bucket = buckets[address] else { return 0 }
        let missing = Self.unit - refilled(bucket, now: now)
        guard missing > 0 else { return 0 }
        // `ratePerSecond` thousandths of a unit come back each millisecond.
        let rate = Int64(ratePerSecond)
        return UInt64((missing + rate - 1) / rate)
    }

    /// Forgets the addresses whose bucket has filled up again (they are as good as new); at most once a
    /// second, so a full table of busy addresses costs one pass a second, not one per connection.
    mutating func sweep(now: UInt64) {
        guard isEnabled, now &- lastSweep >= 1000 else { return }
        lastSweep = now
        buckets = buckets.filter { refilled($0.value, now: now) < capacity }
    }

    private func refilled(_ bucket: Bucket, now: UInt64) -> Int64 {
        // A clock read before `updatedAt` (none is expected) refills nothing; a long pause refills to
        // capacity (the cap of a million seconds keeps the product far inside Int64).
        let elapsed = now > bucket.updatedAt ? min(now - bucket.updatedAt, 1_000_000_000) : 0
        return min(capacity, bucket.tokens + Int64(elapsed) * Int64(ratePerSecond))
    }
}
