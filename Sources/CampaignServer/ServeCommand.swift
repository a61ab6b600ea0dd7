import ArgumentParser
import BuildInfo
import CampaignAPI
import CampaignApp
import CoreMetrics
import Dispatch
import Foundation
import Logging
import Security
import ServerConfiguration
import Sockets

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
        let (level, format) = (settings.logLevel, settings.logFormat)
        LoggingSystem.bootstrap { label in ServerLogHandler(label: label, format: format, level: level) }
        let logger = Logger(label: "campaign-server")
        for warning in settings.warnings { logger.warning("configuration warning", metadata: ["warning": "\(warning)"]) }
        if settings.authentication.disabled {
            logger.critical("AUTH IS DISABLED (AUTH_DISABLED=true): every request acts as an admin. Listening on loopback only; never expose this instance.")
        }
        logger.info("starting", metadata: settings.summary().mapValues { .string($0) })
        Self.raiseOpenFileLimit(for: settings, logger: logger)
        LargeAllocations.returnToTheSystemWhenFreed()

        let tokenKeys: TokenKeys?
        do {
            tokenKeys = try TokenKeySource(settings.authentication).map { source throws(KeyFileError) in
                try TokenKeys(loadingFrom: source)
            }
        } catch {
            logger.critical("the token keys cannot be read", metadata: ["error": "\(error)"])
            throw ExitCode(78)  // EX_CONFIG
        }
        if let tokenKeys { logger.info("token keys loaded", metadata: ["keys": "\(tokenKeys.verifier.keys.count)"]) }

        let assets = settings.serveDashboard ? try Self.dashboardAssets() : StaticAssets()
        let application: CampaignApplication
        do {
            application = try await CampaignApplication(configuration: settings.application(tokenKeys: tokenKeys), assets: assets, logger: logger)
        } catch {
            logger.critical("could not start", metadata: ["error": "\(error)"])
            throw ExitCode.failure
        }
        // Before anything runs: whatever reports through swift-metrics lands beside the server's own families.
        MetricsSystem.bootstrap(application.metrics.factory)
        application.metrics.recordBuild(version: BuildInfo.version, commit: BuildInfo.commit)
        let reloads = tokenKeys.map { Self.onReloadSignal(reloading: $0, logger: logger) }
        // SIGTERM and SIGINT shut the service group down gracefully (a second one ends the readiness delay).
        try await application.run(handlingSignals: true)
        reloads?.cancel()
        logger.notice("bye")
    }

    /// Descriptors beyond the connections: the listener, the event loop, the database sessions, files.
    static let descriptorMargin = 64

    /// Takes the hard open-file limit as the soft one (a common soft limit of 1,024 would stop the server
    /// near 1,000 clients), and warns when even that is below what MAX_CONNECTIONS needs.
    static func raiseOpenFileLimit(for settings: AppConfiguration, logger: Logger) {
        guard let limits = FileDescriptorLimit.raise() else { return }
        // The overload allowance (256) is accepted past MAX_CONNECTIONS only to be told to come back.
        let needed = UInt64(settings.server.maxConnections + 256 + descriptorMargin + settings.database.poolSize)
        let metadata: Logger.Metadata = ["limit.soft": "\(limits.soft)", "limit.hard": "\(limits.hard)", "needed": "\(needed)"]
        if limits.soft < needed {
            logger.warning("the open-file limit is below what MAX_CONNECTIONS needs; raise `ulimit -n` (LimitNOFILE) or lower MAX_CONNECTIONS", metadata: metadata)
        } else {
            logger.info("open-file limit", metadata: metadata)
        }
    }

    static func dashboardAssets() throws -> StaticAssets {
        guard let url = Bundle.module.url(forResource: "Resources", withExtension: nil) else { return StaticAssets() }
        return try StaticAssets(directory: url)
    }

    /// On SIGHUP, reads the key files (JWT_JWKS_FILE, JWT_PUBLIC_KEYS_FILE) again; a file that is now
    /// unusable leaves the keys in use as they were, so a bad deploy of keys does not lock everyone out.
    static func onReloadSignal(reloading tokenKeys: TokenKeys, logger: Logger) -> DispatchSourceSignal {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler {
            do {
                let count = try tokenKeys.reload()
                logger.notice("token keys reloaded", metadata: ["keys": "\(count)"])
            } catch {
                logger.error("token keys not reloaded; the previous keys stay in use", metadata: ["error": "\(error)"])
            }
        }
        source.resume()
        return source
    }
}
