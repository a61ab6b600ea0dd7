/// The time-driven duties of a room: a heartbeat comment when the stream has been quiet for an interval,
/// and, per client, an `auth-expiring` warning before its token expires and the end of its stream at expiry.
/// A plain value: the room asks what is due at `now` and when to wake next; tests use a manual clock.
/// Clients are named by their stream's id.
public struct RoomSchedule: Sendable {
    public struct Due: Equatable, Sendable {
        public var heartbeat = false
        /// Clients to warn now (token expires within the warning lead).
        public var warn: [UInt64] = []
        /// Clients whose token has expired: end their streams.
        public var expire: [UInt64] = []
    }

    public let heartbeatIntervalMilliseconds: UInt64
    public let warningLeadMilliseconds: UInt64
    private var lastWrite: UInt64
    private var expiries: [UInt64: (expiresAt: UInt64, warned: Bool)] = [:]

    public init(heartbeatIntervalMilliseconds: UInt64, warningLeadMilliseconds: UInt64 = 60_000, now: UInt64) {
        self.heartbeatIntervalMilliseconds = heartbeatIntervalMilliseconds
        self.warningLeadMilliseconds = warningLeadMilliseconds
        self.lastWrite = now
    }

    /// Something was written to every client at `now` (a broadcast or a heartbeat).
    public mutating func wrote(now: UInt64) { lastWrite = now }

    /// Tracks a client whose token expires at `expiresAt` (monotonic milliseconds).
    public mutating func track(client: UInt64, expiresAt: UInt64) {
        expiries[client] = (expiresAt, false)
    }

    public mutating func forget(client: UInt64) { expiries[client] = nil }

    /// What is due at `now`; marks it done.
    public mutating func due(now: UInt64) -> Due {
        var due = Due()
        if now &- lastWrite >= heartbeatIntervalMilliseconds {
            due.heartbeat = true
            lastWrite = now
        }
        for (client, entry) in expiries {
            if now >= entry.expiresAt {
                // Already past expiry (or the timer fired late): it still gets its warning first.
                if !entry.warned { due.warn.append(client) }
                due.expire.append(client)
                expiries[client] = nil
            } else if !entry.warned && entry.expiresAt &- now <= warningLeadMilliseconds {
                due.warn.append(client)
                expiries[client] = (entry.expiresAt, true)
            }
        }
        due.warn.sort()
        due.expire.sort()
        return due
    }

    /// When something next falls due.
    public func nextWake() -> UInt64 {
        var next = lastWrite &+ heartbeatIntervalMilliseconds
        for entry in expiries.values {
            let moment = entry.warned ? entry.expiresAt : (entry.expiresAt > warningLeadMilliseconds ? entry.expiresAt - warningLeadMilliseconds : 0)
            next = min(next, moment)
        }
        return next
    }
}
