import CLibPQ
import Logging

extension PostgresConnection {
    /// Opens a session (blocking, bounded by `connect_timeout`) and applies the statement timeout.
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
        if let timeout = options.statementTimeoutMilliseconds {
            // set_config takes the value as a parameter, so nothing is spliced into SQL.
            try connection.execute("SELECT set_config('statement_timeout', $1, false)", [String(timeout)])
        }
        return connection
    }
}
