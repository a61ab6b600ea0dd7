/// The figures of one chaos or soak run, as printed and as written to JSON.
struct ChaosResult: Codable {
    struct Recovery: Codable {
        let fault: String
        let seconds: Double
        let startMilliseconds: Int64
        let endMilliseconds: Int64
        /// Seconds from the fault's end until every subscriber had again received an event created after it.
        let recoverySeconds: Double?
        /// Subscribers that received no event created after the fault's end (nil recovery).
        let subscribersWithoutFreshEvent: Int
    }

    var instances = 0
    var subscribers = 0
    var campaigns = 0
    var writeSeconds = 0.0
    var faultsInjected = 0
    var eventsCommitted = 0
    /// Events due, summed over subscribers: each campaign's events after the subscriber's first `connected`.
    var expectedDeliveries = 0
    var delivered = 0
    var lost = 0
    var duplicated = 0
    var outOfOrder = 0
    /// Event ids received that the campaign's log does not hold.
    var foreign = 0
    var resyncs = 0
    var resyncReasons: [String: Int] = [:]
    /// Resync snapshots that differ from the database as of their `lastEventId`, or that could not be fetched.
    var snapshotMismatches = 0
    /// Final snapshots (each campaign on each instance) that differ from the tasks in the database.
    var finalSnapshotMismatches = 0
    /// Subscribers still behind their campaign's newest event when the settle time ran out.
    var unsettledSubscribers = 0
    var connections = 0
    var failovers = 0
    var churned = 0
    var streamRefusals: [String: Int] = [:]
    var overloadedEvents = 0
    var writeOutcomes: [String: Int] = [:]
    var writesSkipped = 0
    var recoveries: [Recovery] = []

    var longestRecovery: Recovery? {
        recoveries.max { ($0.recoverySeconds ?? .infinity) < ($1.recoverySeconds ?? .infinity) }
    }

    var isClean: Bool {
        lost == 0 && duplicated == 0 && outOfOrder == 0 && foreign == 0 && snapshotMismatches == 0
            && finalSnapshotMismatches == 0 && unsettledSubscribers == 0 && streamRefusals.isEmpty
            && recoveries.allSatisfy { $0.recoverySeconds != nil }
    }
}
