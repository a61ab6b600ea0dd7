import Sockets
import Foundation
import Histogram

/// A mixed REST workload with SSE subscribers attached: throughput and latency per route, errors by
/// status, and whether every successful write reached every subscriber as its event.
final class LoadRun {
    let configuration: Configuration
    let loop: ClientLoop
    var progress: ProgressLine
    var failure: BenchError?
    let runDeadline: UInt64
    let startedAt = Date()

    /// Per campaign (index in `configuration.campaignIDs`), its phase ids.
    var phaseIDs: [[String]] = []
    var subscribers: [SSEClient] = []
    var liveSubscribers = 0
    var subscriberDisconnects = 0
    var firstDisconnectReason: String?

    var workers: [LoadWorker] = []
    var loadStartedAt: UInt64 = 0
    var loadEndsAt: UInt64 = 0
    var loadEndedAt: UInt64 = 0
    var busyWorkers = 0
    var lastWriteAnsweredAt: UInt64 = 0

    var latencies: [Histogram<UInt64>]
    var requests: [Int]
    var successes: [Int]
    /// Per route: status → answers.
    var statuses: [[Int: Int]]
    var transportErrors: [String: Int] = [:]
    /// Writes answered with success that left the task's version as it was: no event is due for them.
    var unchangedWrites = 0

    var matcher: EventMatcher
    /// Event id → the (task id, version) key of its write, parsed once per event id.
    var keyByEventID: [Int64: String] = [:]
    var receivedWriteEvents = 0
    var historyUpdates = 0
    var otherEvents: [String: Int] = [:]
    var duplicateIDs = 0
    var outOfOrder = 0

    init(configuration: Configuration) throws {
        self.configuration = configuration
        loop = try ClientLoop()
        progress = ProgressLine(enabled: configuration.showProgress && ProgressLine().enabled)
        runDeadline = Clock.now() + Clock.nanoseconds(seconds: configuration.timeout)
        let routes = LoadRoute.allCases.count
        latencies = Array(repeating: Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000,
                                                       numberOfSignificantValueDigits: .three), count: routes)
        requests = Array(repeating: 0, count: routes)
        successes = Array(repeating: 0, count: routes)
        statuses = Array(repeating: [:], count: routes)
        matcher = EventMatcher(subscriberCampaigns: (0..<configuration.totalSubscribers).map { $0 / configuration.subscribers })
    }

    /// Runs every phase and returns the figures; throws when no meaningful figures can be given.
    func run() throws -> LoadResult {
        try FileDescriptorLimit.ensure(configuration.concurrency + configuration.totalSubscribers + 64,
                                       purpose: "\(configuration.concurrency) workers and \(configuration.totalSubscribers) subscribers")
        defer { shutDown() }
        for campaignID in configuration.campaignIDs {
            let snapshot = try Snapshot.fetch(loop: loop, address: configuration.address, token: configuration.token,
                                              campaignID: campaignID, deadline: runDeadline)
            guard !snapshot.phases.isEmpty else {
                throw BenchError("campaign \(campaignID) has no phases to create tasks in")
            }
            phaseIDs.append(snapshot.phases.map(\.id))
        }
        try connectSubscribers()
        try openWorkers()
        runLoad()
        try throwIfFailed()
        awaitEvents()
        return makeResult()
    }

    func fail(_ message: String) {
        if failure == nil { failure = BenchError(message) }
    }

    func throwIfFailed() throws {
        if let failure {
            progress.clear()
            throw failure
        }
    }

    private func shutDown() {
        progress.clear()
        for subscriber in subscribers { subscriber.close() }
        for worker in workers { worker.connection.close() }
    }
}
