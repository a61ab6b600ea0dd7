import CampaignAPI
import CampaignApp
import CampaignModel
import Foundation
import HTTP
import Logging
import Realtime
import Security
import ServerConfiguration
import TestSupport

/// Which store a test server runs on.
public enum TestStoreKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case memory
    case postgres
    public var description: String { rawValue }

    /// The kinds available in this run (PostgreSQL only when the test command started one).
    public static var available: [TestStoreKind] { TestDatabase.isAvailable ? [.memory, .postgres] : [.memory] }
}

/// A real `campaign-server` instance (the same wiring as the executable) on a free port, for one test.
public final class TestApplication: @unchecked Sendable {
    public let application: CampaignApplication
    public let secret: String
    public let logs: CapturedLogs
    private let runTask: Task<Void, Never>

    public var port: Int { application.port }

    /// The settings a test server starts from: the server's defaults (as with an empty environment),
    /// on a free loopback port, with short waits at shutdown and a short `retry:`.
    public static func settings(_ kind: TestStoreKind, authDisabled: Bool, databaseURL: String?) throws -> AppConfiguration {
        var settings = AppConfiguration()
        settings.server.host = "127.0.0.1"
        settings.server.port = 0
        settings.server.shutdownGraceSeconds = 2
        settings.server.shutdownReadinessDelaySeconds = 0
        settings.streaming.retryMilliseconds = 500
        settings.streaming.debounceMilliseconds = 2
        settings.authentication.disabled = authDisabled
        if kind == .postgres {
            guard let url = databaseURL ?? TestDatabase.url else { throw TestSetupError(message: "TEST_DATABASE_URL is not set") }
            settings.database.url = url
            settings.database.poolSize = 4
        }
        return settings
    }

    /// Starts a server. `databaseURL` defaults to the shared test cluster for `.postgres`. `settings`
    /// changes what an operator could set (the environment's variables), `configure` the modules'
    /// configuration built from them (a trailing closure is `configure`).
    public static func start(
        _ kind: TestStoreKind, authDisabled: Bool = false, databaseURL: String? = nil, assets: StaticAssets = StaticAssets(),
        configure: (inout CampaignApplication.Configuration) -> Void = { _ in },
        settings change: (inout AppConfiguration) -> Void = { _ in }
    ) async throws -> TestApplication {
        let secret = "test-secret-" + String(repeating: "s", count: 32) + Identifier.random()
        var settings = try Self.settings(kind, authDisabled: authDisabled, databaseURL: databaseURL)
        change(&settings)
        var configuration = settings.application(tokenKeys: TokenKeys(TokenVerifier(keys: [.hmac(secret)])))
        // No test measures the connect time; a loaded CI machine must not turn a slow connect into a 503.
        configuration.database?.pool.connectTimeoutSeconds = TestDatabase.connectTimeoutSeconds
        configure(&configuration)
        let logs = CapturedLogs()
        var logger = Logger(label: "test-server") { label in CapturedLogHandler(logs: logs) }
        logger.logLevel = .debug
        let application = try await CampaignApplication(configuration: configuration, assets: assets, logger: logger)
        try application.start()
        return TestApplication(application: application, secret: secret, logs: logs)
    }

    private init(application: CampaignApplication, secret: String, logs: CapturedLogs) {
        self.application = application
        self.secret = secret
        self.logs = logs
        runTask = Task { try? await application.run() }
    }

    /// A signed token for this server.
    public func token(
        subject: String = "tester", role: Role = .admin, campaigns: CampaignScope = .all, lifetimeSeconds: Int64 = 3600
    ) -> String {
        let now = Int64(Date().timeIntervalSince1970)
        return JWTSigner(secret: secret).sign(
            TokenClaims(subject: subject, expiresAt: now + lifetimeSeconds, role: role, campaigns: campaigns, issuedAt: now))
    }

    /// A client that sends this token with every request.
    public func client(token: String? = nil) -> APIClient {
        APIClient(port: port, token: token ?? self.token())
    }

    /// Graceful shutdown; waits for `run()` to return.
    public func stop() async {
        await application.shutdown()
        await runTask.value
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
