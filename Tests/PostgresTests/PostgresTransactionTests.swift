import Postgres
import Testing
import TestSupport

@Suite(.enabled(if: TestDatabase.isAvailable))
struct PostgresTransactionTests {
    struct Abort: Error {}

    /// A real table (not TEMP) so that other sessions of the pool see what was committed.
    private func withTable(_ body: (PostgresPool, String) async throws -> Void) async throws {
        let pool = PostgresTestHelpers.makePool(size: 2)
        let table = PostgresTestHelpers.uniqueTableName("pg_tx")
        try await pool.withConnection { try $0.execute("CREATE TABLE \(table) (id int PRIMARY KEY)") }
        do {
            try await body(pool, table)
        } catch {
            _ = try? await pool.withConnection { try $0.execute("DROP TABLE IF EXISTS \(table)") }
            await pool.shutdown()
            throw error
        }
        try await pool.withConnection { try $0.execute("DROP TABLE IF EXISTS \(table)") }
        await pool.shutdown()
    }

    private func count(_ pool: PostgresPool, _ table: String) async throws -> Int? {
        try await pool.withConnection { try $0.query("SELECT count(*) AS n FROM \(table)").first?.int("n") }
    }

    @Test func aCommittedTransactionIsVisible() async throws {
        try await withTable { pool, table async throws in
            let value = try await pool.withTransaction { connection in
                try connection.execute("INSERT INTO \(table) VALUES ($1), ($2)", ["1", "2"])
                return "done"
            }
            #expect(value == "done")
            #expect(try await count(pool, table) == 2)
        }
    }

    @Test func aThrownErrorRollsBackAndIsRethrown() async throws {
        try await withTable { pool, table async throws in
            await #expect(throws: Abort.self) {
                try await pool.withTransaction { connection in
                    try connection.execute("INSERT INTO \(table) VALUES ($1)", ["1"])
                    throw Abort()
                }
            }
            #expect(try await count(pool, table) == 0)
        }
    }

    @Test func aFailedStatementRollsBackEverything() async throws {
        try await withTable { pool, table async throws in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    try connection.execute("INSERT INTO \(table) VALUES ($1)", ["1"])
                    try connection.execute("INSERT INTO \(table) VALUES ($1)", ["2"])
                    try connection.execute("INSERT INTO \(table) VALUES ($1)", ["1"])
                }
            }
            #expect(error?.sqlState == "23505")
            #expect(try await count(pool, table) == 0)
        }
    }

    @Test func aSwallowedStatementErrorStillFailsTheCommit() async throws {
        try await withTable { pool, table async throws in
            let error = await #expect(throws: PostgresError.self) {
                try await pool.withTransaction { connection in
                    try connection.execute("INSERT INTO \(table) VALUES ($1)", ["1"])
                    _ = try? connection.execute("INSERT INTO \(table) VALUES ($1)", ["1"])
                    return 0
                }
            }
            #expect(error?.sqlState == "25P02")
            #expect(try await count(pool, table) == 0)
        }
    }

    @Test func theIsolationLevelIsApplied() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1)
        defer { Task { await pool.shutdown() } }
        for (level, expected) in [(IsolationLevel.readCommitted, "read committed"),
                                  (.repeatableRead, "repeatable read"), (.serializable, "serializable")] {
            let shown = try await pool.withTransaction(isolation: level) { connection in
                try connection.query("SHOW transaction_isolation").first?.string("transaction_isolation")
            }
            #expect(shown == expected)
        }
    }

    @Test func aTransactionLeftOpenIsRolledBackBeforeTheNextCaller() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1)
        defer { Task { await pool.shutdown() } }
        let table = PostgresTestHelpers.uniqueTableName("pg_left_open")
        let firstPID = try await pool.withConnection { connection in
            try connection.execute("BEGIN")
            try connection.execute("CREATE TEMP TABLE \(table) (id int)")
            return try connection.query("SELECT pg_backend_pid() AS pid").first?.int("pid")
        }
        let (secondPID, tableExists, inTransaction) = try await pool.withConnection { connection in
            let row = try #require(try connection.query(
                "SELECT pg_backend_pid() AS pid, to_regclass($1) IS NOT NULL AS present, "
                    + "pg_current_xact_id_if_assigned() IS NOT NULL AS assigned",
                ["pg_temp.\(table)"]).first)
            return (try row.int("pid"), try row.bool("present"), try row.bool("assigned"))
        }
        // Same session (it was reusable), but the temp table created in the open transaction is gone.
        #expect(secondPID == firstPID)
        #expect(tableExists == false)
        #expect(inTransaction == false)
    }
}
