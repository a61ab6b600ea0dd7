import CLibPQ
import Logging

/// One libpq session (`PGconn`), used by one thread at a time: the pool's worker thread, or the
/// notification connection under its lock. Every call here blocks until the server answers.
public final class PostgresConnection {
    let handle: OpaquePointer
    let options: PostgresConnectionOptions
    private let noticeSink: PostgresNoticeSink
    private(set) var isClosed = false
    /// Statements prepared on this session, by SQL text (prepared statements outlive transactions).
    var preparedNames: [String: String] = [:]
    /// Numbers the next prepared statement's name (never reused, even after a failed PREPARE).
    private var preparedNumber = 0
    /// How many times this session sent work and waited for the server's answer (a statement, a
    /// PREPARE, a script, or a whole pipeline): what a write costs in network waits.
    public internal(set) var roundTrips = 0

    init(handle: OpaquePointer, options: PostgresConnectionOptions, logger: Logger) {
        self.handle = handle
        self.options = options
        noticeSink = PostgresNoticeSink(logger: logger, options: options)
        noticeSink.install(on: handle)
    }

    deinit {
        close()
    }

    /// The server process serving this session (as `pg_backend_pid()` reports it).
    public var backendProcessID: Int32 { PQbackendPID(handle) }

    /// Runs one statement with `$1…$n` parameters sent separately in text format (nil is SQL NULL).
    public func query(_ sql: String, _ parameters: [String?] = []) throws -> PostgresResult {
        try Self.refuseNUL(in: parameters)
        guard !isClosed else { throw Self.closedError }
        let values = PostgresCStrings(parameters)
        if let name = try preparedStatement(for: sql, parameterCount: parameters.count) {
            roundTrips += 1
            let result = values.withPointers { pointers in
                PQexecPrepared(handle, name, Int32(parameters.count), pointers, nil, nil, 0)
            }
            return try consume(result)
        }
        roundTrips += 1
        let result = values.withPointers { pointers in
            PQexecParams(handle, sql, Int32(parameters.count), nil, pointers, nil, nil, 0)
        }
        return try consume(result)
    }

    static func refuseNUL(in parameters: [String?]) throws {
        for (index, parameter) in parameters.enumerated() where parameter?.utf8.contains(0) == true {
            // A C string would silently end at the NUL; PostgreSQL text cannot hold one anyway.
            throw PostgresError(kind: .query, sqlState: "22021",
                                message: "parameter $\(index + 1) contains a NUL character")
        }
    }

    /// The name the next statement prepared on this session gets, nil when statements are not prepared
    /// (the option is off, or the cache is full).
    func nextPreparedName() -> String? {
        guard options.preparesStatements, preparedNames.count < Self.maximumPreparedStatements else { return nil }
        preparedNumber += 1
        return "campaign_\(preparedNumber)"
    }

    /// The name of this session's prepared statement for `sql`, preparing it on first use; nil when
    /// statements are not prepared (the option is off, or the cache is full).
    ///
    /// Preparing once per session spares the server a parse and a plan on every call: these
    /// statements are short, so planning was a large share of their cost. The SQL texts come from
    /// this program (values are always parameters), so their number is small and bounded.
    private func preparedStatement(for sql: String, parameterCount: Int) throws -> String? {
        if let name = preparedNames[sql] { return name }
        guard let name = nextPreparedName() else { return nil }
        roundTrips += 1
        _ = try consume(PQprepare(handle, name, sql, Int32(parameterCount), nil))
        preparedNames[sql] = name
        return name
    }

    static let maximumPreparedStatements = 500

    /// Runs one statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> Int {
        try query(sql, parameters).affectedRows
    }

    /// Runs trusted SQL that may hold several statements (migration files) through the simple
    /// protocol; it takes no parameters, so it must never contain data.
    public func executeScript(_ sql: String) throws {
        guard !isClosed else { throw Self.closedError }
        roundTrips += 1
        _ = try consume(PQexec(handle, sql))
    }

    /// Closes the session; later calls fail with a connection error.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        PQfinish(handle)
    }

    static let closedError = PostgresError(kind: .connection, message: "the connection is closed")

    /// Decodes `result` and frees it, whatever happens.
    func consume(_ result: OpaquePointer?) throws -> PostgresResult {
        guard let result else {
            throw PostgresDiagnostics.error(result: nil, handle: handle, options: options)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE:
            return Self.decode(result)
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(columns: [], values: [], commandTag: Self.commandTag(result),
                                  affectedRows: Self.affectedRows(result))
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw PostgresDiagnostics.error(result: result, handle: handle, options: options)
        default:
            // COPY and pipeline states are never started by this module's callers.
            throw PostgresError(kind: .query, message: "unsupported result status \(String(cString: PQresStatus(PQresultStatus(result))))")
        }
    }

    private static func decode(_ result: OpaquePointer) -> PostgresResult {
        let columnCount = PQnfields(result)
        let rowCount = PQntuples(result)
        var columns: [String] = []
        columns.reserveCapacity(Int(columnCount))
        for column in 0..<columnCount {
            columns.append(PQfname(result, column).map { String(cString: $0) } ?? "")
        }
        var rows: [[String?]] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, row, column)))
                }
            }
            rows.append(values)
        }
        let tag = commandTag(result)
        let affected = tag.hasPrefix("SELECT") ? Int(rowCount) : affectedRows(result)
        return PostgresResult(columns: columns, values: rows, commandTag: tag, affectedRows: affected)
    }

    private static func commandTag(_ result: OpaquePointer) -> String {
        PQcmdStatus(result).map { String(cString: $0) } ?? ""
    }

    private static func affectedRows(_ result: OpaquePointer) -> Int {
        PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? 0
    }
}
