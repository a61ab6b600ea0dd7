import CLibPQ

/// What every connection of a pool (or a notification connection) is opened with.
///
/// Keeps the passwords found in the connection string so that messages can be scrubbed of them:
/// libpq does not echo passwords, but messages pass through here before reaching logs and errors,
/// so a future libpq or a server message quoting one cannot leak it.
struct PostgresConnectionOptions: Sendable {
    let connectionString: String
    let connectTimeoutSeconds: Int
    let statementTimeoutMilliseconds: Int?
    let lockTimeoutMilliseconds: Int?
    let idleInTransactionTimeoutMilliseconds: Int?
    let applicationName: String
    /// Whether queries run as statements prepared once per session (off behind a pooler that hands
    /// sessions around, such as PgBouncer in transaction mode before 1.21).
    let preparesStatements: Bool
    /// False when libpq cannot parse the string; its parse error is not surfaced, as it may quote the string.
    let isParsable: Bool
    private let secrets: [String]

    init(connectionString: String, connectTimeoutSeconds: Int, statementTimeoutMilliseconds: Int?,
         lockTimeoutMilliseconds: Int? = nil, idleInTransactionTimeoutMilliseconds: Int? = nil,
         applicationName: String = "campaign-realtime", preparesStatements: Bool = true) {
        self.connectionString = connectionString
        self.preparesStatements = preparesStatements
        // 0 would make libpq wait forever; libpq raises 1 to its 2-second minimum itself.
        self.connectTimeoutSeconds = max(1, connectTimeoutSeconds)
        self.statementTimeoutMilliseconds = statementTimeoutMilliseconds.map { max(0, $0) }
        self.lockTimeoutMilliseconds = lockTimeoutMilliseconds.map { max(0, $0) }
        self.idleInTransactionTimeoutMilliseconds = idleInTransactionTimeoutMilliseconds.map { max(0, $0) }
        self.applicationName = applicationName
        var errorMessage: UnsafeMutablePointer<CChar>?
        if let options = PQconninfoParse(connectionString, &errorMessage) {
            var found: [String] = []
            var cursor = options
            while let keyword = cursor.pointee.keyword {
                if String(cString: keyword) == "password", let value = cursor.pointee.val {
                    let password = String(cString: value)
                    if !password.isEmpty { found.append(password) }
                }
                cursor += 1
            }
            PQconninfoFree(options)
            isParsable = true
            secrets = found
        } else {
            isParsable = false
            secrets = []
        }
        if let errorMessage { PQfreemem(errorMessage) }
    }

    /// `message` with every password of the connection string replaced by `***`.
    func redact(_ message: String) -> String {
        var result = message
        for secret in secrets where result.contains(secret) {
            result = result.replacing(secret, with: "***")
        }
        return result
    }

    /// The server settings every session starts with (name, milliseconds): only those configured.
    var sessionTimeouts: [(String, Int)] {
        [("statement_timeout", statementTimeoutMilliseconds), ("lock_timeout", lockTimeoutMilliseconds),
         ("idle_in_transaction_session_timeout", idleInTransactionTimeoutMilliseconds)]
            .compactMap { name, value in value.map { (name, $0) } }
    }

    /// Keyword/value pairs for `PQconnectdbParams` (with `expand_dbname`): later pairs win, so the
    /// defaults come before the caller's string (which may override them) and the configured
    /// connect timeout after it (the pool's promise not to hang depends on it).
    var connectParameters: [(String, String)] {
        [
            ("keepalives", "1"),
            ("keepalives_idle", "10"),
            ("keepalives_interval", "5"),
            ("keepalives_count", "3"),
            // Bounds how long sent data may stay unacknowledged before the kernel gives up on a vanished peer.
            ("tcp_user_timeout", "30000"),
            ("fallback_application_name", applicationName),
            ("dbname", connectionString),
            ("connect_timeout", String(connectTimeoutSeconds)),
        ]
    }
}
