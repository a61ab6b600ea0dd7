import ArgumentParser
import Foundation
import Glibc

/// `campaign-bench abuse`: one attack against a loopback server while a well-behaved probe measures
/// what an ordinary user sees, and the server's memory is watched.
struct Abuse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one attack against a loopback server while a probe (one stream, one create every 100 ms) measures it.",
        discussion: """
            Scenarios: \(AbuseScenario.allCases.map { "\($0.rawValue): \($0.summary)" }.joined(separator: "; ")). \
            The tool attacks loopback servers only (127.0.0.0/8), stops by itself after --duration (or \
            --max-requests, or when the server's RSS grew past --stop-at-rss-growth), and keeps no answer it reads.
            """)

    @OptionGroup var target: TargetOptions

    @Option(help: "The attack to run beside the probe (none: the idle baseline).")
    var scenario: AbuseScenario

    @Option(help: "Attacking connections (default per scenario: pipeline-flood 8, slowloris 1000, reconnect-storm 1000, health-flood 32, large-writes 4).")
    var attackers: Int?

    @Option(help: "Seconds of attack; the probe writes during the same time.")
    var duration = 20.0

    @Option(help: "Seconds between two probe writes.")
    var probeInterval = 0.1

    @Option(help: "Seconds to wait after the attack for the probe's answers and events still missing.")
    var settle = 5.0

    @Option(help: "The server's process id on this machine: its RSS is sampled every 100 ms.")
    var serverPID: Int32?

    @Option(help: "The attack stops once it has written this many requests.")
    var maxRequests = 10_000_000

    @Option(help: "large-writes: bytes in each request body (the server's MAX_BODY_BYTES).")
    var bodyBytes = 1_048_576

    @Option(help: "slowloris: seconds between two bytes on one connection.")
    var trickleInterval = 1.0

    @Option(help: "reconnect-storm: the Last-Event-ID every reopened stream presents.")
    var lastEventID: Int64 = 0

    @Option(help: "The attack thread's priority: idle (SCHED_IDLE: it runs on the cores the server and the probe leave free, as an attacker on its own machines would) or normal (it competes with them as an equal).")
    var attackPriority = AttackPriority.idle

    @Option(help: "Tasks to create in the campaign before the probe connects, so that it has history (reconnect-storm's resumes from --last-event-id 0 are then replayed that many events).")
    var history = 0

    @Option(help: "Stop the attack once the server's RSS grew by this many MiB (keeps a leaking server from taking the machine).")
    var stopAtRSSGrowth = 1024

    @Option(help: "Report a problem (exit status 2) when the server's RSS grew by more than this many MiB.")
    var maxRSSGrowth = 64

    @Option(help: "The JSON of a `--scenario none` run on the same server: adds the p99s relative to the idle figures.")
    var baseline: String?

    @Option(help: "With --baseline: report a problem when a probe p99 exceeds its idle figure by more than this factor.")
    var maxP99Ratio = 2.0

    func validate() throws {
        try target.validateTarget()
        if target.embedded && serverPID != nil { throw ValidationError("--server-pid does not apply to --embedded (the server is this process)") }
        if !target.embedded {
            let address: ServerAddress
            do { address = try ServerAddress(url: target.url) } catch { throw ValidationError("\(error)") }
            guard address.isLoopback else {
                throw ValidationError("--url \(target.url) is \(address.ip): abuse attacks loopback servers only (127.0.0.0/8)")
            }
        }
        guard duration > 0, duration <= 3600 else { throw ValidationError("--duration must be above 0 and at most 3600 s") }
        if let attackers, !(1...100_000).contains(attackers) { throw ValidationError("--attackers must be from 1 to 100000") }
        guard probeInterval >= 0.01 else { throw ValidationError("--probe-interval must be at least 0.01 s") }
        guard settle >= 0 else { throw ValidationError("--settle cannot be negative") }
        guard maxRequests > 0 else { throw ValidationError("--max-requests must be at least 1") }
        guard (1...(64 * 1_048_576)).contains(bodyBytes) else { throw ValidationError("--body-bytes must be from 1 to 64 MiB") }
        guard trickleInterval >= 0.01 else { throw ValidationError("--trickle-interval must be at least 0.01 s") }
        guard (0...100_000).contains(history) else { throw ValidationError("--history must be from 0 to 100000") }
        guard lastEventID >= 0 else { throw ValidationError("--last-event-id cannot be negative") }
        guard stopAtRSSGrowth > 0, maxRSSGrowth > 0, maxP99Ratio > 0 else {
            throw ValidationError("--stop-at-rss-growth, --max-rss-growth and --max-p99-ratio must be above 0")
        }
    }

    func run() throws {
        try CommandLineText.reportingErrors {
            let attackerCount = attackers ?? scenario.defaultAttackers
            let (address, campaign, server) = try target.resolve(expectedConnections: attackerCount + 64)
            defer { server?.stop() }
            // --embedded resolves to its own loopback listener; checked again here in case a name moved.
            guard address.isLoopback else { throw BenchError("\(address) is not a loopback address: abuse attacks loopback servers only") }
            var configuration = AbuseRun.Configuration(address: address, token: target.token, campaignID: campaign,
                                                       scenario: scenario, attackers: attackerCount)
            configuration.duration = duration
            configuration.probeInterval = probeInterval
            configuration.settle = settle
            configuration.serverPID = server == nil ? serverPID : getpid()
            configuration.sourceAddresses = target.sourceAddresses
            configuration.maximumRequests = maxRequests
            configuration.bodyBytes = bodyBytes
            configuration.trickleInterval = trickleInterval
            configuration.lastEventID = lastEventID
            configuration.attackPriority = attackPriority
            configuration.historyTasks = history
            configuration.stopAtGrowthBytes = stopAtRSSGrowth * 1_048_576
            configuration.maximumGrowthBytes = maxRSSGrowth * 1_048_576
            configuration.maximumP99Ratio = maxP99Ratio
            if let baseline { configuration.baselineP99 = try Self.idleP99(from: baseline) }
            configuration.commandLine = CommandLineText.redacted(CommandLine.arguments)
            let result = try AbuseRun(configuration: configuration).run()
            print(result.table)
            if let path = target.json { try JSONFile.write(result, to: path) }
            return result.isClean
        }
    }

    /// The probe's p99s of a `--scenario none` run.
    private static func idleP99(from path: String) throws -> (write: Double, delivery: Double) {
        let idle: AbuseResult
        do {
            idle = try JSONDecoder().decode(AbuseResult.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw BenchError("--baseline \(path): not the JSON of a campaign-bench abuse run (\(error.localizedDescription))")
        }
        guard idle.scenario == .none else { throw BenchError("--baseline \(path) is a \(idle.scenario.rawValue) run, not --scenario none") }
        return (idle.probe.writeLatency.p99, idle.probe.deliveryLatency.p99)
    }
}
