import Postgres
import Synchronization
import Testing
import TestSupport

/// `sessionSetup` and `openSessions()`: sessions opened and warmed up before their first use.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct SessionSetupTests {
    private func makePool(size: Int, setup: @escaping PostgresPool.SessionSetup) -> PostgresPool {
        PostgresTestHelpers.makePool(size: size, sessionSetup: setup)
    }

    @Test func openSessionsOpensEverySessionThroughTheSetUpBeforeReturning() async throws {
        let backends = Mutex<Set<Int32>>([])
        let pool = makePool(size: 3) { connection in
            let pid = try connection.query("SELECT pg_backend_pid() AS pid").first?.int("pid")
            backends.withLock { _ = $0.insert(Int32(pid ?? -1)) }
        }
        defer { Task { await pool.shutdown() } }
        #expect(pool.statistics().openConnections == 0)
        await pool.openSessions()
        #expect(pool.statistics().openConnections == 3)
        #expect(pool.statistics().workerThreads == 3)
        #expect(backends.withLock { $0.count } == 3, "one set-up per session, each on its own server process")
        // Using them opens nothing more and sets nothing up again.
        for _ in 0..<6 { #expect(await pool.isReachable()) }
        #expect(pool.statistics().openConnections == 3)
        #expect(backends.withLock { $0.count } == 3)
        await pool.openSessions()  // nothing left to open
        #expect(pool.statistics().workerThreads == 3)
    }

    @Test func aLazilyOpenedSessionIsSetUpToo() async throws {
        let calls = Atomic<Int>(0)
        let pool = makePool(size: 2) { _ in calls.add(1, ordering: .relaxed) }
        defer { Task { await pool.shutdown() } }
        #expect(await pool.isReachable())
        #expect(calls.load(ordering: .relaxed) == 1)
    }

    @Test func aFailingSetUpOrOneLeftInATransactionStillLeavesAnIdleUsableSession() async throws {
        for failing in [true, false] {
            let pool = makePool(size: 1) { connection in
                try connection.execute("BEGIN")
                _ = try connection.query("SELECT set_config('app.marker', 'left open', true)")
                if failing { _ = try connection.query("SELECT 1 / 0") }
            }
            await pool.openSessions()
            #expect(pool.statistics().openConnections == 1)
            let state = try await pool.withConnection { connection in
                // Inside the set-up's transaction the marker would still be set (or, failed, this would throw 25P02).
                try connection.query("SELECT coalesce(current_setting('app.marker', true), '') = '' AS outside_a_transaction")
                    .first?.bool("outside_a_transaction")
            }
            #expect(state == true, "failing: \(failing)")
            await pool.shutdown()
        }
    }
}
