import CLibPQ
import Logging

extension PostgresConnection {
    /// Opens a session (blocking, bounded by `connect_timeout`) and applies the configured timeouts.
    static func connect(options: PostgresConnectionOptions, logger: Logger) throws -> PostgresConnection {
        guard options.isParsable else {
            throw PostgresError(kind: .connection, message: "invalid connection string")
        }
        let parameters = options.connectParameters
        let keywords = PostgresCStrings(parameters.map(\.0) + [nil])
        let values = PostgresCStrings(parameters.map(\.1) + [nil])
        let opened = keywords.withPointers { keywordPointers in
            values.withPointers { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let handle = opened else {
            throw PostgresError(kind: .connection, message: "out of memory while connecting")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = options.redact(PostgresDiagnostics.connectionMessage(handle))
            PQfinish(handle)
            throw PostgresError(kind: .connection, message: message)
        }
        let connection = PostgresConnection(handle: handle, options: options, logger: logger)
        let timeouts = options.sessionTimeouts
        if !timeouts.isEmpty {
            // One statement for all of them; set_config takes names and values as parameters.
            let calls = timeouts.indices.map { "set_config($\($0 * 2 + 1), $\($0 * 2 + 2), false)" }
            try connection.execute("SELECT " + calls.joined(separator: ", "),
                                   timeouts.flatMap { name, value in [name, String(value)] })
        }
        return connection
    }
}
