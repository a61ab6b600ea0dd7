import Postgres
import Testing
import TestSupport

/// `pipelinedTransaction`: several statements, one round trip, all or nothing.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct PipelinedTransactionTests {
    private func makePool(prepared: Bool) -> PostgresPool {
        PostgresTestHelpers.makePool(size: 1, preparesStatements: prepared)
    }

    private func table(_ pool: PostgresPool) async throws -> String {
        let name = "pipeline_\(UInt32.random(in: 0...UInt32.max))"
        try await pool.withConnection { try $0.executeScript("CREATE TABLE \(name) (id int PRIMARY KEY, note text NOT NULL)") }
        return name
    }

    private func notes(_ pool: PostgresPool, _ table: String) async throws -> [String] {
        try await pool.withConnection { connection in
            try connection.query("SELECT note FROM \(table) ORDER BY id").rows.map { try $0.requiredString("note") }
        }
    }

    @Test(arguments: [true, false])
    func everyStatementRunsInOneCommittedTransaction(prepared: Bool) async throws {
        let pool = makePool(prepared: prepared)
        defer { Task { await pool.shutdown() } }
        let table = try await table(pool)
        for round in 0..<3 {  // the second and third rounds use the statements prepared by the first
            let results = try await pool.withConnection { connection in
                try connection.pipelinedTransaction([
                    PostgresStatement("SELECT txid_current() AS tx, set_config('app.note', $1, true) AS setting", ["round \(round)"]),
                    PostgresStatement("INSERT INTO \(table) (id, note) VALUES ($1::int, current_setting('app.note')) RETURNING id", [String(round)]),
                    PostgresStatement("SELECT txid_current() AS tx, $1::text IS NULL AS was_null", [nil]),
                ])
            }
            #expect(results.count == 3)
            #expect(try results[1].first?.int("id") == round)
            #expect(try results[2].first?.bool("was_null") == true)
            #expect(try results[0].first?.int64("tx") == results[2].first?.int64("tx"), "one transaction")
        }
        #expect(try await notes(pool, table) == ["round 0", "round 1", "round 2"])
        // The session is idle and out of pipeline mode: ordinary calls work.
        #expect(try await pool.withConnection { try $0.query("SELECT 1 AS one").first?.int("one") } == 1)
    }

    @Test(arguments: [true, false])
    func aFailingStatementRollsBackEverythingAndTheSessionCarriesOn(prepared: Bool) async throws {
        let pool = makePool(prepared: prepared)
        defer { Task { await pool.shutdown() } }
        let table = try await table(pool)
        try await pool.withConnection { _ = try $0.execute("INSERT INTO \(table) VALUES (1, 'kept')") }
        for _ in 0..<2 {
            do {
                _ = try await pool.withConnection { connection in
                    try connection.pipelinedTransaction([
                        PostgresStatement("INSERT INTO \(table) (id, note) VALUES ($1::int, $2)", ["2", "rolled back"]),
                        PostgresStatement("INSERT INTO \(table) (id, note) VALUES ($1::int, $2)", ["1", "duplicate"]),
                        PostgresStatement("INSERT INTO \(table) (id, note) VALUES ($1::int, $2)", ["3", "skipped"]),
                    ])
                }
                Issue.record("a duplicate key must fail the pipeline")
            } catch let error as PostgresError {
                #expect(error.sqlState == "23505")
            }
        }
        #expect(try await notes(pool, table) == ["kept"])
        // A statement that fails to prepare fails the same way, and leaves nothing behind either.
        await #expect(throws: PostgresError.self) {
            try await pool.withConnection { connection in
                try connection.pipelinedTransaction([
                    PostgresStatement("INSERT INTO \(table) (id, note) VALUES ($1::int, $2)", ["4", "rolled back"]),
                    PostgresStatement("SELEC 1"),
                ])
            }
        }
        #expect(try await notes(pool, table) == ["kept"])
        let after = try await pool.withConnection { connection in
            try connection.pipelinedTransaction([PostgresStatement("INSERT INTO \(table) (id, note) VALUES ($1::int, $2)", ["5", "after"])])
        }
        #expect(after.count == 1)
        #expect(try await notes(pool, table) == ["kept", "after"])
    }

    @Test func aNULInAParameterIsRefusedBeforeAnythingIsSent() async throws {
        let pool = makePool(prepared: true)
        defer { Task { await pool.shutdown() } }
        do {
            _ = try await pool.withConnection { try $0.pipelinedTransaction([PostgresStatement("SELECT $1::text", ["a\0b"])]) }
            Issue.record("a NUL must be refused")
        } catch let error as PostgresError {
            #expect(error.sqlState == "22021")
        }
        #expect(try await pool.withConnection { try $0.query("SELECT 2 AS two").first?.int("two") } == 2)
    }
}
