import CampaignAPI
import CampaignApp
import CampaignModel
import Dispatch
import Logging
import ServerConfiguration
import Synchronization

/// `--embedded`: the real server wiring (`CampaignApplication`) started inside the benchmark process,
/// on the in-memory store with authentication off, listening on a free loopback port.
final class EmbeddedServer: Sendable {
    let port: Int
    let campaignId: String
    private let application: CampaignApplication
    private let runTask: Task<Void, Never>

    private init(application: CampaignApplication, campaignId: String) {
        self.application = application
        self.port = application.port
        self.campaignId = campaignId
        runTask = Task { try? await application.run() }
    }

    /// Starts the server and creates a campaign to measure; blocks until it listens.
    static func start(maximumConnections: Int) throws -> EmbeddedServer {
        let outcome = Mutex<Result<EmbeddedServer, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                // The server's own defaults but for these (`campaign-server` with them in its environment).
                var settings = AppConfiguration()
                settings.server.host = "127.0.0.1"
                settings.server.port = 0
                settings.server.maxConnections = maximumConnections
                settings.server.idleTimeoutSeconds = 600
                settings.server.shutdownReadinessDelaySeconds = 0
                settings.authentication.disabled = true
                let configuration = settings.application(tokenKeys: nil)
                var logger = Logger(label: "embedded-server")
                logger.logLevel = .warning
                let application = try await CampaignApplication(configuration: configuration, logger: logger)
                try application.start()
                let campaign = try await application.store.createCampaign(CampaignDraft(name: "campaign-bench"))
                outcome.withLock { $0 = .success(EmbeddedServer(application: application, campaignId: campaign.id)) }
            } catch {
                outcome.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        switch outcome.withLock({ $0 })! {
        case .success(let server): return server
        case .failure(let error): throw BenchError("the embedded server did not start: \(error)")
        }
    }

    /// Graceful shutdown; blocks until it is done.
    func stop() {
        let done = DispatchSemaphore(value: 0)
        Task {
            await application.shutdown()
            await runTask.value
            done.signal()
        }
        done.wait()
    }
}
