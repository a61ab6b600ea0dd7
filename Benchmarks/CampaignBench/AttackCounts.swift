/// What an attack did, counted by the attack itself (on its own thread) and reported when it ends.
struct AttackCounts: Codable, Sendable {
    /// Complete requests written: pipelined requests, stream opens, health checks, large bodies.
    var requestsSent = 0
    var bytesSent = 0
    var connectionsOpened = 0
    /// Connections the server ended (EOF, reset, `Connection: close`) while the attack still wanted them.
    var connectionsClosedByServer = 0
    /// Connects that failed (refused, out of local ports); each is retried after a pause.
    var connectFailures = 0
    /// Answers the attack read, by status (health-flood, large-writes, reconnect-storm; the pipeline flood and slowloris drop what they get unread or unparsed).
    var responsesByStatus: [String: Int] = [:]
    /// `event: overloaded` on a stream (reconnect storm).
    var overloadedEvents = 0
    /// Why the attack ended: "duration", "--max-requests", "server RSS growth past --stop-at-rss-growth".
    var stopReason = "duration"
    /// Seconds from the attack's start to its stop.
    var seconds = 0.0

    mutating func countResponse(status: Int) {
        responsesByStatus["\(status)", default: 0] += 1
    }
}
