import Sockets
import Foundation
import Histogram

/// One fan-out measurement: N subscribers on one campaign, K tasks created through the API, and for
/// every delivery the time from the create's publish to its arrival at that subscriber.
final class FanoutRun {
    let configuration: Configuration
    let loop: ClientLoop
    var progress: ProgressLine
    /// The first problem that ends the run early; checked by every loop condition.
    var failure: BenchError?
    let runDeadline: UInt64
    let startedAt = Date()

    // Subscribers.
    var clients: [SSEClient] = []
    var liveClients = 0
    var connectStartedAt: UInt64 = 0
    var allLiveAt: UInt64 = 0
    var disconnects = 0
    var firstDisconnectReason: String?

    // Publishing.
    /// The stream's campaigns (the target first) and the phase each one's tasks are created in.
    var campaigns: [(id: String, phaseID: String)] = []
    /// Campaign index by id, for events of a multi-campaign stream.
    var campaignIndexByID: [String: Int] = [:]
    /// Event id → campaign index, parsed once per event (ids are unique across campaigns).
    var campaignIndexByEventID: [Int64: Int] = [:]
    var publishers: [RESTClient] = []
    var publishQueue: [Int] = []
    var nextToSchedule = 0
    var publishStartAt: UInt64 = 0
    /// When create i was due by the schedule, and when it was written (monotonic ns; 0 until then).
    var dueTimes: [UInt64]
    var publishTimes: [UInt64]
    /// When create i was answered; 0 until then.
    var responseTimes: [UInt64]
    var taskIndexByID: [String: Int] = [:]
    var answered = 0
    var lastAnsweredAt: UInt64 = 0

    // Deliveries.
    /// Event id → create index (-1: an event that is not one of ours), parsed once per event, not per client.
    var createIndexByEventID: [Int64: Int] = [:]
    var eventIDs: [Int64?]
    /// Per create: each client's latency in microseconds.
    var arrivals: [[UInt32]]
    var latency = Histogram<UInt64>(lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000,
                                    numberOfSignificantValueDigits: .three)
    var delivered = 0
    var duplicates = 0
    var outOfOrder = 0
    var foreignEvents = 0
    var historyUpdates = 0
    var eventsWithoutID = 0
    var completedAt: UInt64 = 0

    // Figures from /proc.
    var sampler: ProcessSampler?
    var residentBefore: Int?
    var residentLive: Int?
    var serverCPUBefore: Double?
    var serverCPUAfter: Double?
    var clientCPUBefore = 0.0
    var clientCPUAfter = 0.0

    init(configuration: Configuration) throws {
        self.configuration = configuration
        loop = try ClientLoop()
        progress = ProgressLine(enabled: configuration.showProgress && ProgressLine().enabled)
        runDeadline = Clock.now() + Clock.nanoseconds(seconds: configuration.timeout)
        dueTimes = Array(repeating: 0, count: configuration.events)
        publishTimes = Array(repeating: 0, count: configuration.events)
        responseTimes = Array(repeating: 0, count: configuration.events)
        eventIDs = Array(repeating: nil, count: configuration.events)
        arrivals = Array(repeating: [], count: configuration.events)
    }

    var expected: Int { configuration.clients * configuration.events }

    /// Connections the server must accept at once: every client, every publisher, one spare for the snapshot.
    var connectionsNeeded: Int { configuration.clients + configuration.publisherCount + 1 }

    /// Runs every phase and returns the figures; throws when no meaningful figures can be given.
    func run() throws -> FanoutResult {
        let publisherCount = configuration.publisherCount
        try FileDescriptorLimit.ensure(configuration.clients + publisherCount + 64,
                                       purpose: "\(configuration.clients) clients")
        if let pid = configuration.serverPID { sampler = try ProcessSampler(pid: pid) }
        defer { shutDown() }

        var campaignIDs = [configuration.campaignID]
        for _ in 1..<max(1, configuration.campaignsPerStream) { campaignIDs.append(try createCampaign()) }
        for id in campaignIDs {
            let snapshot = try Snapshot.fetch(loop: loop, address: configuration.address, token: configuration.token,
                                              campaignID: id, deadline: runDeadline)
            guard let phase = snapshot.phases.first else { throw BenchError("campaign \(id) has no phases to create tasks in") }
            campaignIndexByID[id] = campaigns.count
            campaigns.append((id, phase.id))
        }

        residentBefore = try sampler?.residentBytes()
        try connectClients()
        try openPublishers(count: publisherCount)
        if let sampler {
            loop.idle(seconds: configuration.idleBeforeMemorySample) { failure != nil }
            try throwIfFailed()
            residentLive = try sampler.residentBytes()
        }
        try publishAndCollect()
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
        for client in clients { client.close() }
        for publisher in publishers { publisher.close() }
    }
}
