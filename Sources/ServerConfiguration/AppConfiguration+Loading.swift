import CampaignAPI
import CampaignModel
import Logging

extension AppConfiguration {
    /// Reads and checks every setting; the first bad value is reported with its variable and what is expected.
    public static func load(from source: EnvironmentSource) throws(ConfigurationError) -> AppConfiguration {
        let reader = SettingsReader(source: source)
        var warnings: [String] = []

        let authentication = try loadAuthentication(reader)
        let server = try loadServer(reader, authDisabled: authentication.disabled, warnings: &warnings)
        if authentication.disabled {
            warnings.append(
                "AUTH_DISABLED=true: authentication is OFF and every request acts as an admin; listening on \(server.host) only, "
                    + "for requests addressed to localhost, 127.x.x.x or [::1]")
        }

        let defaults = AppConfiguration()
        let databaseURL = reader.secret("DATABASE_URL")
        if let databaseURL, !isAcceptableDatabaseURL(databaseURL) {
            let redacted = ConnectionString.redact(databaseURL)
            throw ConfigurationError(
                variable: "DATABASE_URL",
                expected: "a PostgreSQL connection string: postgresql://user:password@host:5432/database or host=… dbname=… user=…",
                given: redacted.hasPrefix("(") ? redacted : ConfigurationError.quote(redacted))
        }
        let listenURL = reader.secret("DATABASE_LISTEN_URL")
        if let listenURL {
            guard databaseURL != nil else {
                throw ConfigurationError(
                    variable: "DATABASE_LISTEN_URL", expected: "set only together with DATABASE_URL (the in-memory store listens to nothing)",
                    given: "a value without DATABASE_URL")
            }
            guard isAcceptableDatabaseURL(listenURL) else {
                let redacted = ConnectionString.redact(listenURL)
                throw ConfigurationError(
                    variable: "DATABASE_LISTEN_URL",
                    expected: "a PostgreSQL connection string that reaches the server directly, not through a transaction pooler",
                    given: redacted.hasPrefix("(") ? redacted : ConfigurationError.quote(redacted))
            }
        }
        let database = Database(
            url: databaseURL,
            poolSize: try reader.integer("DATABASE_POOL_SIZE", default: defaults.database.poolSize, in: 1...100),
            preparedStatements: try reader.boolean("DATABASE_PREPARED_STATEMENTS", default: defaults.database.preparedStatements),
            lockTimeoutMilliseconds: try reader.integer(
                "DATABASE_LOCK_TIMEOUT_MS", default: defaults.database.lockTimeoutMilliseconds, in: 1...600_000),
            listenURL: listenURL)

        let cors = try loadCORS(reader, authDisabled: authentication.disabled)

        let streaming = Streaming(
            maxBufferBytes: try reader.integer("SSE_MAX_BUFFER_BYTES", default: defaults.streaming.maxBufferBytes, in: 1024...1_073_741_824),
            retryMilliseconds: try reader.integer("SSE_RETRY_MS", default: defaults.streaming.retryMilliseconds, in: 0...3_600_000),
            debounceMilliseconds: try reader.integer("SSE_DEBOUNCE_MS", default: defaults.streaming.debounceMilliseconds, in: 0...10_000),
            heartbeatIntervalSeconds: try reader.integer(
                "HEARTBEAT_INTERVAL_SECONDS", default: defaults.streaming.heartbeatIntervalSeconds, in: 1...3600))

        let retention = Retention(
            hours: try reader.integer("EVENT_RETENTION_HOURS", default: defaults.retention.hours, in: 1...87_600),
            count: try reader.integer("EVENT_RETENTION_COUNT", default: defaults.retention.count, in: 1...1_000_000_000),
            bytes: try reader.integer("EVENT_RETENTION_BYTES", default: defaults.retention.bytes, in: 65_536...1_099_511_627_776))

        let limits = Limits(
            maxTasksPerCampaign: try reader.integer(
                "MAX_TASKS_PER_CAMPAIGN", default: defaults.limits.maxTasksPerCampaign, in: 1...1_000_000),
            maxStreamsPerSubject: try reader.integer(
                "MAX_STREAMS_PER_SUBJECT", default: defaults.limits.maxStreamsPerSubject, in: 0...1_000_000),
            maxCampaignsPerStream: try reader.integer(
                "MAX_CAMPAIGNS_PER_STREAM", default: defaults.limits.maxCampaignsPerStream, in: 1...256))

        let metricsToken = reader.secret("METRICS_TOKEN")
        if let metricsToken, metricsToken.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw ConfigurationError(
                variable: "METRICS_TOKEN", expected: "a single token without white space or control characters",
                given: "a value that is not shown")
        }

