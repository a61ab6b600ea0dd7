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
    /// Whether the web dashboard's static files are served (SERVE_DASHBOARD).
    public var serveDashboard: Bool
    /// Things the operator should read at startup (auth disabled, HOST overridden, unknown `.env` names).
    public var warnings: [String]

    public init(
        server: Server = .init(), database: Database = .init(), authentication: Authentication = .init(),
        cors: CORS = .init(), streaming: Streaming = .init(), retention: Retention = .init(), limits: Limits = .init(), metricsToken: String? = nil,
        logLevel: Logger.Level = .info, serveDashboard: Bool = true, warnings: [String] = []
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
        self.serveDashboard = serveDashboard
        self.warnings = warnings
    }

    /// Every environment variable the server reads.
    public static let variableNames = [
        "PORT", "HOST", "DATABASE_URL", "DATABASE_POOL_SIZE", "DATABASE_PREPARED_STATEMENTS", "DATABASE_LOCK_TIMEOUT_MS", "JWT_SECRET", "AUTH_DISABLED", "JWT_LEEWAY_SECONDS",
        "CORS_ORIGINS", "MAX_CONNECTIONS", "MAX_BODY_BYTES", "HEADER_TIMEOUT_SECONDS", "IDLE_TIMEOUT_SECONDS",
        "BODY_TIMEOUT_SECONDS", "SHUTDOWN_GRACE_SECONDS", "MAX_UNSENT_RESPONSE_BYTES", "SEND_TIMEOUT_SECONDS",
        "MAX_CONNECTIONS_PER_ADDRESS", "SSE_MAX_BUFFER_BYTES", "SSE_RETRY_MS", "SSE_DEBOUNCE_MS",
        "HEARTBEAT_INTERVAL_SECONDS", "EVENT_RETENTION_HOURS", "EVENT_RETENTION_COUNT", "EVENT_RETENTION_BYTES", "METRICS_TOKEN", "LOG_LEVEL",
        "SERVE_DASHBOARD", "MAX_TASKS_PER_CAMPAIGN", "MAX_STREAMS_PER_SUBJECT",
        "MAX_CAMPAIGNS_PER_STREAM",
    ]

    /// DATABASE_URL with any password replaced by `***`, for logs; nil when unset.
    public var redactedDatabaseURL: String? {
        database.url.map(ConnectionString.redact)
    }
}
