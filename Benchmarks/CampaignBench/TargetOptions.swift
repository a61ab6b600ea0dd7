import Sockets
import ArgumentParser

/// Which server, which campaign, and the token to present: shared by every subcommand.
struct TargetOptions: ParsableArguments {
    @Option(help: "The server's base URL (plain HTTP).")
    var url = "http://127.0.0.1:3001"

    @Option(help: "Bearer token (JWT) sent as `Authorization: Bearer …`; the creates need role editor or admin.")
    var token = ""

    @Option(help: "The campaign id (UUID) to subscribe to and write into (created for you with --embedded).")
    var campaign: String?

    @Flag(help: "Start the server in this process, on the in-memory store with auth off, and measure it: no setup at all.")
    var embedded = false

    @Option(help: "Spread client connections over this many source addresses 127.0.0.2… (loopback servers; 0: kernel's choice).")
    var sourceAddresses = 8

    @Option(help: "Write every figure to this JSON file.")
    var json: String?

    func validateTarget() throws {
        if embedded {
            guard campaign == nil else { throw ValidationError("--embedded creates its own campaign: leave out --campaign") }
        } else {
            guard campaign != nil else { throw ValidationError("--campaign is required (or use --embedded)") }
        }
    }

    /// Where to send requests, and the campaign: the embedded server's when `--embedded`.
    func resolve(expectedConnections: Int) throws -> (address: ServerAddress, campaign: String, server: EmbeddedServer?) {
        if embedded {
            // Both ends of every connection live in this process.
            try FileDescriptorLimit.ensure(
                2 * expectedConnections + 128,
                purpose: "with --embedded the server's and the clients' ends of \(expectedConnections) connections")
            let server = try EmbeddedServer.start(maximumConnections: expectedConnections + 256)
            return (try ServerAddress(url: "http://127.0.0.1:\(server.port)"), server.campaignId, server)
        }
        return (try ServerAddress(url: url), campaign ?? "", nil)
    }
}
