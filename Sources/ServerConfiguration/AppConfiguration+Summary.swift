extension AppConfiguration {
    /// Every setting by variable name, for the startup log line; secrets are reduced to whether they are set.
    public func summary() -> [String: String] {
        [
            "PORT": String(server.port),
            "HOST": server.host,
            "DATABASE_URL": redactedDatabaseURL ?? "(not set: in-memory store)",
            "DATABASE_POOL_SIZE": String(database.poolSize),
            "DATABASE_PREPARED_STATEMENTS": String(database.preparedStatements),
            "DATABASE_LOCK_TIMEOUT_MS": String(database.lockTimeoutMilliseconds),
            "JWT_SECRET": authentication.jwtSecret.map { "(set, \($0.utf8.count) bytes)" } ?? "(not set)",
            "AUTH_DISABLED": String(authentication.disabled),
            "JWT_LEEWAY_SECONDS": String(authentication.leewaySeconds),
            "CORS_ORIGINS": cors.origins.isEmpty ? "(none)" : cors.origins.joined(separator: ","),
            "MAX_CONNECTIONS": String(server.maxConnections),
            "MAX_BODY_BYTES": String(server.maxBodyBytes),
            "HEADER_TIMEOUT_SECONDS": String(server.headerTimeoutSeconds),
            "IDLE_TIMEOUT_SECONDS": String(server.idleTimeoutSeconds),
            "BODY_TIMEOUT_SECONDS": String(server.bodyTimeoutSeconds),
            "SHUTDOWN_GRACE_SECONDS": String(server.shutdownGraceSeconds),
            "MAX_UNSENT_RESPONSE_BYTES": String(server.maxUnsentResponseBytes),
            "SEND_TIMEOUT_SECONDS": String(server.sendTimeoutSeconds),
            "MAX_CONNECTIONS_PER_ADDRESS": String(server.maxConnectionsPerAddress),
            "SSE_MAX_BUFFER_BYTES": String(streaming.maxBufferBytes),
            "SSE_RETRY_MS": String(streaming.retryMilliseconds),
            "SSE_DEBOUNCE_MS": String(streaming.debounceMilliseconds),
            "HEARTBEAT_INTERVAL_SECONDS": String(streaming.heartbeatIntervalSeconds),
            "EVENT_RETENTION_HOURS": String(retention.hours),
            "EVENT_RETENTION_COUNT": String(retention.count),
            "EVENT_RETENTION_BYTES": String(retention.bytes),
            "MAX_TASKS_PER_CAMPAIGN": String(limits.maxTasksPerCampaign),
            "MAX_STREAMS_PER_SUBJECT": String(limits.maxStreamsPerSubject),
            "MAX_CAMPAIGNS_PER_STREAM": String(limits.maxCampaignsPerStream),
            "METRICS_TOKEN": metricsToken == nil ? "(not set)" : "(set)",
            "LOG_LEVEL": logLevel.rawValue,
            "SERVE_DASHBOARD": String(serveDashboard),
        ]
    }
}
