import Postgres
import Testing
import TestSupport

@Suite(.enabled(if: TestDatabase.isAvailable))
struct PostgresPoolTests {
    /// Polls a condition that another thread makes true; the bound only turns a hang into a failure.
    private func eventually(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<6000 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    /// Takes the pool's one session (with a query on it) and keeps it until `gate` opens; returns once it is held.
    private func holdTheOnlySession(of pool: PostgresPool) async -> (gate: Gate, holder: Task<Void, any Error>) {
        let gate = Gate()
        let (started, startedContinuation) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await pool.withConnection { connection in
                try connection.execute("SELECT 1")
                startedContinuation.yield()
                gate.wait()
            }
        }
        for await _ in started { break }
        return (gate, holder)
    }

    @Test func connectionsOpenLazily() async throws {
        let pool = PostgresTestHelpers.makePool(size: 3)
        #expect(pool.statistics().openConnections == 0)
        #expect(pool.statistics().workerThreads == 0)
        #expect(await pool.isReachable())
        #expect(pool.statistics().openConnections == 1)
        await pool.shutdown()
        #expect(pool.statistics().openConnections == 0)
        #expect(pool.statistics().workerThreads == 0)
    }

    @Test func moreCallersThanConnectionsAllComplete() async throws {
        let pool = PostgresTestHelpers.makePool(size: 2)
        let callers = 24
        let results = try await withThrowingTaskGroup(of: (Int, Int, Int32).self) { group in
            for index in 0..<callers {
                group.addTask {
                    try await pool.withConnection { connection in
                        let row = try #require(try connection.query(
                            "SELECT $1::int * 2 AS doubled, pg_backend_pid() AS pid, pg_sleep(0.01)", [String(index)]).first)
                        return (index, try row.int("doubled") ?? -1, Int32(try row.int("pid") ?? -1))
                    }
                }
            }
            var collected: [(Int, Int, Int32)] = []
            for try await result in group { collected.append(result) }
            return collected
        }
        #expect(results.count == callers)
        #expect(results.allSatisfy { $0.1 == $0.0 * 2 })
        #expect(Set(results.map(\.2)).count <= 2)
        #expect(pool.statistics().openConnections <= 2)
        await pool.shutdown()
    }

    @Test func waitingBeyondTheAcquireTimeoutFails() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1, acquireTimeoutSeconds: 1)
        let (gate, holder) = await holdTheOnlySession(of: pool)
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.query("SELECT 1") }
        }
        #expect(error?.kind == .poolTimeout)
        #expect(pool.statistics().waitingRequests == 0)
        gate.open()
        try await holder.value
        #expect(await pool.isReachable())
        await pool.shutdown()
    }

    @Test func waitersAreServedInArrivalOrder() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1, acquireTimeoutSeconds: 600)
        let (gate, holder) = await holdTheOnlySession(of: pool)
        let order = Recorder<Int>()
        var waiters: [Task<Void, any Error>] = []
        for index in 0..<6 {
            waiters.append(Task {
                try await pool.withConnection { _ in order.append(index) }
            })
            // Each waiter is queued before the next one starts, so arrival order is known.
            #expect(try await eventually { pool.statistics().waitingRequests == index + 1 })
        }
        gate.open()
        try await holder.value
        for waiter in waiters { try await waiter.value }
        #expect(order.all == Array(0..<6))
        await pool.shutdown()
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1, acquireTimeoutSeconds: 600)
        let (gate, holder) = await holdTheOnlySession(of: pool)
        let ran = Recorder<Bool>()
        let waiter = Task {
            try await pool.withConnection { _ in ran.append(true) }
        }
        #expect(try await eventually { pool.statistics().waitingRequests == 1 })
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(pool.statistics().waitingRequests == 0)
        gate.open()
        try await holder.value
        #expect(await pool.isReachable())
        #expect(ran.all.isEmpty)
        await pool.shutdown()
    }

    @Test func aTerminatedSessionIsReplacedWithoutAFailedCall() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1)
        let admin = PostgresTestHelpers.makePool(size: 1)
        let firstPID = try #require(try await pool.withConnection { try $0.query("SELECT pg_backend_pid() AS pid").first?.int("pid") })
        let terminated = try await admin.withConnection { connection in
            // The timeout argument makes the call wait until the backend has really exited.
            try connection.query("SELECT pg_terminate_backend($1::int, 10000) AS done", [String(firstPID)]).first?.bool("done")
        }
        #expect(terminated == true)
        let secondPID = try await pool.withConnection { try $0.query("SELECT pg_backend_pid() AS pid").first?.int("pid") }
        #expect(secondPID != nil)
        #expect(secondPID != firstPID)
        await pool.shutdown()
        await admin.shutdown()
    }

    @Test func callsAfterShutdownFail() async throws {
        let pool = PostgresTestHelpers.makePool(size: 1)
        #expect(await pool.isReachable())
        await pool.shutdown()
        let error = await #expect(throws: PostgresError.self) {
            try await pool.withConnection { try $0.query("SELECT 1") }
        }
        #expect(error?.isConnectionProblem == true)
    }
}
