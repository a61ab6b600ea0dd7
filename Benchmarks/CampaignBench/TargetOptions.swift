import ArgumentParser

/// Which server, which campaign, and the token to present: shared by every subcommand.
struct TargetOptions: ParsableArguments {
    @Option(help: "The server's base URL (plain HTTP).")
    var url = "http://127.0.0.1:3001"

    @Option(help: "Bearer token (JWT) sent as `Authorization: Bearer …`; the creates need role editor or admin.")
    var token = ""

    @Option(help: "The campaign id (UUID) to subscribe to and write into.")
    var campaign: String

    @Option(help: "Spread client connections over this many source addresses 127.0.0.2… (loopback servers; 0: kernel's choice).")
    var sourceAddresses = 8

    @Option(help: "Write every figure to this JSON file.")
    var json: String?

    func address() throws -> ServerAddress {
        try ServerAddress(url: url)
    }
}
