import CampaignAPI
import Logging

/// Every setting of the server, read from the environment (see `.env.example`) with its default.
public struct AppConfiguration: Sendable, Equatable {
    public var server: Server
    public var database: Database
    public var authentication: Authentication
    public var cors: CORS
    public var streaming: Streaming
    public var retention: Retention
    public var limits: Limits
    /// When set, `/metrics` wants `Authorization: Bearer <token>` (METRICS_TOKEN).
    public var metricsToken: String?
    /// LOG_LEVEL.
    public var logLevel: Logger.Level
    /// LOG_FORMAT: `text` lines for people, or one JSON object per line for a log pipeline.
    public var logFormat: LogFormat
    /// ACCESS_LOG: one info line per request (method, route, status, duration, bytes, client, request id).
    public var accessLog: Bool
    /// TRUSTED_PROXIES: peers whose `X-Forwarded-For` names the client in log lines.
    public var trustedProxies: TrustedProxies
    /// Whether the web dashboard's static files are served (SERVE_DASHBOARD).
    public var serveDashboard: Bool
    /// Things the operator should read at startup (auth disabled, HOST overridden, unknown `.env` names).
    public var warnings: [String]

    public init(
        server: Server = .init(), database: Database = .init(), authentication: Authentication = .init(),
        cors: CORS = .init(), streaming: Streaming = .init(), retention: Retention = .init(), limits: Limits = .init(), metricsToken: String? = nil,
        logLevel: Logger.Level = .info, logFormat: LogFormat = .text, accessLog: Bool = false,
        trustedProxies: TrustedProxies = TrustedProxies(), serveDashboard: Bool = true, warnings: [String] = []
    ) {
        self.server = server
        self.database = database
        self.authentication = authentication
        self.cors = cors
        self.streaming = streaming
        self.retention = retention
        self.limits = limits
        self.metricsToken = metricsToken
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.accessLog = accessLog
        self.trustedProxies = trustedProxies
        self.serveDashboard = serveDashboard
        self.warnings = warnings
    }

    /// Every environment variable the server reads.
    public static let variableNames = [
        "PORT", "HOST", "DATABASE_URL", "DATABASE_POOL_SIZE", "DATABASE_PREPARED_STATEMENTS", "DATABASE_LOCK_TIMEOUT_MS", "DATABASE_LISTEN_URL", "JWT_SECRET", "AUTH_DISABLED", "JWT_LEEWAY_SECONDS",
        "JWT_PREVIOUS_SECRETS", "JWT_PUBLIC_KEYS_FILE", "JWT_JWKS_FILE", "JWT_ISSUER", "JWT_AUDIENCE", "JWT_ROLE_CLAIM", "JWT_CAMPAIGNS_CLAIM",
        "CORS_ORIGINS", "MAX_CONNECTIONS", "MAX_BODY_BYTES", "HEADER_TIMEOUT_SECONDS", "IDLE_TIMEOUT_SECONDS",
        "BODY_TIMEOUT_SECONDS", "SHUTDOWN_GRACE_SECONDS", "SHUTDOWN_READINESS_DELAY_SECONDS", "MAX_UNSENT_RESPONSE_BYTES", "SEND_TIMEOUT_SECONDS",
        "MAX_CONNECTIONS_PER_ADDRESS", "CONNECTION_RATE_PER_ADDRESS", "CONNECTION_BURST_PER_ADDRESS",
        "REQUEST_RATE_PER_ADDRESS", "REQUEST_BURST_PER_ADDRESS",
        "SSE_MAX_BUFFER_BYTES", "SSE_RETRY_MS", "SSE_DEBOUNCE_MS",
        "HEARTBEAT_INTERVAL_SECONDS", "EVENT_RETENTION_HOURS", "EVENT_RETENTION_COUNT", "EVENT_RETENTION_BYTES", "METRICS_TOKEN", "LOG_LEVEL", "LOG_FORMAT", "ACCESS_LOG", "TRUSTED_PROXIES",
        "SERVE_DASHBOARD", "MAX_TASKS_PER_CAMPAIGN", "MAX_STREAMS_PER_SUBJECT",
        "MAX_CAMPAIGNS_PER_STREAM",
    ]

    /// DATABASE_URL with any password replaced by `***`, for logs; nil when unset.
    public var redactedDatabaseURL: String? {
        database.url.map(ConnectionString.redact)
    }
}
