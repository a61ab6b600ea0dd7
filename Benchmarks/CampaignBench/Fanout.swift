import ArgumentParser
import Foundation

/// `campaign-bench fanout`: N subscribers, K creates, latency of every delivery.
struct Fanout: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open N SSE clients on one campaign, create K tasks, and measure every delivery.")

    @OptionGroup var target: TargetOptions

    @Option(help: "SSE clients to hold open.")
    var clients = 1000

    @Option(help: "Campaigns on each stream: above 1, every client opens one GET /api/events?campaign=… for the target campaign and this many minus one campaigns the run creates (needs an admin token), and the creates go round-robin over them.")
    var campaignsPerStream = 1

    @Option(help: "Tasks to create (one task-created event each).")
    var events = 50

    @Option(help: "Creates per second (default 20 unless --burst).")
    var rate: Double?

    @Flag(help: "Create every task at once instead of at --rate.")
    var burst = false

    @Flag(help: "Closed loop: send each create only once every client has the previous event (and no faster than --rate). Without it the run is open loop: creates keep --rate whatever the deliveries do.")
    var closedLoop = false

    @Option(help: "The server's process id on this machine: adds its memory per connection and CPU per delivery.")
    var serverPID: Int32?

    @Option(help: "Write a self-contained HTML report (latency distribution and timeline) to this file.")
    var report: String?

    @Option(help: "Seconds allowed for every client to be live.")
    var connectTimeout = 60.0

    @Option(help: "Seconds after which the whole run stops, whatever its state.")
    var timeout = 300.0

    @Option(help: "Seconds to wait for missing deliveries after the last create was answered.")
    var settle = 10.0

    @Option(help: "Connections being opened at any moment (keeps the server's accept backlog from overflowing).")
    var connectConcurrency = 1000

    @Option(help: "Keep-alive connections creating tasks, one request in flight each (default: one per task, up to 64).")
    var publishers: Int?

    func validate() throws {
        try target.validateTarget()
        if target.embedded && serverPID != nil { throw ValidationError("--server-pid does not apply to --embedded (the server is this process)") }
        guard clients > 0 else { throw ValidationError("--clients must be at least 1") }
        guard (1...256).contains(campaignsPerStream) else { throw ValidationError("--campaigns-per-stream must be 1 to 256") }
        guard events > 0 else { throw ValidationError("--events must be at least 1") }
        if burst && rate != nil { throw ValidationError("give either --rate or --burst, not both") }
        if let rate, rate <= 0 { throw ValidationError("--rate must be above 0") }
        if burst && closedLoop { throw ValidationError("give either --burst or --closed-loop, not both") }
        guard connectConcurrency > 0 else { throw ValidationError("--connect-concurrency must be at least 1") }
        guard timeout > 0, connectTimeout > 0, settle >= 0 else { throw ValidationError("timeouts must be positive") }
    }

    func run() throws {
        try CommandLineText.reportingErrors {
            let (address, campaign, server) = try target.resolve(expectedConnections: clients + (publishers ?? 64))
            defer { server?.stop() }
            var configuration = FanoutRun.Configuration(address: address, token: target.token, campaignID: campaign)
            configuration.clients = clients
            configuration.events = events
            configuration.campaignsPerStream = campaignsPerStream
            configuration.rate = burst ? nil : (rate ?? 20)
            configuration.closedLoop = closedLoop
            configuration.serverPID = serverPID
            configuration.sourceAddresses = target.sourceAddresses
            configuration.connectConcurrency = connectConcurrency
            configuration.publishers = publishers
            configuration.connectTimeout = connectTimeout
            configuration.timeout = timeout
            configuration.settle = settle
            configuration.commandLine = CommandLineText.redacted(CommandLine.arguments)
            let result = try FanoutRun(configuration: configuration).run()
            print(result.table)
            if let path = target.json { try JSONFile.write(result, to: path) }
            if let path = report { try TextFile.write(result.html, to: path) }
            return result.isClean
        }
    }
}