        var logLevel = defaults.logLevel
        if let text = reader.text("LOG_LEVEL") {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                let names = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
                throw .invalid("LOG_LEVEL", expected: "one of \(names)", value: text)
            }
            logLevel = level
        }

        var logFormat = defaults.logFormat
        if let text = reader.text("LOG_FORMAT") {
            guard let format = LogFormat(rawValue: text.lowercased()) else {
                throw .invalid("LOG_FORMAT", expected: "text or json", value: text)
            }
            logFormat = format
        }
        let accessLog = try reader.boolean("ACCESS_LOG", default: defaults.accessLog)
        var trustedProxies = defaults.trustedProxies
        if let text = reader.text("TRUSTED_PROXIES") {
            guard let parsed = TrustedProxies.parse(text) else {
                throw .invalid(
                    "TRUSTED_PROXIES", expected: "a comma-separated list of IPv4 addresses or CIDR ranges such as 10.0.0.0/8,192.168.1.10",
                    value: text)
            }
            trustedProxies = parsed
        }

        let serveDashboard = try reader.boolean("SERVE_DASHBOARD", default: defaults.serveDashboard)

        let known = Set(variableNames)
        for name in source.dotEnvNames.sorted() where !known.contains(name) {
            warnings.append("\(source.dotEnvPath ?? ".env") sets \(name), which this server does not read (a typo?)")
        }

        return AppConfiguration(
            server: server, database: database, authentication: authentication, cors: cors, streaming: streaming,
            retention: retention, limits: limits, metricsToken: metricsToken, logLevel: logLevel, logFormat: logFormat,
            accessLog: accessLog, trustedProxies: trustedProxies, serveDashboard: serveDashboard,
            warnings: warnings)
    }

    private static func loadServer(
        _ reader: SettingsReader, authDisabled: Bool, warnings: inout [String]
    ) throws(ConfigurationError) -> Server {
        let defaults = Server()
        var host = defaults.host
        if let text = reader.text("HOST") {
            guard text == "localhost" || isIPv4(text) else {
                throw .invalid("HOST", expected: "an IPv4 address such as 0.0.0.0 or 127.0.0.1, or localhost", value: text)
            }
            host = text
        }
        if authDisabled && !isLoopback(host) {
            // Without authentication anyone who can reach the port is an admin: keep it on this machine.
            if reader.text("HOST") != nil {
                warnings.append("HOST=\(host) ignored because AUTH_DISABLED=true")
            }
            host = "127.0.0.1"
        }
        return Server(
            host: host,
            port: try reader.integer("PORT", default: defaults.port, in: 0...65_535),
            maxConnections: try reader.integer("MAX_CONNECTIONS", default: defaults.maxConnections, in: 1...1_000_000),
            maxBodyBytes: try reader.integer("MAX_BODY_BYTES", default: defaults.maxBodyBytes, in: 1...1_073_741_824),
            headerTimeoutSeconds: try reader.integer("HEADER_TIMEOUT_SECONDS", default: defaults.headerTimeoutSeconds, in: 1...3600),
            idleTimeoutSeconds: try reader.integer("IDLE_TIMEOUT_SECONDS", default: defaults.idleTimeoutSeconds, in: 1...86_400),
            bodyTimeoutSeconds: try reader.integer("BODY_TIMEOUT_SECONDS", default: defaults.bodyTimeoutSeconds, in: 1...3600),
            shutdownGraceSeconds: try reader.integer("SHUTDOWN_GRACE_SECONDS", default: defaults.shutdownGraceSeconds, in: 0...3600),
            maxUnsentResponseBytes: try reader.integer(
                "MAX_UNSENT_RESPONSE_BYTES", default: defaults.maxUnsentResponseBytes, in: 1024...1_073_741_824),
            sendTimeoutSeconds: try reader.integer("SEND_TIMEOUT_SECONDS", default: defaults.sendTimeoutSeconds, in: 1...3600),
            maxConnectionsPerAddress: try reader.integer(
                "MAX_CONNECTIONS_PER_ADDRESS", default: defaults.maxConnectionsPerAddress, in: 0...1_000_000),
            connectionRatePerAddress: try reader.integer(
                "CONNECTION_RATE_PER_ADDRESS", default: defaults.connectionRatePerAddress, in: 0...1_000_000),
            connectionBurstPerAddress: try reader.integer(
                "CONNECTION_BURST_PER_ADDRESS", default: defaults.connectionBurstPerAddress, in: 1...1_000_000),
            requestRatePerAddress: try reader.integer(
                "REQUEST_RATE_PER_ADDRESS", default: defaults.requestRatePerAddress, in: 0...1_000_000),
            requestBurstPerAddress: try reader.integer(
                "REQUEST_BURST_PER_ADDRESS", default: defaults.requestBurstPerAddress, in: 1...1_000_000),
            shutdownReadinessDelaySeconds: try reader.integer(
                "SHUTDOWN_READINESS_DELAY_SECONDS", default: defaults.shutdownReadinessDelaySeconds, in: 0...3600))
    }

    private static func loadCORS(_ reader: SettingsReader, authDisabled: Bool) throws(ConfigurationError) -> CORS {
        guard let text = reader.text("CORS_ORIGINS") else { return CORS() }
        let expected = "a comma-separated list of origins such as https://dashboard.example.com,http://localhost:5173"
            + " (scheme, host and optional port; * only when AUTH_DISABLED=true)"
        let entries = text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
        if entries.contains("*") {
            guard entries == ["*"] else { throw .invalid("CORS_ORIGINS", expected: expected, value: text) }
            guard authDisabled else {
                throw .invalid(
                    "CORS_ORIGINS",
                    expected: "a list of the dashboard origins: * (any origin) is allowed only when AUTH_DISABLED=true",
                    value: text)
            }
            return CORS(origins: ["*"])
        }
        var origins: [String] = []
        for entry in entries {
            guard let origin = normalizedOrigin(entry) else { throw .invalid("CORS_ORIGINS", expected: expected, value: entry) }
            if !origins.contains(origin) { origins.append(origin) }
        }
        return CORS(origins: origins)
    }

    /// `http(s)://host[:port]`, lower-cased, without the trailing slash browsers never send; nil if not an origin.
    static func normalizedOrigin(_ text: String) -> String? {
        var origin = text.lowercased()
        if origin.hasSuffix("/") { origin.removeLast() }
        let scheme: String
        if origin.hasPrefix("https://") {
            scheme = "https://"
        } else if origin.hasPrefix("http://") {
            scheme = "http://"
        } else {
            return nil
        }
        let authority = origin.dropFirst(scheme.count)
        var host = authority
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = authority[..<colon]
            let port = authority[authority.index(after: colon)...]
            guard let number = Int(port), port.allSatisfy(\.isNumber), (1...65_535).contains(number) else { return nil }
        }
        let isBracketedIPv6 = host.hasPrefix("[") && host.hasSuffix("]") && host.count > 2
            && host.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        let isName = !host.isEmpty && host.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "." }
        guard isBracketedIPv6 || isName else { return nil }
        return origin
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy { $0.isASCII && $0.isNumber } && Int(part)! <= 255
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || (isIPv4(host) && host.hasPrefix("127."))
    }

    static func isAcceptableDatabaseURL(_ text: String) -> Bool {
        if ConnectionString.isURL(text) { return true }
        if text.contains("://") { return false }
        return ConnectionString.parseKeywords(text) != nil
    }
}
