/// The rows (text format) and command tag of one statement.
public struct PostgresResult: Sendable {
    public let columns: [String]
    public let rows: [PostgresRow]
    /// The server's command tag, e.g. `INSERT 0 1` or `COMMIT`.
    public let commandTag: String
    /// Rows affected by INSERT/UPDATE/DELETE/MERGE (also with RETURNING), or returned by SELECT; 0 otherwise.
    public let affectedRows: Int

    /// The first row, if any.
    public var first: PostgresRow? { rows.first }

    /// Creates a result from decoded values (the module builds these from libpq results).
    public init(columns: [String], values: [[String?]], commandTag: String = "", affectedRows: Int = 0) {
        let layout = PostgresColumnLayout(names: columns)
        self.columns = columns
        self.rows = values.map { PostgresRow(layout: layout, values: $0) }
        self.commandTag = commandTag
        self.affectedRows = affectedRows
    }
}
