import Postgres
import Testing
import TestSupport

@Suite(.enabled(if: TestDatabase.isAvailable))
struct PostgresQueryTests {
    @Test func parametersAndTypesRoundTrip() async throws {
        let pool = PostgresTestHelpers.makePool()
        defer { Task { await pool.shutdown() } }
        let row = try await pool.withConnection { connection in
            try connection.query(
                "SELECT $1::int AS small, $2::bigint AS big, $3::boolean AS yes, $4::boolean AS no, "
                    + "$5::text AS words, $6::float8 AS ratio, $7::text AS missing",
                ["-42", "9007199254740993", "true", "f", "Ünïcødé 'quoted' \"double\" ; DROP TABLE x; --", "2.5", nil])
        }.first
        let values = try #require(row)
        #expect(try values.int("small") == -42)
        #expect(try values.int64("big") == 9_007_199_254_740_993)
        #expect(try values.bool("yes") == true)
        #expect(try values.bool("no") == false)
        #expect(try values.string("words") == "Ünïcødé 'quoted' \"double\" ; DROP TABLE x; --")
        #expect(try values.double("ratio") == 2.5)
        #expect(try values.string("missing") == nil)
        #expect(try values.int("missing") == nil)
        #expect(values.columns == ["small", "big", "yes", "no", "words", "ratio", "missing"])
    }

    @Test func decodingErrorsAreTyped() async throws {
        let pool = PostgresTestHelpers.makePool()
        defer { Task { await pool.shutdown() } }
        let row = try #require(try await pool.withConnection { connection in
            try connection.query("SELECT 'abc'::text AS word, NULL::text AS nothing")
        }.first)
        #expect(throws: PostgresError.self) { try row.string("nope") }
        let unknown = try? row.string("nope")
        #expect(unknown == nil)
        let notANumber = #expect(throws: PostgresError.self) { try row.int("word") }
        #expect(notANumber?.kind == .decoding)
        #expect(notANumber?.message.contains("abc") == false)
        let null = #expect(throws: PostgresError.self) { try row.requiredString("nothing") }
        #expect(null?.kind == .decoding)
        #expect(try row.requiredString("word") == "abc")
        #expect(throws: PostgresError.self) { try row.bool("word") }
    }

    @Test func resultsCarryRowsAndCounts() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1)
        defer { Task { await pool.shutdown() } }
        let table = PostgresTestHelpers.uniqueTableName("pg_query")
        let (inserted, updated, selected, empty) = try await pool.withConnection { connection in
            try connection.execute("CREATE TEMP TABLE \(table) (id int PRIMARY KEY, name text)")
            let inserted = try connection.execute(
                "INSERT INTO \(table) (id, name) SELECT n, 'n' || n FROM generate_series(1, $1::int) AS n", ["5"])
            let updated = try connection.execute("UPDATE \(table) SET name = $1 WHERE id > $2", ["big", "3"])
            let selected = try connection.query("SELECT id, name FROM \(table) ORDER BY id")
            let empty = try connection.query("SELECT id FROM \(table) WHERE id < 0")
            return (inserted, updated, selected, empty)
        }
        #expect(inserted == 5)
        #expect(updated == 2)
        #expect(selected.rows.count == 5)
        #expect(selected.affectedRows == 5)
        #expect(selected.commandTag == "SELECT 5")
        #expect(try selected.rows.map { try $0.requiredString("name") } == ["n1", "n2", "n3", "big", "big"])
        #expect(empty.rows.isEmpty)
        #expect(empty.first == nil)
        #expect(empty.columns == ["id"])
    }

    @Test func uniqueViolationCarriesItsSQLState() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1)
        defer { Task { await pool.shutdown() } }
        let table = PostgresTestHelpers.uniqueTableName("pg_unique")
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { connection in
                try connection.execute("CREATE TEMP TABLE \(table) (id int CONSTRAINT \(table)_pk PRIMARY KEY)")
                try connection.execute("INSERT INTO \(table) VALUES ($1)", ["1"])
                try connection.execute("INSERT INTO \(table) VALUES ($1)", ["1"])
            }
        }
        #expect(error?.kind == .query)
        #expect(error?.sqlState == "23505")
        #expect(error?.isUniqueViolation == true)
        #expect(error?.constraint == "\(table)_pk")
        #expect(error?.isConnectionProblem == false)
        // The connection stays usable after a statement error.
        #expect(await pool.isReachable())
    }

    @Test func syntaxAndTypeErrorsAreQueryErrors() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1)
        defer { Task { await pool.shutdown() } }
        let syntax = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.query("SELEC 1") }
        }
        #expect(syntax?.sqlState == "42601")
        let badInteger = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.query("SELECT $1::int", ["twelve"]) }
        }
        #expect(badInteger?.sqlState == "22P02")
        #expect(badInteger?.kind == .query)
    }

    @Test func aNulCharacterInAParameterIsRejectedNotTruncated() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1)
        defer { Task { await pool.shutdown() } }
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.query("SELECT $1::text AS value", ["before\u{0}after"]) }
        }
        #expect(error?.sqlState == "22021")
    }

    @Test func scriptsRunSeveralStatements() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1)
        defer { Task { await pool.shutdown() } }
        let table = PostgresTestHelpers.uniqueTableName("pg_script")
        let count = try await pool.withConnection { connection in
            try connection.executeScript("""
                CREATE TEMP TABLE \(table) (id int);
                INSERT INTO \(table) VALUES (1), (2);
                INSERT INTO \(table) VALUES (3);
                """)
            return try connection.query("SELECT count(*) AS n FROM \(table)").first?.int("n")
        }
        #expect(count == 3)
    }

    @Test func theStatementTimeoutIsApplied() async throws {
        let pool = PostgresPool(configuration: .init(connectionString: PostgresTestHelpers.url, size: 1,
                                                     statementTimeoutMilliseconds: 50, preparesStatements: true),
                                logger: .init(label: "postgres-tests"))
        defer { Task { await pool.shutdown() } }
        let setting = try await pool.withConnection { try $0.query("SHOW statement_timeout").first?.string("statement_timeout") }
        #expect(setting == "50ms")
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.query("SELECT pg_sleep(5)") }
        }
        #expect(error?.sqlState == "57014")
        #expect(error?.isConnectionProblem == false)
    }
}
