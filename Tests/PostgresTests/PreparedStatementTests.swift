import Postgres
import Testing
import TestSupport

/// Statements are prepared once per session (unless switched off); these check what that must not change.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct PreparedStatementTests {
    private func makePool(prepared: Bool) -> PostgresPool {
        PostgresTestHelpers.makePool(size: 1, preparesStatements: prepared)
    }

    @Test(arguments: [true, false])
    func aStatementRunsAgainAfterARolledBackTransaction(prepared: Bool) async throws {
        let pool = makePool(prepared: prepared)
        defer { Task { await pool.shutdown() } }
        let sql = "SELECT $1::int + 1 AS next"
        for value in 0..<3 {
            #expect(try await pool.withConnection { try $0.query(sql, [String(value)]).first?.int("next") } == value + 1)
        }
        // A prepared statement outlives the transaction it was first used in, rolled back or not.
        await #expect(throws: PostgresError.self) {
            try await pool.withTransaction { connection in
                _ = try connection.query(sql, ["5"])
                _ = try connection.query("SELECT 1 / $1::int AS boom", ["0"])
            }
        }
        #expect(try await pool.withConnection { try $0.query(sql, ["9"]).first?.int("next") } == 10)
        let preparedOnServer = try await pool.withConnection {
            try $0.query("SELECT count(*)::int AS n FROM pg_prepared_statements").first?.int("n") ?? -1
        }
        if prepared {
            #expect(preparedOnServer >= 2, "the statements above and this one")
        } else {
            #expect(preparedOnServer == 0)
        }
    }

    @Test func aStatementThatCannotBePreparedFailsAsItWouldAndTheSessionCarriesOn() async throws {
        let pool = makePool(prepared: true)
        defer { Task { await pool.shutdown() } }
        for _ in 0..<2 {
            await #expect(throws: PostgresError.self) { try await pool.withConnection { try $0.query("SELEC 1") } }
        }
        // First seen inside a failed transaction: it fails there (25P02) and is prepared fresh afterwards.
        let fresh = "SELECT $1::text AS echoed"
        do {
            try await pool.withTransaction { connection in
                _ = try? connection.query("SELECT 1 / $1::int AS boom", ["0"])
                _ = try connection.query(fresh, ["inside"])
            }
            Issue.record("a statement in a failed transaction must fail")
        } catch let error as PostgresError {
            #expect(error.sqlState == "25P02")
        }
        #expect(try await pool.withConnection { try $0.query(fresh, ["after"]).first?.string("echoed") } == "after")
    }
}
