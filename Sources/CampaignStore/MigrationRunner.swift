import Logging
import Postgres

/// Brings a database's schema up to date: each pending migration in version order, each in its own
/// transaction, recorded in `schema_migrations`. A second run applies nothing; two server instances
/// starting at once take turns on an advisory lock, so each file is applied exactly once.
public struct MigrationRunner: Sendable {
    public let pool: PostgresPool
    public let migrations: [Migration]
    private let logger: Logger

    /// `migrations` is usually `Migration.bundled()`.
    public init(pool: PostgresPool, migrations: [Migration], logger: Logger) {
        self.pool = pool
        self.migrations = migrations
        self.logger = logger
    }

    /// Applies what is pending; returns the versions this call applied (empty when up to date).
    @discardableResult
    public func run() async throws(MigrationError) -> [Int] {
        var applied: [Int] = []
        for migration in migrations {
            let didApply: Bool
            do {
                didApply = try await pool.withTransaction { connection in try Self.apply(migration, on: connection) }
            } catch let error as MigrationError {
                throw error
            } catch let error as PostgresError {
                throw MigrationError(.database, "\(migration.name) was not applied", underlying: error)
            } catch {
                throw MigrationError(.database, "\(migration.name) was not applied: \(error)")
            }
            if didApply {
                applied.append(migration.version)
                logger.info("[DB] migration applied", metadata: ["db.migration": "\(migration.name)"])
            }
        }
        logger.debug("[DB] schema up to date", metadata: ["db.migrations": "\(migrations.count)"])
        return applied
    }

    /// Held to the end of each migration's transaction: the check and the apply are one step.
    static let lockStatement = "SELECT pg_advisory_xact_lock(42003, 0)"

    static let createTable = """
        CREATE TABLE schema_migrations (
            version    integer PRIMARY KEY,
            name       text NOT NULL,
            checksum   text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """

    /// Runs inside the migration's transaction; false when it was applied before.
    private static func apply(_ migration: Migration, on connection: PostgresConnection) throws -> Bool {
        try connection.execute(lockStatement)
        // Checked rather than CREATE … IF NOT EXISTS, which would log a notice on every start.
        if try connection.query("SELECT to_regclass('schema_migrations') IS NULL AS missing").first?.bool("missing") == true {
            try connection.execute(createTable)
        }
        let version = String(migration.version)
        if let row = try connection.query(
            "SELECT checksum = md5($2) AS same FROM schema_migrations WHERE version = $1::int", [version, migration.sql]
        ).first {
            guard try row.bool("same") == true else {
                throw MigrationError(.modified, "\(migration.name) differs from the version applied to this database")
            }
            return false
        }
        try connection.executeScript(migration.sql)
        try connection.execute(
            "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1::int, $2, md5($3))",
            [version, migration.name, migration.sql])
        return true
    }
}
