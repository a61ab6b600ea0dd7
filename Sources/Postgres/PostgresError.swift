/// A failure reported by libpq or by the pool, with the SQLSTATE when the server sent one.
///
/// `message` is libpq's or the server's primary message; it never contains the connection string
/// or a password (see `PostgresConnectionOptions.redact`).
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// Where the failure happened, which decides how callers react (retry, 503, 400, …).
    public enum Kind: Sendable, Hashable {
        /// The server is unreachable or the connection broke: the statement's outcome is "not done".
        case connection
        /// The server rejected the statement (constraint, syntax, serialization failure, …).
        case query
        /// A value could not be read as the requested type, or a column does not exist.
        case decoding
        /// No pooled connection became free within `acquireTimeoutSeconds`.
        case poolTimeout
    }

    public let kind: Kind
    /// The five-character SQLSTATE (`23505`, `40001`, …) when the server sent one.
    public let sqlState: String?
    public let message: String
    /// The server's detail line, when it sent one (may quote row values, never secrets).
    public let detail: String?
    /// The violated constraint's name, for integrity violations.
    public let constraint: String?

    /// Creates an error value; the module builds these from libpq results.
    public init(kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, constraint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
    }

    /// True for connection-level failures: the server is unreachable or went away (the API maps these to 503).
    public var isConnectionProblem: Bool {
        kind == .connection || Self.isConnectionSQLState(sqlState)
    }

    /// True for a unique violation (`23505`).
    public var isUniqueViolation: Bool { sqlState == "23505" }

    /// True when retrying the whole transaction may succeed (`40001` serialization failure, `40P01` deadlock).
    public var isTransactionConflict: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// A lock was not granted within the session's `lock_timeout` (55P03, lock_not_available).
    public var isLockTimeout: Bool { sqlState == "55P03" }

    public var description: String {
        let label: String
        switch kind {
        case .connection: label = "connection error"
        case .query: label = "query error"
        case .decoding: label = "decoding error"
        case .poolTimeout: label = "pool timeout"
        }
        if let sqlState { return "PostgreSQL \(label) [\(sqlState)]: \(message)" }
        return "PostgreSQL \(label): \(message)"
    }

    /// Class 08 (connection exception) and the shutdown / start-up states of class 57 mean the
    /// session itself is gone or unusable, whatever PQstatus still says.
    static func isConnectionSQLState(_ sqlState: String?) -> Bool {
        guard let sqlState else { return false }
        return sqlState.hasPrefix("08") || sqlState == "57P01" || sqlState == "57P02" || sqlState == "57P03"
    }
}
