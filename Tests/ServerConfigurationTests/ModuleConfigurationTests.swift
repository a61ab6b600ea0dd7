import Foundation
import Logging
import Testing
@testable import CampaignAPI
@testable import CampaignApp
@testable import CampaignStore
@testable import Realtime
import Security
@testable import ServerConfiguration

/// Every setting reaches the module that uses it, and the modules run with the defaults `.env.example`
/// documents: the modules have no defaults of their own, so `AppConfiguration`'s are the only ones.
@Suite struct ModuleConfigurationTests {
    typealias Fixtures = ConfigurationFixtures

    /// `.env.example`'s values: each is the setting's default (EnvExampleTests holds it to that).
    static func exampleValues() throws -> [String: String] {
        try EnvironmentSource.parseDotEnv(String(contentsOfFile: EnvExampleTests.path, encoding: .utf8))
    }

    /// Builds the server the way `campaign-server serve` does, from an environment holding only a secret,
    /// and reads back what each module was given.
    @Test func theServerRunsWithTheDocumentedDefaults() async throws {
        let example = try Self.exampleValues()
        func value(_ name: String) throws -> Int { try #require(example[name].flatMap { Int($0) }, "\(name) in .env.example") }
        let settings = try Fixtures.load([:])
        let application = try await CampaignApplication(
            configuration: settings.application(tokenKeys: nil), logger: Logger(label: "module-configuration-tests"))

        let http = application.server.configuration
        #expect(http.host == example["HOST"])
        #expect(http.port == (try value("PORT")))
        #expect(http.maximumConnections == (try value("MAX_CONNECTIONS")))
        #expect(http.limits.maximumBodyBytes == (try value("MAX_BODY_BYTES")))
        #expect(http.headerTimeoutSeconds == (try value("HEADER_TIMEOUT_SECONDS")))
        #expect(http.idleTimeoutSeconds == (try value("IDLE_TIMEOUT_SECONDS")))
        #expect(http.bodyTimeoutSeconds == (try value("BODY_TIMEOUT_SECONDS")))
        #expect(http.shutdownGracePeriodSeconds == (try value("SHUTDOWN_GRACE_SECONDS")))
        #expect(http.unsentResponseLimitBytes == (try value("MAX_UNSENT_RESPONSE_BYTES")))
        #expect(http.sendTimeoutSeconds == (try value("SEND_TIMEOUT_SECONDS")))
        #expect(http.maximumConnectionsPerAddress == (try value("MAX_CONNECTIONS_PER_ADDRESS")))
        #expect(http.connectionRatePerAddress == (try value("CONNECTION_RATE_PER_ADDRESS")))
        #expect(http.connectionBurstPerAddress == (try value("CONNECTION_BURST_PER_ADDRESS")))
        #expect(http.requestRatePerAddress == (try value("REQUEST_RATE_PER_ADDRESS")))
        #expect(http.requestBurstPerAddress == (try value("REQUEST_BURST_PER_ADDRESS")))
        #expect(http.streamBufferLimitBytes == (try value("SSE_MAX_BUFFER_BYTES")))

        let api = application.handler.configuration
        #expect(api.tokenLeewaySeconds == Int64(try value("JWT_LEEWAY_SECONDS")))
        #expect(api.cors == nil && api.metricsToken == nil && !api.accessLog && !api.authDisabled)
        #expect(api.trustedProxies.ranges.isEmpty)
        #expect(api.maximumStreamsPerSubject == (try value("MAX_STREAMS_PER_SUBJECT")))
        #expect(api.maximumCampaignsPerStream == (try value("MAX_CAMPAIGNS_PER_STREAM")))

        let realtime = application.registry.configuration
        #expect(realtime.retryMilliseconds == (try value("SSE_RETRY_MS")))
        #expect(realtime.debounceMilliseconds == UInt64(try value("SSE_DEBOUNCE_MS")))
        #expect(realtime.heartbeatIntervalMilliseconds == UInt64(try value("HEARTBEAT_INTERVAL_SECONDS")) * 1000)

        let store = try #require(application.store as? InMemoryCampaignStore)
        #expect(store.configuration.maximumRetainedEvents == (try value("EVENT_RETENTION_COUNT")))
        #expect(store.configuration.maximumRetainedEventBytes == (try value("EVENT_RETENTION_BYTES")))
        #expect(store.configuration.maximumTasksPerCampaign == (try value("MAX_TASKS_PER_CAMPAIGN")))

        #expect(application.configuration.retentionMaximumAgeMilliseconds == Int64(try value("EVENT_RETENTION_HOURS")) * 3_600_000)
        #expect(application.configuration.retentionKeepCount == (try value("EVENT_RETENTION_COUNT")))
        #expect(application.configuration.shutdownReadinessDelaySeconds == (try value("SHUTDOWN_READINESS_DELAY_SECONDS")))

        // The PostgreSQL side connects when built, so it is read from the configuration it is built with.
        let postgres = try #require(try Fixtures.load(["DATABASE_URL": "postgresql://app@db/campaigns"]).application(tokenKeys: nil).database)
        #expect(postgres.pool.size == (try value("DATABASE_POOL_SIZE")))
        #expect(String(postgres.pool.preparesStatements) == example["DATABASE_PREPARED_STATEMENTS"])
        #expect(postgres.pool.lockTimeoutMilliseconds == (try value("DATABASE_LOCK_TIMEOUT_MS")))
        #expect(postgres.store.maximumTasksPerCampaign == (try value("MAX_TASKS_PER_CAMPAIGN")))
    }

    /// Each setting set to a value of its own, so a setting wired to another's place shows.
    @Test func everySettingReachesItsModule() throws {
        let settings = try Fixtures.load([
            "PORT": "8081", "HOST": "127.0.0.3", "MAX_CONNECTIONS": "501", "MAX_BODY_BYTES": "2049", "HEADER_TIMEOUT_SECONDS": "3",
            "IDLE_TIMEOUT_SECONDS": "15", "BODY_TIMEOUT_SECONDS": "7", "SHUTDOWN_GRACE_SECONDS": "11",
            "SHUTDOWN_READINESS_DELAY_SECONDS": "12", "MAX_UNSENT_RESPONSE_BYTES": "4097", "SEND_TIMEOUT_SECONDS": "9",
            "MAX_CONNECTIONS_PER_ADDRESS": "21", "CONNECTION_RATE_PER_ADDRESS": "51", "CONNECTION_BURST_PER_ADDRESS": "401", "REQUEST_RATE_PER_ADDRESS": "52", "REQUEST_BURST_PER_ADDRESS": "402",
            "SSE_MAX_BUFFER_BYTES": "65537", "SSE_RETRY_MS": "1501", "SSE_DEBOUNCE_MS": "13", "HEARTBEAT_INTERVAL_SECONDS": "2",
            "EVENT_RETENTION_HOURS": "24", "EVENT_RETENTION_COUNT": "5001", "EVENT_RETENTION_BYTES": "1048577",
            "MAX_TASKS_PER_CAMPAIGN": "251", "MAX_STREAMS_PER_SUBJECT": "33", "MAX_CAMPAIGNS_PER_STREAM": "17",
            "DATABASE_URL": "postgresql://app@db/campaigns", "DATABASE_LISTEN_URL": "postgresql://app@db-direct/campaigns",
            "DATABASE_POOL_SIZE": "6", "DATABASE_PREPARED_STATEMENTS": "false", "DATABASE_LOCK_TIMEOUT_MS": "2500",
            "JWT_LEEWAY_SECONDS": "5", "CORS_ORIGINS": "https://dashboard.example.com", "METRICS_TOKEN": "scrape-me",
            "ACCESS_LOG": "true", "TRUSTED_PROXIES": "10.0.0.0/8",
        ])
        let configuration = settings.application(tokenKeys: nil)

        let http = configuration.http
        #expect(http.host == "127.0.0.3" && http.port == 8081)
        #expect(http.maximumConnections == 501 && http.limits.maximumBodyBytes == 2049)
        #expect(http.headerTimeoutSeconds == 3 && http.idleTimeoutSeconds == 15 && http.bodyTimeoutSeconds == 7)
        #expect(http.shutdownGracePeriodSeconds == 11 && http.unsentResponseLimitBytes == 4097 && http.sendTimeoutSeconds == 9)
        #expect(http.maximumConnectionsPerAddress == 21 && http.connectionRatePerAddress == 51 && http.connectionBurstPerAddress == 401)
        #expect(http.requestRatePerAddress == 52 && http.requestBurstPerAddress == 402)
        #expect(http.streamBufferLimitBytes == 65537)

        let api = configuration.api
        #expect(api.realtime.retryMilliseconds == 1501 && api.realtime.debounceMilliseconds == 13)
        #expect(api.realtime.heartbeatIntervalMilliseconds == 2000)
        #expect(api.maximumStreamsPerSubject == 33 && api.maximumCampaignsPerStream == 17)
        #expect(api.tokenLeewaySeconds == 5 && api.metricsToken == "scrape-me" && api.accessLog)
        #expect(api.cors?.isEnabled == true)
        #expect(api.trustedProxies == TrustedProxies.parse("10.0.0.0/8"))

        #expect(configuration.memoryStore.maximumRetainedEvents == 5001)
        #expect(configuration.memoryStore.maximumRetainedEventBytes == 1_048_577)
        #expect(configuration.memoryStore.maximumTasksPerCampaign == 251)
        #expect(configuration.retentionMaximumAgeMilliseconds == 24 * 3_600_000 && configuration.retentionKeepCount == 5001)
        #expect(configuration.shutdownReadinessDelaySeconds == 12)

        let postgres = try #require(configuration.database)
        #expect(postgres.pool.connectionString == "postgresql://app@db/campaigns")
        #expect(postgres.listenURL == "postgresql://app@db-direct/campaigns")
        #expect(postgres.pool.size == 6 && !postgres.pool.preparesStatements && postgres.pool.lockTimeoutMilliseconds == 2500)
        #expect(postgres.store.maximumTasksPerCampaign == 251)
    }

    /// The token keys' source: the current secret first, then the previous ones, the key files and the policy.
    @Test func theAuthenticationSettingsReachTheTokenKeys() throws {
        let previous = String(repeating: "p", count: 32)
        let settings = try Fixtures.load([
            "JWT_PREVIOUS_SECRETS": "\(previous)@1893456000", "JWT_PUBLIC_KEYS_FILE": "/keys.pem", "JWT_JWKS_FILE": "/jwks.json",
            "JWT_ISSUER": "https://id.example.com", "JWT_AUDIENCE": "campaigns", "JWT_ROLE_CLAIM": "app_role",
            "JWT_CAMPAIGNS_CLAIM": "app_campaigns",
        ])
        let source = try #require(TokenKeySource(settings.authentication))
        #expect(source.secrets == [.init(Fixtures.secret), .init(previous, validUntil: 1_893_456_000)])
        #expect(source.publicKeysFile == "/keys.pem" && source.jwksFile == "/jwks.json")
        #expect(source.policy.issuer == "https://id.example.com" && source.policy.audience == "campaigns")
        #expect(source.policy.roleClaim == "app_role" && source.policy.campaignsClaim == "app_campaigns")
        // Unset claim names are the token format's own.
        let plain = TokenPolicy(try Fixtures.load([:]).authentication)
        #expect(plain.roleClaim == TokenPolicy().roleClaim && plain.campaignsClaim == TokenPolicy().campaignsClaim)
        #expect(TokenKeySource(try Fixtures.load(["AUTH_DISABLED": "true"]).authentication) == nil)
    }
}
