import CampaignAPI
import CampaignStore
import HTTP
import Postgres
import Realtime
import Security

// Each module's configuration, built from the settings. A setting's default is written once, in the
// `AppConfiguration` struct that holds it; the module types take these values without defaults of their own.
extension AppConfiguration {
    /// `Retry-After` on answers past the connection limit; a constant, not a setting.
    static let overloadRetryAfterSeconds = 5

    /// The HTTP server: where it listens, what one request may weigh, and the per-connection bounds.
    public var http: HTTPServer.Configuration {
        HTTPServer.Configuration(
            host: server.host, port: server.port, limits: HTTPParser.Limits(maximumBodyBytes: server.maxBodyBytes),
            maximumConnections: server.maxConnections, headerTimeoutSeconds: server.headerTimeoutSeconds,
            idleTimeoutSeconds: server.idleTimeoutSeconds, bodyTimeoutSeconds: server.bodyTimeoutSeconds,
            streamBufferLimitBytes: streaming.maxBufferBytes, unsentResponseLimitBytes: server.maxUnsentResponseBytes,
            sendTimeoutSeconds: server.sendTimeoutSeconds, maximumConnectionsPerAddress: server.maxConnectionsPerAddress,
            connectionRatePerAddress: server.connectionRatePerAddress, connectionBurstPerAddress: server.connectionBurstPerAddress,
            requestRatePerAddress: server.requestRatePerAddress, requestBurstPerAddress: server.requestBurstPerAddress,
            shutdownGracePeriodSeconds: server.shutdownGraceSeconds)
    }

    /// The live stream's rooms.
    public var realtime: RealtimeConfiguration {
        RealtimeConfiguration(
            retryMilliseconds: streaming.retryMilliseconds,
            heartbeatIntervalMilliseconds: UInt64(streaming.heartbeatIntervalSeconds) * 1000,
            debounceMilliseconds: UInt64(streaming.debounceMilliseconds))
    }

    /// The routes' view of the deployment; `tokenKeys` are read from the files and secrets
    /// `authentication` names (I/O, so the caller loads them), nil when authentication is disabled.
    public func api(tokenKeys: TokenKeys?) -> APIConfiguration {
        APIConfiguration(
            authDisabled: authentication.disabled, tokenKeys: tokenKeys, tokenLeewaySeconds: authentication.leewaySeconds,
            cors: cors.origins.isEmpty ? nil : CORSPolicy(allowedOrigins: cors.origins), metricsToken: metricsToken,
            realtime: realtime, retryAfterSeconds: Self.overloadRetryAfterSeconds, maximumStreamsPerSubject: limits.maxStreamsPerSubject,
            maximumCampaignsPerStream: limits.maxCampaignsPerStream, accessLog: accessLog, trustedProxies: trustedProxies)
    }

    /// The embedded store's bounds (its event log by count and bytes, tasks per campaign).
    public var memoryStore: InMemoryCampaignStore.Configuration {
        InMemoryCampaignStore.Configuration(
            maximumRetainedEvents: retention.count, maximumRetainedEventBytes: retention.bytes,
            maximumTasksPerCampaign: limits.maxTasksPerCampaign)
    }

    /// The PostgreSQL store's task limit (its retries are its own).
    public var postgresStore: PostgresCampaignStore.Configuration {
        PostgresCampaignStore.Configuration(maximumTasksPerCampaign: limits.maxTasksPerCampaign)
    }

    /// The query pool on `connectionString` (DATABASE_URL unless given).
    public func postgresPool(connectionString: String) -> PostgresPool.Configuration {
        var pool = PostgresPool.Configuration(
            connectionString: connectionString, size: database.poolSize, preparesStatements: database.preparedStatements)
        pool.lockTimeoutMilliseconds = database.lockTimeoutMilliseconds
        return pool
    }
}
