import Foundation
import Sockets

/// The client side of one chaos or soak run (see `ChaosWatch`): subscribes, writes, follows the faults
/// by reconnecting, then checks what every subscriber received against the database's event log.
final class ChaosRun {
    struct Configuration {
        var addresses: [ServerAddress]
        var campaignIDs: [String]
        /// The directory shared with the script that injects the faults.
        var exchange: URL
        var subscribers = 2000
        var writeRate = 30.0
        var mix = LoadMix()
        var maximumTasksPerWriter = 10
        var churn = 0.0
        var maximumDuration = 3600.0
        var dumpTimeout = 120.0
        var settle = 60.0
        var sourceAddresses = 8
        var connectTimeout = 120.0
        /// Subscribers being opened at any moment while the run starts.
        var connectConcurrency = 500
    }

    let configuration: Configuration
    let loop: ClientLoop
    var progress = ProgressLine()
    let sources: [String?]

    var subscribers: [ChaosSubscriber] = []
    var phasesByCampaign: [[String]] = []
    var writers: [LoadWorker] = []
    var writerCursor = 0
    var writing = false
    var writesStarted: UInt64 = 0
    var writesEnded: UInt64 = 0
    var writeOutcomes: [String: Int] = [:]
    var writesSkipped = 0
    var overloadedEvents = 0
    var streamRefusals: [String: Int] = [:]
    var churned = 0
    /// Subscribers that have had their first `connected`.
    var subscribedCount = 0

    init(configuration: Configuration) throws {
        self.configuration = configuration
        loop = try ClientLoop()
        sources = configuration.addresses[0].sourceAddresses(count: configuration.sourceAddresses)
    }

    func file(_ name: String) -> URL { configuration.exchange.appendingPathComponent(name) }

    func touch(_ name: String) throws {
        guard FileManager.default.createFile(atPath: file(name).path, contents: Data()) else {
            throw BenchError("cannot create \(file(name).path)")
        }
    }

    func run() throws -> ChaosResult {
        try FileDescriptorLimit.ensure(configuration.subscribers + 2 * configuration.campaignIDs.count
                                       * configuration.addresses.count + 256,
                                       purpose: "\(configuration.subscribers) subscribers")
        defer {
            progress.clear()
            for subscriber in subscribers { subscriber.client?.close() }
            for writer in writers { writer.connection.close() }
        }
        let deadline = Clock.now() + Clock.nanoseconds(seconds: 60)
        for campaignID in configuration.campaignIDs {
            let snapshot = try Snapshot.fetch(loop: loop, address: configuration.addresses[0], token: "",
                                              campaignID: campaignID, deadline: deadline)
            guard !snapshot.phases.isEmpty else { throw BenchError("campaign \(campaignID) has no phases") }
            phasesByCampaign.append(snapshot.phases.map(\.id))
        }
        try subscribeAll()
        try touch("subscribed")
        writeUntilStopped()
        try touch("writes-stopped")
        let log = try awaitDump()
        settle(on: log)
        let finalSnapshots = fetchFinalSnapshots()
        progress.clear()
        return ChaosVerdict(run: self, log: log, finalSnapshots: finalSnapshots).result
    }

    /// Opens every subscriber, a bounded number at a time, until each has had its first `connected`.
    private func subscribeAll() throws {
        let count = configuration.subscribers
        let campaigns = configuration.campaignIDs.count
        for index in 0..<count {
            let instance = (index / campaigns) % configuration.addresses.count
            subscribers.append(ChaosSubscriber(index: index, campaign: index % campaigns, instance: instance))
        }
        var opened = 0
        let deadline = Clock.now() + Clock.nanoseconds(seconds: configuration.connectTimeout)
        let live = loop.run(deadline: deadline) {
            while opened < count && opened - subscribedCount < configuration.connectConcurrency {
                connect(subscribers[opened])
                opened += 1
            }
            progress.update("subscribing: \(subscribedCount)/\(count) live")
            return subscribedCount == count
        }
        progress.clear()
        if !live {
            throw BenchError("only \(subscribedCount) of \(count) subscribers had their `connected` event within \(Int(configuration.connectTimeout)) s")
        }
    }

    /// Waits (serving the streams) for the database dump the script writes once `writes-stopped` exists.
    private func awaitDump() throws -> ChaosEventLog {
        let ready = file("events.tsv"), tasks = file("tasks.tsv"), faults = file("faults.tsv")
        let deadline = Clock.now() + Clock.nanoseconds(seconds: configuration.dumpTimeout)
        var nextCheck: UInt64 = 0
        let found = loop.run(deadline: deadline) {
            let now = Clock.now()
            guard now >= nextCheck else { return false }
            nextCheck = now + 200_000_000
            progress.update("waiting for the database dump in \(configuration.exchange.path)")
            return FileManager.default.fileExists(atPath: ready.path) && FileManager.default.fileExists(atPath: tasks.path)
        }
        progress.clear()
        guard found else { throw BenchError("no events.tsv and tasks.tsv in \(configuration.exchange.path) within \(Int(configuration.dumpTimeout)) s of writes-stopped") }
        return try ChaosEventLog(events: ready, tasks: tasks, faults: faults, campaignIDs: configuration.campaignIDs)
    }

    /// Serves the streams until every subscriber is up to date with its campaign's newest event, or `settle` passes.
    private func settle(on log: ChaosEventLog) {
        let deadline = Clock.now() + Clock.nanoseconds(seconds: configuration.settle)
        loop.run(deadline: deadline) {
            let behind = subscribers.filter { $0.upToDateThrough < log.newestEventID(campaign: $0.campaign) || pendingSnapshot($0) }.count
            progress.update("settling: \(behind) subscribers behind the log")
            return behind == 0
        }
        // A short linger catches a duplicate sent right after the last expected event.
        loop.idle(seconds: 0.5)
    }

    private func pendingSnapshot(_ subscriber: ChaosSubscriber) -> Bool {
        subscriber.resyncs.contains { $0.snapshot == nil }
    }

    /// Each campaign's snapshot from each instance, after the settle: each must equal the database.
    private func fetchFinalSnapshots() -> [[Snapshot?]] {
        let deadline = Clock.now() + Clock.nanoseconds(seconds: 30)
        return configuration.campaignIDs.map { campaignID in
            configuration.addresses.map { address in
                try? Snapshot.fetch(loop: loop, address: address, token: "", campaignID: campaignID, deadline: deadline)
            }
        }
    }
}
