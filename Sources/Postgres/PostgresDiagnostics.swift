import CLibPQ

/// Reading libpq's error fields and turning failures into `PostgresError`s.
enum PostgresDiagnostics {
    // libpq's PG_DIAG_* are character-literal macros, which Swift does not import.
    static let severity = Int32(UInt8(ascii: "V"))
    static let sqlState = Int32(UInt8(ascii: "C"))
    static let primaryMessage = Int32(UInt8(ascii: "M"))
    static let detail = Int32(UInt8(ascii: "D"))
    static let constraintName = Int32(UInt8(ascii: "n"))

    static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        guard let value = PQresultErrorField(result, code) else { return nil }
        return String(cString: value)
    }

    /// The error of a failed statement. `result` may be nil when libpq could not even send it.
    static func error(result: OpaquePointer?, handle: OpaquePointer, options: PostgresConnectionOptions) -> PostgresError {
        let connectionBroken = PQstatus(handle) != CONNECTION_OK
        guard let result else {
            return PostgresError(kind: connectionBroken ? .connection : .query,
                                 message: options.redact(connectionMessage(handle)))
        }
        let sqlState = field(result, sqlState)
        var message = field(result, primaryMessage) ?? trimmed(PQresultErrorMessage(result))
        if message.isEmpty { message = connectionMessage(handle) }
        let kind: PostgresError.Kind =
            connectionBroken || PostgresError.isConnectionSQLState(sqlState) ? .connection : .query
        return PostgresError(kind: kind, sqlState: sqlState, message: options.redact(message),
                             detail: field(result, detail).map(options.redact),
                             constraint: field(result, constraintName))
    }

    /// libpq's connection-level message (`PQerrorMessage`), without its trailing newline.
    static func connectionMessage(_ handle: OpaquePointer) -> String {
        let message = trimmed(PQerrorMessage(handle))
        return message.isEmpty ? "connection to the database failed" : message
    }

    private static func trimmed(_ text: UnsafePointer<CChar>?) -> String {
        guard let text else { return "" }
        var value = Substring(String(cString: text))
        while let last = value.last, last.isWhitespace { value = value.dropLast() }
        return String(value)
    }
}
