import ArgumentParser

/// `campaign-bench`: measures a campaign server's live fan-out and REST throughput.
@main
struct CampaignBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign-bench",
        abstract: "Fan-out, load and abuse benchmark for the campaign execution API and its SSE stream.",
        discussion: """
            Exit status: 0 when the run was clean, 1 on an error (no figures), 2 when the run finished \
            but the delivery check failed (missing, duplicate or out-of-order events, dropped streams, timeout).
            """,
        subcommands: [Fanout.self, Load.self, Abuse.self, ChaosWatch.self])
}
