import CampaignAPI
import CampaignApp
import HTTP
import Realtime
import Security
import ServerConfiguration

extension CampaignApplication.Configuration {
    /// The wiring's settings from the environment's.
    init(_ settings: AppConfiguration, tokenKeys: TokenKeys?) {
        let server = settings.server
        let http = HTTPServer.Configuration(
            host: server.host, port: server.port,
            limits: .init(maximumBodyBytes: server.maxBodyBytes),
            maximumConnections: server.maxConnections, headerTimeoutSeconds: server.headerTimeoutSeconds,
            idleTimeoutSeconds: server.idleTimeoutSeconds, bodyTimeoutSeconds: server.bodyTimeoutSeconds,
            streamBufferLimitBytes: settings.streaming.maxBufferBytes, unsentResponseLimitBytes: server.maxUnsentResponseBytes,
            sendTimeoutSeconds: server.sendTimeoutSeconds, maximumConnectionsPerAddress: server.maxConnectionsPerAddress,
            connectionRatePerAddress: server.connectionRatePerAddress, connectionBurstPerAddress: server.connectionBurstPerAddress,
            shutdownGracePeriodSeconds: server.shutdownGraceSeconds)
        let realtime = RealtimeConfiguration(
            retryMilliseconds: settings.streaming.retryMilliseconds,
            heartbeatIntervalMilliseconds: UInt64(settings.streaming.heartbeatIntervalSeconds) * 1000,
            debounceMilliseconds: UInt64(settings.streaming.debounceMilliseconds))
        let api = APIConfiguration(
            authDisabled: settings.authentication.disabled,
            tokenKeys: tokenKeys,
            tokenLeewaySeconds: settings.authentication.leewaySeconds,
            cors: settings.cors.origins.isEmpty ? nil : CORSPolicy(allowedOrigins: settings.cors.origins),
            metricsToken: settings.metricsToken, realtime: realtime, maximumStreamsPerSubject: settings.limits.maxStreamsPerSubject,
            maximumCampaignsPerStream: settings.limits.maxCampaignsPerStream, accessLog: settings.accessLog,
            trustedProxies: settings.trustedProxies)
        self.init(
            http: http, api: api, databaseURL: settings.database.url, databasePoolSize: settings.database.poolSize,
            databasePreparedStatements: settings.database.preparedStatements,
            databaseLockTimeoutMilliseconds: settings.database.lockTimeoutMilliseconds,
            retentionMaximumAgeMilliseconds: Int64(settings.retention.hours) * 3_600_000, retentionKeepCount: settings.retention.count,
            retentionMaximumBytes: settings.retention.bytes, maximumTasksPerCampaign: settings.limits.maxTasksPerCampaign,
            shutdownReadinessDelaySeconds: server.shutdownReadinessDelaySeconds)
        databaseListenURL = settings.database.listenURL
    }
}
