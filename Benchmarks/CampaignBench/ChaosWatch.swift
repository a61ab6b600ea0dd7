import ArgumentParser
import Foundation

/// `campaign-bench chaos-watch`: the client side of `Benchmarks/run-chaos`. Subscribers that reconnect like
/// browsers, steady REST writes through every instance, then a check of every delivery against the event
/// log the script dumps from the database once the writes have stopped.
struct ChaosWatch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaos-watch",
        abstract: "Subscribe and write through several instances while faults are injected; check every delivery against the database's event log.",
        discussion: """
            Talks with the script that injects the faults through files in --exchange-dir: it creates \
            `subscribed` once every subscriber is live and `writes-stopped` once its writes are over; it stops \
            writing when `stop` appears, then waits for `events.tsv` (campaign_id, id, type, created ms, task id, \
            version) and `tasks.tsv` (campaign_id, task id, version) dumped from the database, and reads the \
            faults' times from `faults.tsv` (name, start ms, end ms).
            """)

    @Option(help: "The instances' base URLs, comma-separated (plain HTTP).")
    var urls: String

    @Option(help: "The campaign ids, comma-separated.")
    var campaigns: String

    @Option(help: "Subscribers in all: subscriber i follows campaign i mod n, on instance (i / n) mod instances.")
    var subscribers = 2000

    @Option(help: "REST writes per second over all instances and campaigns.")
    var writeRate = 30.0

    @Option(help: "Route weights of the writes.")
    var mix = "create:30,update:50,move:20"

    @Option(help: "Tasks each writer (one per instance and campaign) creates at most; past that it updates.")
    var maxTasksPerWriter = 10

    @Option(help: "Subscribers per second that drop their connection and resume with Last-Event-ID (a soak's churn).")
    var churn = 0.0

    @Option(help: "The directory shared with the script (see above).")
    var exchangeDir: String

    @Option(help: "Seconds after which the writes stop even without `stop`.")
    var maxDuration = 3600.0

    @Option(help: "Seconds to wait for the database dump after `writes-stopped`.")
    var dumpTimeout = 120.0

    @Option(help: "Seconds allowed, once the log is known, for every subscriber to reach its campaign's newest event.")
    var settle = 60.0

    @Option(help: "Spread subscriber connections over this many source addresses 127.0.0.2… (0: kernel's choice).")
    var sourceAddresses = 8

    @Option(help: "Write every figure to this JSON file.")
    var json: String?

    func validate() throws {
        guard subscribers > 0 else { throw ValidationError("--subscribers must be at least 1") }
        guard writeRate > 0 else { throw ValidationError("--write-rate must be above 0") }
        guard churn >= 0 else { throw ValidationError("--churn cannot be negative") }
        guard maxTasksPerWriter > 0 else { throw ValidationError("--max-tasks-per-writer must be at least 1") }
        guard maxDuration > 0, dumpTimeout > 0, settle > 0 else { throw ValidationError("durations must be positive") }
    }

    func run() throws {
        try CommandLineText.reportingErrors {
            let addresses = try urls.split(separator: ",").map { try ServerAddress(url: String($0)) }
            let campaignIDs = campaigns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !addresses.isEmpty else { throw BenchError("--urls names no instance") }
            guard !campaignIDs.isEmpty else { throw BenchError("--campaigns names no campaign") }
            var configuration = ChaosRun.Configuration(addresses: addresses, campaignIDs: campaignIDs,
                                                       exchange: URL(fileURLWithPath: exchangeDir))
            configuration.subscribers = subscribers
            configuration.writeRate = writeRate
            configuration.mix = try LoadMix(parsing: mix)
            configuration.maximumTasksPerWriter = maxTasksPerWriter
            configuration.churn = churn
            configuration.maximumDuration = maxDuration
            configuration.dumpTimeout = dumpTimeout
            configuration.settle = settle
            configuration.sourceAddresses = sourceAddresses
            let result = try ChaosRun(configuration: configuration).run()
            print(result.table)
            if let path = json { try JSONFile.write(result, to: path) }
            return result.isClean
        }
    }
}
