import Postgres

/// Why the schema could not be brought up to date (the server does not start without it).
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The bundled files could not be found or read.
        case unreadable
        /// A file is not named `NNNN_name.sql`, or two share a version.
        case invalidName
        /// An applied migration's text differs from the bundled file: the schema may not be what the code expects.
        case modified
        /// PostgreSQL refused a statement or was unreachable.
        case database
    }

    public let kind: Kind
    public let message: String
    /// The underlying database error, for `.database`.
    public let underlying: PostgresError?

    public init(_ kind: Kind, _ message: String, underlying: PostgresError? = nil) {
        self.kind = kind
        self.message = message
        self.underlying = underlying
    }

    public var description: String {
        underlying.map { "migration failed: \(message): \($0)" } ?? "migration failed: \(message)"
    }
}
