import ArgumentParser
import CampaignAPI
import Dispatch
import Foundation
import Logging
import ServerConfiguration

/// Runs the server until SIGTERM or SIGINT, then shuts down gracefully and exits 0.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the server (the default).")

    @Option(name: .long, help: "The .env file to read (the real environment wins over it).")
    var envFile: String = ".env"

    func run() async throws {
        let settings: AppConfiguration
        do {
            settings = try AppConfiguration.load(from: try EnvironmentSource.process(dotEnvPath: envFile))
        } catch {
            FileHandle.standardError.write(Data("campaign-server: configuration error: \(error)\n".utf8))
            throw ExitCode(78)  // EX_CONFIG
        }
        let level = settings.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "campaign-server")
        for warning in settings.warnings { logger.warning("\(warning)") }
        if settings.authentication.disabled {
            logger.critical("AUTH IS DISABLED (AUTH_DISABLED=true): every request acts as an admin. Listening on loopback only; never expose this instance.")
        }
        logger.info("starting", metadata: settings.summary().mapValues { .string($0) })

        let assets = settings.serveDashboard ? try Self.dashboardAssets() : StaticAssets()
        let application: CampaignApplication
        do {
            application = try await CampaignApplication(configuration: .init(settings), assets: assets, logger: logger)
        } catch {
            logger.critical("could not start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        let signals = Self.onTerminationSignal { signal in
            logger.notice("received \(signal): shutting down gracefully")
            Task { await application.shutdown() }
        }
        try await application.run()
        signals.forEach { $0.cancel() }
        logger.notice("bye")
    }

    static func dashboardAssets() throws -> StaticAssets {
        guard let url = Bundle.module.url(forResource: "Resources", withExtension: nil) else { return StaticAssets() }
        return try StaticAssets(directory: url)
    }

    /// Turns SIGTERM and SIGINT into a call (once each) instead of the default immediate exit.
    static func onTerminationSignal(_ handler: @escaping @Sendable (String) -> Void) -> [DispatchSourceSignal] {
        [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")].map { signalNumber, name in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { handler(name) }
            source.resume()
            return source
        }
    }
}
