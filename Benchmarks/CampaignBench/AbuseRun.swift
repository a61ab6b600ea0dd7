import Sockets
import Foundation

/// One abuse measurement: the probe connects, the attack runs on its own thread for `duration` while
/// the probe writes and the server's memory is sampled, then the attack closes and the probe settles.
final class AbuseRun {
    let configuration: Configuration
    let loop: ClientLoop
    var progress: ProgressLine
    let startedAt = Date()
    let runDeadline: UInt64
    var probe: AbuseProbe!
    var memory: MemoryWatch?
    var attackCounts: AttackCounts?

    init(configuration: Configuration) throws {
        self.configuration = configuration
        loop = try ClientLoop()
        progress = ProgressLine(enabled: configuration.showProgress && ProgressLine().enabled)
        runDeadline = Clock.now() + Clock.nanoseconds(seconds: configuration.timeout)
    }

    /// Runs every phase and returns the figures; throws when no meaningful figures can be given.
    func run() throws -> AbuseResult {
        try FileDescriptorLimit.ensure(configuration.attackers + 64 + 64,
                                       purpose: "\(configuration.attackers) attacking connections and the probe")
        let snapshot = try Snapshot.fetch(loop: loop, address: configuration.address, token: configuration.token,
                                          campaignID: configuration.campaignID, deadline: runDeadline)
        guard let phase = snapshot.phases.first else {
            throw BenchError("campaign \(configuration.campaignID) has no phases to create tasks in")
        }
        probe = AbuseProbe(settings: AbuseProbe.Settings(
            address: configuration.address, token: configuration.token, campaignID: configuration.campaignID,
            phaseID: phase.id, interval: configuration.probeInterval), loop: loop)
        defer {
            progress.clear()
            probe.stop()
        }
        try createHistory(count: configuration.historyTasks, phaseID: phase.id)
        try connectProbe()
        if let pid = configuration.serverPID { memory = try MemoryWatch(pid: pid) }
        try attack(phaseID: phase.id)
        settle()
        if let fatal = probe.fatal { throw fatal }
        memory?.sample()
        memory?.stop()
        return makeResult()
    }

    private func connectProbe() throws {
        probe.openStream()
        probe.openWriters(4)
        let deadline = min(runDeadline, Clock.now() + 10_000_000_000)
        let ready = loop.run(deadline: deadline) {
            probe.fatal != nil || (probe.isLive && probe.writers.allSatisfy(\.isConnected))
        }
        if let fatal = probe.fatal { throw fatal }
        if !ready {
            let why = probe.errors.keys.sorted().joined(separator: "; ")
            throw BenchError("the probe was not connected within 10 s\(why.isEmpty ? "" : ": \(why)")")
        }
    }

    /// The attack's duration: the probe writes, memory is sampled, and the attack ends by itself.
    private func attack(phaseID: String) throws {
        let start = Clock.now()
        let end = start + Clock.nanoseconds(seconds: configuration.duration)
        let thread = configuration.scenario == .none ? nil : AttackThread(settings: AttackSettings(
            scenario: configuration.scenario, address: configuration.address, token: configuration.token,
            campaignID: configuration.campaignID, phaseID: phaseID,
            sources: configuration.address.sourceAddresses(count: configuration.sourceAddresses),
            attackers: configuration.attackers, maximumRequests: configuration.maximumRequests,
            bodyBytes: configuration.bodyBytes, trickleInterval: configuration.trickleInterval,
            lastEventID: configuration.lastEventID, priority: configuration.attackPriority, deadline: end + 5_000_000_000))
        probe.startWriting(from: start, until: end)
        memory?.start(loop: loop, interval: 0.1) { [configuration] watch in
            if watch.processGone { thread?.stop(reason: "the server process being gone") }
            if watch.growth > configuration.stopAtGrowthBytes {
                thread?.stop(reason: "server RSS growth past --stop-at-rss-growth")
            }
        }
        loop.run(deadline: end) {
            progress.update("\(configuration.scenario.rawValue): \(Int((end - min(end, Clock.now())) / 1_000_000_000)) s left, "
                + "\(probe.writesAnswered)/\(probe.writesDue) probe writes answered"
                + (memory.map { ", server RSS \(Format.mib($0.last))" } ?? ""))
            return probe.fatal != nil
        }
        guard let thread else { return }
        thread.stop(reason: "duration")
        // The probe's loop is served while the attack closes its connections, so no arrival waits.
        loop.run(deadline: min(runDeadline, Clock.now() + 30_000_000_000)) { thread.isFinished }
        guard thread.isFinished else { throw BenchError("the attack did not stop within 30 s of being asked to") }
        attackCounts = try thread.counts()
    }

    /// Waits for the probe's writes still in flight and its events still missing.
    private func settle() {
        let deadline = min(runDeadline, Clock.now() + Clock.nanoseconds(seconds: configuration.settle))
        loop.run(deadline: deadline) { probe.isSettled || probe.fatal != nil }
        // A short linger catches a duplicate sent right after the last expected event.
        loop.idle(seconds: 0.2)
    }
}
