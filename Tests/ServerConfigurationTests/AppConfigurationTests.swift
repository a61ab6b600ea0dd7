import Logging
import Testing
@testable import ServerConfiguration

@Suite struct AppConfigurationTests {
    typealias Fixtures = ConfigurationFixtures

    @Test func defaultsMatchTheProduct() throws {
        let configuration = try Fixtures.load([:])
        #expect(configuration.server == AppConfiguration.Server(
            host: "0.0.0.0", port: 3001, maxConnections: 10_000, maxBodyBytes: 1_048_576, headerTimeoutSeconds: 10,
            idleTimeoutSeconds: 60, bodyTimeoutSeconds: 30, shutdownGraceSeconds: 10, maxUnsentResponseBytes: 262_144,
            sendTimeoutSeconds: 30, maxConnectionsPerAddress: 0))
        #expect(configuration.database == AppConfiguration.Database(url: nil, poolSize: 4, preparedStatements: true))
        #expect(configuration.authentication == AppConfiguration.Authentication(
            jwtSecret: Fixtures.secret, disabled: false, leewaySeconds: 30))
        #expect(configuration.cors.origins.isEmpty)
        #expect(configuration.streaming == AppConfiguration.Streaming(
            maxBufferBytes: 1_048_576, retryMilliseconds: 3000, debounceMilliseconds: 5, heartbeatIntervalSeconds: 30))
        #expect(configuration.retention == AppConfiguration.Retention(hours: 168, count: 100_000, bytes: 67_108_864))
        #expect(configuration.limits == AppConfiguration.Limits(maxTasksPerCampaign: 10_000, maxStreamsPerSubject: 32))
        #expect(configuration.metricsToken == nil)
        #expect(configuration.logLevel == .info)
        #expect(configuration.serveDashboard)
        #expect(configuration.warnings.isEmpty)
        #expect(configuration.redactedDatabaseURL == nil)
    }

    @Test func readsEveryVariable() throws {
        let configuration = try Fixtures.load([
            "PORT": "8080", "HOST": "127.0.0.2", "DATABASE_URL": "postgresql://app:pw@db:5432/campaigns",
            "DATABASE_POOL_SIZE": "12", "DATABASE_PREPARED_STATEMENTS": "false", "JWT_SECRET": String(repeating: "s", count: 40), "AUTH_DISABLED": "false",
            "JWT_LEEWAY_SECONDS": "5", "CORS_ORIGINS": " https://Dashboard.example.com/ , http://localhost:5173 ",
            "MAX_CONNECTIONS": "500", "MAX_BODY_BYTES": "2048", "HEADER_TIMEOUT_SECONDS": "3", "IDLE_TIMEOUT_SECONDS": "15",
            "BODY_TIMEOUT_SECONDS": "7", "SHUTDOWN_GRACE_SECONDS": "0", "MAX_UNSENT_RESPONSE_BYTES": "4096",
            "SEND_TIMEOUT_SECONDS": "9", "MAX_CONNECTIONS_PER_ADDRESS": "20", "CONNECTION_RATE_PER_ADDRESS": "50", "CONNECTION_BURST_PER_ADDRESS": "400", "REQUEST_RATE_PER_ADDRESS": "30", "REQUEST_BURST_PER_ADDRESS": "60", "SSE_MAX_BUFFER_BYTES": "65536", "SSE_RETRY_MS": "1500",
            "SSE_DEBOUNCE_MS": "0", "HEARTBEAT_INTERVAL_SECONDS": "2", "EVENT_RETENTION_HOURS": "24",
            "EVENT_RETENTION_COUNT": "5000", "METRICS_TOKEN": "scrape-me", "LOG_LEVEL": "DEBUG", "SERVE_DASHBOARD": "no",
            "EVENT_RETENTION_BYTES": "1048576", "MAX_TASKS_PER_CAMPAIGN": "250", "MAX_STREAMS_PER_SUBJECT": "0",
        ])
        #expect(configuration == AppConfiguration(
            server: .init(
                host: "127.0.0.2", port: 8080, maxConnections: 500, maxBodyBytes: 2048, headerTimeoutSeconds: 3,
                idleTimeoutSeconds: 15, bodyTimeoutSeconds: 7, shutdownGraceSeconds: 0, maxUnsentResponseBytes: 4096,
                sendTimeoutSeconds: 9, maxConnectionsPerAddress: 20,
                connectionRatePerAddress: 50, connectionBurstPerAddress: 400,
                requestRatePerAddress: 30, requestBurstPerAddress: 60),
            database: .init(url: "postgresql://app:pw@db:5432/campaigns", poolSize: 12, preparedStatements: false),
            authentication: .init(jwtSecret: String(repeating: "s", count: 40), disabled: false, leewaySeconds: 5),
            cors: .init(origins: ["https://dashboard.example.com", "http://localhost:5173"]),
            streaming: .init(maxBufferBytes: 65536, retryMilliseconds: 1500, debounceMilliseconds: 0, heartbeatIntervalSeconds: 2),
            retention: .init(hours: 24, count: 5000, bytes: 1_048_576),
            limits: .init(maxTasksPerCampaign: 250, maxStreamsPerSubject: 0), metricsToken: "scrape-me", logLevel: .debug, serveDashboard: false))
    }

    @Test func treatsEmptyValuesAsUnset() throws {
        let configuration = try Fixtures.load(["PORT": "", "DATABASE_URL": "", "METRICS_TOKEN": "", "LOG_LEVEL": "  ", "CORS_ORIGINS": ""])
        #expect(configuration.server.port == 3001)
        #expect(configuration.database.url == nil)
        #expect(configuration.metricsToken == nil)
        #expect(configuration.logLevel == .info)
    }

    @Test(arguments: [
        ("PORT", "http"), ("PORT", "65536"), ("PORT", "-1"), ("PORT", "3.5"),
        ("DATABASE_POOL_SIZE", "0"), ("JWT_LEEWAY_SECONDS", "301"), ("MAX_CONNECTIONS", "ten"), ("MAX_CONNECTIONS", "0"),
        ("MAX_BODY_BYTES", "1MB"), ("HEADER_TIMEOUT_SECONDS", "0"), ("IDLE_TIMEOUT_SECONDS", "1e3"),
        ("BODY_TIMEOUT_SECONDS", ""), ("SHUTDOWN_GRACE_SECONDS", "-5"), ("MAX_UNSENT_RESPONSE_BYTES", "100"),
        ("SEND_TIMEOUT_SECONDS", "0"), ("MAX_CONNECTIONS_PER_ADDRESS", "-1"), ("CONNECTION_RATE_PER_ADDRESS", "-1"), ("CONNECTION_BURST_PER_ADDRESS", "0"), ("REQUEST_RATE_PER_ADDRESS", "-1"), ("REQUEST_BURST_PER_ADDRESS", "0"), ("SSE_MAX_BUFFER_BYTES", "10"),
        ("SSE_RETRY_MS", "soon"), ("SSE_DEBOUNCE_MS", "10001"), ("HEARTBEAT_INTERVAL_SECONDS", "0"),
        ("EVENT_RETENTION_HOURS", "forever"), ("EVENT_RETENTION_COUNT", "99999999999999999999"),
        ("EVENT_RETENTION_BYTES", "1000"), ("EVENT_RETENTION_BYTES", "64MiB"), ("MAX_TASKS_PER_CAMPAIGN", "0"),
        ("MAX_TASKS_PER_CAMPAIGN", "lots"), ("MAX_STREAMS_PER_SUBJECT", "-1"),
        ("AUTH_DISABLED", "maybe"), ("SERVE_DASHBOARD", "sure"), ("DATABASE_PREPARED_STATEMENTS", "sometimes"), ("LOG_LEVEL", "verbose"),
        ("HOST", "example.com"), ("HOST", "256.0.0.1"), ("HOST", "::1"), ("HOST", "10.0.0"),
        ("CORS_ORIGINS", "dashboard.example.com"), ("CORS_ORIGINS", "https://a.example.com/app"),
        ("CORS_ORIGINS", "ftp://a.example.com"), ("CORS_ORIGINS", "https://a.example.com:99999"), ("CORS_ORIGINS", "*,https://a.example.com"),
        ("DATABASE_URL", "mysql://root@db/app"), ("DATABASE_URL", "just some words"),
    ])
    func namesTheVariableOfABadValue(variable: String, value: String) {
        guard !value.isEmpty else {
            // An empty value is the default, never an error.
            #expect(Fixtures.error([variable: value]) == nil)
            return
        }
        let error = Fixtures.error([variable: value])
        #expect(error?.variable == variable)
        #expect(error?.description.hasPrefix("\(variable) must be ") == true, "\(String(describing: error))")
        if variable != "DATABASE_URL" {
            #expect(error?.description.contains("(got \"") == true)
        }
    }

    @Test func describesTheExpectationAndTheValue() {
        #expect(Fixtures.error(["MAX_CONNECTIONS": "ten"])?.description
            == #"MAX_CONNECTIONS must be an integer between 1 and 1000000 (got "ten")"#)
        #expect(Fixtures.error(["PORT": "80\"80\n"])?.description
            == #"PORT must be an integer between 0 and 65535 (got "80\"80")"#)
        #expect(Fixtures.error(["LOG_LEVEL": "loud"])?.description
            == #"LOG_LEVEL must be one of trace, debug, info, notice, warning, error, critical (got "loud")"#)
        #expect(Fixtures.error(["AUTH_DISABLED": "perhaps"])?.description == #"AUTH_DISABLED must be true or false (got "perhaps")"#)
        let long = String(repeating: "9", count: 500)
        #expect((Fixtures.error(["PORT": long])?.description.count ?? 1000) < 200)
    }

    @Test func requiresAJWTSecretUnlessAuthIsDisabled() throws {
        let missing = try #require(Fixtures.error(["JWT_SECRET": ""]))
        #expect(missing.variable == "JWT_SECRET")
        #expect(missing.description.contains("AUTH_DISABLED=true"))
        #expect(Fixtures.error(["AUTH_DISABLED": "false"])?.variable == "JWT_SECRET")

        let short = try #require(Fixtures.error(["JWT_SECRET": "too-short-secret"]))
        #expect(short.description == "JWT_SECRET must be at least 32 bytes long (for example `openssl rand -hex 32`) (got 16 bytes, value not shown)")

        let disabled = try Fixtures.load(["AUTH_DISABLED": "true"])
        #expect(disabled.authentication.disabled)
        #expect(disabled.authentication.jwtSecret == nil)
        // A short secret is refused even with auth off: the token command would sign with it.
        #expect(Fixtures.error(["AUTH_DISABLED": "true", "JWT_SECRET": "short"])?.variable == "JWT_SECRET")
        // 32 bytes of UTF-8 is enough, whatever the character count.
        #expect(try Fixtures.load(["JWT_SECRET": String(repeating: "é", count: 16)]).authentication.jwtSecret?.utf8.count == 32)
    }

    @Test func bindsToLoopbackWhenAuthIsDisabled() throws {
        let defaultHost = try Fixtures.load(["AUTH_DISABLED": "true"])
        #expect(defaultHost.server.host == "127.0.0.1")
        #expect(defaultHost.warnings.contains { $0.contains("AUTH_DISABLED=true") && $0.contains("127.0.0.1") })

        let explicit = try Fixtures.load(["AUTH_DISABLED": "1", "HOST": "0.0.0.0"])
        #expect(explicit.server.host == "127.0.0.1")
        #expect(explicit.warnings.contains("HOST=0.0.0.0 ignored because AUTH_DISABLED=true"))

        #expect(try Fixtures.load(["AUTH_DISABLED": "yes", "HOST": "127.0.0.5"]).server.host == "127.0.0.5")
        #expect(try Fixtures.load(["AUTH_DISABLED": "on", "HOST": "localhost"]).server.host == "localhost")
        #expect(try Fixtures.load(["HOST": "10.1.2.3"]).server.host == "10.1.2.3")
    }

    @Test func allowsTheCORSWildcardOnlyWithoutAuth() throws {
        let refused = try #require(Fixtures.error(["CORS_ORIGINS": "*"]))
        #expect(refused.variable == "CORS_ORIGINS")
        #expect(refused.description.contains("AUTH_DISABLED=true"))
        let allowed = try Fixtures.load(["CORS_ORIGINS": " * ", "AUTH_DISABLED": "true"])
        #expect(allowed.cors.origins == ["*"])
        #expect(allowed.cors.allowsAnyOrigin)
    }

    @Test func acceptsOriginsWithPortsAndIPv6() throws {
        let configuration = try Fixtures.load(["CORS_ORIGINS": "http://[::1]:8080,http://127.0.0.1:3001,https://a.example.com,https://A.example.com/"])
        #expect(configuration.cors.origins == ["http://[::1]:8080", "http://127.0.0.1:3001", "https://a.example.com"])
    }

    @Test func acceptsBothConnectionStringForms() throws {
        #expect(try Fixtures.load(["DATABASE_URL": "postgres://localhost/campaigns"]).database.url == "postgres://localhost/campaigns")
        let keywords = "host=/tmp port=5432 dbname=campaigns user=app password='a b'"
        #expect(try Fixtures.load(["DATABASE_URL": keywords]).database.url == keywords)
    }

    @Test func warnsAboutUnknownNamesInDotEnv() throws {
        let source = EnvironmentSource(
            environment: ["JWT_SECRET": Fixtures.secret, "UNRELATED_SHELL_VARIABLE": "x"],
            dotEnv: ["MAX_CONECTIONS": "5", "PORT": "4000"], dotEnvPath: "/srv/app/.env")
        let configuration = try AppConfiguration.load(from: source)
        #expect(configuration.server.port == 4000)
        #expect(configuration.warnings == ["/srv/app/.env sets MAX_CONECTIONS, which this server does not read (a typo?)"])
    }
}
