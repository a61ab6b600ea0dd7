import Foundation
import Postgres
import Sockets
import Testing
import TestSupport

/// Stops and restarts a cluster of its own, so other suites sharing the test cluster are not disturbed.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct PostgresRestartTests {
    @Test func thePoolFailsFastWhileTheServerIsDownAndRecoversByItself() async throws {
        let server = try await offThePool { try ThrowawayPostgres.start() }
        defer { server.destroy() }
        let pool = PostgresTestHelpers.makePool(size: 2, url: server.url)
        let loop = try EventLoop(name: "pg-restart-test")
        try loop.start()
        defer { loop.stop() }

        try await pool.withConnection { connection in
            try connection.execute("CREATE TABLE items (id int PRIMARY KEY)")
            try connection.execute("INSERT INTO items VALUES ($1)", ["1"])
        }
        let listener = try await NotificationConnection.connect(
            connectionString: server.url, channel: "events", loop: loop, logger: .init(label: "postgres-tests"))
        defer { listener.close() }
        let listening = Task { try await listener.nextNotifications() }

        try await offThePool { try server.stop() }

        let listenerError = await #expect(throws: PostgresError.self) {
            try await withHangGuard { try await listening.value }
        }
        #expect(listenerError?.isConnectionProblem == true)

        // Every call fails (never hangs) with a connection error while the server is down.
        for _ in 0..<4 {
            let error = await #expect(throws: PostgresError.self) {
                try await withHangGuard {
                    try await pool.withConnection { try $0.query("SELECT count(*) AS n FROM items") }
                }
            }
            #expect(error?.isConnectionProblem == true)
        }
        #expect(try await withHangGuard { await pool.isReachable() } == false)
        #expect(pool.statistics().openConnections == 0)

        try await offThePool { try server.startAgain() }

        // The same pool, not recreated, works again at the first call.
        let count = try await pool.withConnection { try $0.query("SELECT count(*) AS n FROM items").first?.int("n") }
        #expect(count == 1)
        #expect(await pool.isReachable())

        // A fresh listener works after the outage.
        let again = try await NotificationConnection.connect(
            connectionString: server.url, channel: "events", loop: loop, logger: .init(label: "postgres-tests"))
        defer { again.close() }
        try await pool.withConnection { try $0.execute("SELECT pg_notify('events', 'back')") }
        let delivered = try await withHangGuard { try await again.nextNotifications() }
        #expect(delivered.map(\.payload) == ["back"])
        await pool.shutdown()
    }

    @Test func idleSessionsCutByARestartAreReplacedBeforeUse() async throws {
        let server = try await offThePool { try ThrowawayPostgres.start() }
        defer { server.destroy() }
        let pool = PostgresTestHelpers.makePool(size: 1, url: server.url)
        let before = try await pool.withConnection { try $0.query("SELECT pg_backend_pid() AS pid").first?.int("pid") }
        try await offThePool { try server.restart() }
        // pg_ctl waits until every old backend has exited, so the idle session is already cut.
        let after = try await pool.withConnection { try $0.query("SELECT pg_backend_pid() AS pid").first?.int("pid") }
        #expect(after != nil)
        #expect(after != before)
        await pool.shutdown()
    }

    @Test func aTransactionCutMidwayIsAConnectionErrorAndWritesNothing() async throws {
        let server = try await offThePool { try ThrowawayPostgres.start() }
        defer { server.destroy() }
        let pool = PostgresTestHelpers.makePool(size: 1, url: server.url)
        try await pool.withConnection { try $0.execute("CREATE TABLE items (id int PRIMARY KEY)") }

        let error = await #expect(throws: PostgresError.self) {
            try await withHangGuard {
                try await pool.withTransaction { connection in
                    try connection.execute("INSERT INTO items VALUES ($1)", ["1"])
                    // Restarting from inside the transaction cuts its session between two statements.
                    try server.restart()
                    try connection.execute("INSERT INTO items VALUES ($1)", ["2"])
                }
            }
        }
        #expect(error?.isConnectionProblem == true)
        let count = try await pool.withConnection { try $0.query("SELECT count(*) AS n FROM items").first?.int("n") }
        #expect(count == 0)
        await pool.shutdown()
    }
}
