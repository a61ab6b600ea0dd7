import Foundation
import Postgres
import Sockets
import Testing
import TestSupport

@Suite(.enabled(if: TestDatabase.isAvailable))
struct NotificationConnectionTests {
    /// Collects notifications until `count` arrived (or the connection fails).
    private func collect(_ count: Int, from connection: NotificationConnection) async throws -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        while received.count < count {
            received += try await connection.nextNotifications()
        }
        return received
    }

    @Test func notificationsArriveInOrder() async throws {
        let loop = try EventLoop(name: "pg-notify-test")
        try loop.start()
        defer { loop.stop() }
        // A name that must be quoted: mixed case, a space and a double quote.
        let channel = "Campaign \"Events\" \(UUID().uuidString.prefix(8))"
        let listener = try await NotificationConnection.connect(
            connectionString: PostgresTestHelpers.url, channel: channel, loop: loop, logger: .init(label: "postgres-tests"))
        defer { listener.close() }
        #expect(listener.channel == channel)
        let pool = PostgresTestHelpers.makePool(size: 1)
        defer { Task { await pool.shutdown() } }

        let senderPID = try await pool.withTransaction { connection in
            for index in 0..<5 {
                try connection.execute("SELECT pg_notify($1, $2)", [channel, "in-transaction \(index)"])
            }
            return Int32(try connection.query("SELECT pg_backend_pid() AS pid").first?.int("pid") ?? 0)
        }
        for index in 0..<5 {
            try await pool.withConnection { try $0.execute("SELECT pg_notify($1, $2)", [channel, "single \(index)"]) }
        }
        // Another channel's notifications must not show up here.
        try await pool.withConnection { try $0.execute("SELECT pg_notify($1, $2)", [channel + "-other", "noise"]) }
        try await pool.withConnection { try $0.execute("SELECT pg_notify($1, $2)", [channel, "last"]) }

        let received = try await withHangGuard { try await collect(11, from: listener) }
        let expected = (0..<5).map { "in-transaction \($0)" } + (0..<5).map { "single \($0)" } + ["last"]
        #expect(received.map(\.payload) == expected)
        #expect(received.allSatisfy { $0.channel == channel })
        #expect(received.first?.processID == senderPID)
    }

    @Test func aLargeBurstIsDeliveredCompletely() async throws {
        let loop = try EventLoop(name: "pg-notify-test")
        try loop.start()
        defer { loop.stop() }
        let channel = "burst_\(UUID().uuidString.prefix(8))"
        let listener = try await NotificationConnection.connect(
            connectionString: PostgresTestHelpers.url, channel: channel, loop: loop, logger: .init(label: "postgres-tests"))
        defer { listener.close() }
        let pool = PostgresTestHelpers.makePool(size: 1)
        defer { Task { await pool.shutdown() } }
        // Payloads large enough that the burst spans many socket reads.
        try await pool.withConnection { connection in
            try connection.execute(
                "SELECT pg_notify($1, n::text || ':' || repeat('x', 4000)) FROM generate_series(1, 2000) AS n", [channel])
        }
        let received = try await withHangGuard { try await collect(2000, from: listener) }
        #expect(received.count == 2000)
        #expect(received.map { Int($0.payload.prefix { $0 != ":" }) } == (1...2000).map { Optional($0) })
    }

    @Test func cancellationReturnsAnEmptyBatch() async throws {
        let loop = try EventLoop(name: "pg-notify-test")
        try loop.start()
        defer { loop.stop() }
        let listener = try await NotificationConnection.connect(
            connectionString: PostgresTestHelpers.url, channel: "quiet_\(UUID().uuidString.prefix(8))",
            loop: loop, logger: .init(label: "postgres-tests"))
        defer { listener.close() }
        let waiting = Task { try await listener.nextNotifications() }
        waiting.cancel()
        let batch = try await withHangGuard { try await waiting.value }
        #expect(batch.isEmpty)
    }

    @Test func aTerminatedSessionThrows() async throws {
        let loop = try EventLoop(name: "pg-notify-test")
        try loop.start()
        defer { loop.stop() }
        let listener = try await NotificationConnection.connect(
            connectionString: PostgresTestHelpers.url, channel: "doomed_\(UUID().uuidString.prefix(8))",
            loop: loop, logger: .init(label: "postgres-tests"))
        defer { listener.close() }
        let waiting = Task { try await listener.nextNotifications() }
        let pool = PostgresTestHelpers.makePool(size: 1)
        defer { Task { await pool.shutdown() } }
        let terminated = try await pool.withConnection { connection in
            try connection.query("SELECT pg_terminate_backend($1::int, 10000) AS done",
                                 [String(listener.backendProcessID)]).first?.bool("done")
        }
        #expect(terminated == true)
        let error = await #expect(throws: PostgresError.self) {
            try await withHangGuard { try await waiting.value }
        }
        #expect(error?.isConnectionProblem == true)
        // Once failed it stays failed: the owner reconnects.
        await #expect(throws: PostgresError.self) { try await listener.nextNotifications() }
    }

    @Test func closingWakesAWaiter() async throws {
        let loop = try EventLoop(name: "pg-notify-test")
        try loop.start()
        defer { loop.stop() }
        let listener = try await NotificationConnection.connect(
            connectionString: PostgresTestHelpers.url, channel: "closing_\(UUID().uuidString.prefix(8))",
            loop: loop, logger: .init(label: "postgres-tests"))
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let waiting = Task {
            startedContinuation.yield()
            return try await listener.nextNotifications()
        }
        for await _ in started { break }
        listener.close()
        let error = await #expect(throws: PostgresError.self) {
            try await withHangGuard { try await waiting.value }
        }
        #expect(error?.kind == .connection)
    }

    @Test func anUnreachableServerFailsToConnect() async throws {
        let loop = try EventLoop(name: "pg-notify-test")
        try loop.start()
        defer { loop.stop() }
        let port = try PostgresTestHelpers.closedPort()
        let error = await #expect(throws: PostgresError.self) {
            try await NotificationConnection.connect(
                connectionString: "postgresql://app:Sup3rS3cretPw@127.0.0.1:\(port)/app?sslmode=disable",
                channel: "never", loop: loop, logger: .init(label: "postgres-tests"))
        }
        #expect(error?.isConnectionProblem == true)
        #expect(error?.message.contains("Sup3rS3cretPw") == false)
    }
}
