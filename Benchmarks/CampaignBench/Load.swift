import ArgumentParser
import Foundation

/// `campaign-bench load`: a mixed REST workload with subscribers checking every write's event.
struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a mixed REST workload (creates, updates, moves, snapshot reads) with SSE subscribers attached.")

    @OptionGroup var target: TargetOptions

    @Option(help: "Concurrent workers, each a keep-alive connection with one request in flight.")
    var concurrency = 16

    @Option(help: "Seconds of load.")
    var duration = 30.0

    @Option(help: "SSE subscribers per campaign that must each receive the event of every successful write to it.")
    var subscribers = 10

    @Option(help: "More campaign ids, comma-separated: worker i writes to campaign i mod n (--campaign first), each with its own subscribers.")
    var moreCampaigns = ""

    @Option(help: "Route weights, e.g. create:25,update:40,move:15,read:20.")
    var mix = "create:25,update:40,move:15,read:20"

    @Option(help: "Tasks a worker creates at most; past that, its creates become updates.")
    var maxTasksPerWorker = 25

    @Option(help: "Seconds allowed for every subscriber to be live.")
    var connectTimeout = 60.0

    @Option(help: "Seconds to wait, after the last write was answered, for events still missing.")
    var settle = 10.0

    func validate() throws {
        try target.validateTarget()
        guard concurrency > 0 else { throw ValidationError("--concurrency must be at least 1") }
        guard duration > 0 else { throw ValidationError("--duration must be above 0") }
        guard subscribers >= 0 else { throw ValidationError("--subscribers cannot be negative") }
        guard maxTasksPerWorker > 0 else { throw ValidationError("--max-tasks-per-worker must be at least 1") }
    }

    func run() throws {
        try CommandLineText.reportingErrors {
            let moreCampaignIDs = moreCampaigns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let (address, campaign, server) = try target.resolve(
                expectedConnections: concurrency + subscribers * (1 + moreCampaignIDs.count))
            defer { server?.stop() }
            var configuration = LoadRun.Configuration(address: address, token: target.token, campaignID: campaign)
            configuration.moreCampaignIDs = moreCampaignIDs
            configuration.concurrency = concurrency
            configuration.duration = duration
            configuration.subscribers = subscribers
            configuration.mix = try LoadMix(parsing: mix)
            configuration.maximumTasksPerWorker = maxTasksPerWorker
            configuration.sourceAddresses = target.sourceAddresses
            configuration.connectTimeout = connectTimeout
            configuration.settle = settle
            configuration.commandLine = CommandLineText.redacted(CommandLine.arguments)
            let result = try LoadRun(configuration: configuration).run()
            print(result.table)
            if let path = target.json { try JSONFile.write(result, to: path) }
            return result.isClean
        }
    }
}
