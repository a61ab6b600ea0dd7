import ArgumentParser
import BuildInfo

/// `campaign-server`: runs the server (the default), or prints a signed token.
@main
struct CampaignServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaign-server",
        abstract: "REST API and live Server-Sent Events for campaign-execution dashboards.",
        discussion: "Settings come from the environment and a .env file in the working directory (see .env.example).",
        version: BuildInfo.description,
        subcommands: [ServeCommand.self, TokenCommand.self],
        defaultSubcommand: ServeCommand.self)
}
