import Logging
import Postgres
import Testing

@Suite struct PostgresErrorTests {
    @Test func connectionProblemsAreRecognised() {
        #expect(PostgresError(kind: .connection, message: "gone").isConnectionProblem)
        #expect(PostgresError(kind: .query, sqlState: "08006", message: "failure").isConnectionProblem)
        #expect(PostgresError(kind: .query, sqlState: "57P01", message: "admin shutdown").isConnectionProblem)
        #expect(!PostgresError(kind: .query, sqlState: "23505", message: "duplicate").isConnectionProblem)
        #expect(!PostgresError(kind: .decoding, message: "bad").isConnectionProblem)
        #expect(!PostgresError(kind: .poolTimeout, message: "busy").isConnectionProblem)
    }

    @Test func descriptionCarriesTheSQLState() {
        let error = PostgresError(kind: .query, sqlState: "40001", message: "could not serialize access")
        #expect(error.description == "PostgreSQL query error [40001]: could not serialize access")
        #expect(error.isTransactionConflict)
        #expect(PostgresError(kind: .query, sqlState: "23505", message: "dup").isUniqueViolation)
    }

    @Test func configurationNeverPrintsTheConnectionString() {
        let configuration = PostgresPool.Configuration(connectionString: "postgresql://app:hunter2-secret@db/app", size: 1, preparesStatements: true)
        #expect(!"\(configuration)".contains("hunter2"))
        #expect(!String(reflecting: configuration).contains("hunter2"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("hunter2"))
    }

    @Test func anUnreachableServerFailsWithAConnectionErrorThatHidesThePassword() async throws {
        let port = try PostgresTestHelpers.closedPort()
        let logs = CapturedLogs()
        let pool = PostgresTestHelpers.makePool(
            size: 1, url: "postgresql://app:Sup3rS3cretPw@127.0.0.1:\(port)/app?sslmode=disable",
            logger: logs.logger())
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.query("SELECT 1") }
        }
        #expect(error?.isConnectionProblem == true)
        #expect(error?.sqlState == nil)
        #expect(error?.message.contains("Sup3rS3cretPw") == false)
        #expect(error?.message.isEmpty == false)
        #expect(await !pool.isReachable())
        await pool.shutdown()
        #expect(!logs.all.isEmpty)
        #expect(logs.all.allSatisfy { !$0.contains("Sup3rS3cretPw") })
    }

    @Test func aMalformedConnectionStringIsNotEchoed() async throws {
        let logs = CapturedLogs()
        let pool = PostgresTestHelpers.makePool(size: 1, url: "host=localhost password=Sup3rS3cretPw bogus",
                                                logger: logs.logger())
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.query("SELECT 1") }
        }
        #expect(error?.kind == .connection)
        #expect(error?.message.contains("Sup3rS3cretPw") == false)
        await pool.shutdown()
        #expect(logs.all.allSatisfy { !$0.contains("Sup3rS3cretPw") })
    }
}
