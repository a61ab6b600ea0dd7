import APITestSupport
import CampaignModel
import Dispatch
import Logging
import Postgres
import ServerConfiguration
import Synchronization
import Testing
import TestSupport

/// A transaction left open on a task of campaign A (as in psql: BEGIN; UPDATE campaign_tasks …; and no
/// COMMIT) stalls only campaign A: writes to campaign B go through untouched, and writes to A fail
/// fast with 503 `campaign_busy` and Retry-After after the lock timeout, not the statement timeout.
/// On a PostgreSQL server of its own: another test's statement that locks the whole table (a refused
/// TRUNCATE) would queue behind the held transaction, and every writer of the table behind it.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct StuckTransactionTests {
    @Test func aTransactionLeftOpenInOneCampaignStallsNoOther() async throws {
        let database = try ThrowawayPostgres.start()
        defer { database.destroy() }
        try await withServer(.postgres, settings: {
            $0.database.url = database.url
            $0.database.lockTimeoutMilliseconds = 500
        }) { app in
            let stuck = try await Board.make(app)
            let other = try await Board.make(app)
            let held = try #require(try await stuck.addTask("held")["id"]?.stringValue)
            let stuckNeighbour = try #require(try await stuck.addTask("neighbour")["id"]?.stringValue)
            var otherTask = try #require(try await other.addTask("free")["id"]?.stringValue)

            let transaction = try await HeldTransaction.open(
                database.url, "UPDATE campaign_tasks SET title = 'left open in psql' WHERE id = $1::uuid", [held])
            defer { transaction.release() }

            // Campaign B: every kind of write, several times, while A's lock is held.
            for round in 0..<3 {
                #expect(try await other.client.request("PATCH", other.taskPath(otherTask), json: ["title": .string("edit \(round)")]).status == 200)
                #expect(try await other.client.request("POST", other.taskPath(otherTask) + "/move",
                                                       json: ["phaseId": .string(other.phases[1]), "position": 0]).status == 200)
                #expect(try await other.client.request("DELETE", other.taskPath(otherTask)).status == 204)
                otherTask = try #require(try await other.addTask("free \(round)")["id"]?.stringValue)
            }
            // Reading campaign A takes no lock.
            #expect(try await stuck.client.request("GET", "/api/campaigns/\(stuck.id)/execution").status == 200)

            // Campaign A: each write waits the lock timeout (0.5 s), far below the statement timeout (15 s).
            let writes: [(String, String, JSONValue?)] = [
                ("PATCH", stuck.taskPath(stuckNeighbour), ["title": "blocked"]),
                ("POST", stuck.taskPath(stuckNeighbour) + "/move", ["phaseId": .string(stuck.phases[1]), "position": 0]),
                ("DELETE", stuck.taskPath(stuckNeighbour), nil),
                ("POST", stuck.tasksPath, ["phaseId": .string(stuck.phases[0]), "title": "blocked"]),
            ]
            for (method, path, body) in writes {
                let started = ContinuousClock.now
                let response = try await stuck.client.request(method, path, json: body)
                expectError(response, 503, code: "campaign_busy")
                #expect(response.header("Retry-After") != nil, "\(method) \(path)")
                #expect(ContinuousClock.now - started < .seconds(10), "\(method) \(path) waited for the statement timeout")
            }

            // Once the transaction ends, campaign A is writable again, and nothing of the failed writes was kept.
            transaction.release()
            try await transaction.finished()
            #expect(try await stuck.client.request("PATCH", stuck.taskPath(stuckNeighbour), json: ["title": "free again"]).status == 200)
            let tasks = try await stuck.client.request("GET", "/api/campaigns/\(stuck.id)/execution").json["tasks"]?.arrayValue ?? []
            #expect(tasks.compactMap { $0["title"]?.stringValue }.sorted() == ["free again", "held"])
        }
    }
}

/// A transaction opened with plain SQL on a session of its own, left open (its session idle in the
/// transaction, holding its locks) until `release()`, then rolled back.
final class HeldTransaction: Sendable {
    private let pool: PostgresPool
    private let task: Task<Void, any Error>
    private let releaseSignal: DispatchSemaphore
    private let released = Mutex(false)

    private init(pool: PostgresPool, task: Task<Void, any Error>, releaseSignal: DispatchSemaphore) {
        self.pool = pool
        self.task = task
        self.releaseSignal = releaseSignal
    }

    /// Runs BEGIN and `sql`, and returns once `sql` has run (its locks are held).
    static func open(_ databaseURL: String, _ sql: String, _ parameters: [String?]) async throws -> HeldTransaction {
        let pool = PostgresPool(configuration: .init(connectionString: databaseURL, size: 1, preparesStatements: true),
                                logger: Logger(label: "held-transaction"))
        let (opened, gate) = AsyncStream<Void>.makeStream()
        let releaseSignal = DispatchSemaphore(value: 0)
        let task = Task {
            try await pool.withConnection { connection in
                defer { gate.finish() }
                try connection.execute("BEGIN")
                try connection.execute(sql, parameters)
                gate.yield()
                releaseSignal.wait()  // blocks this pool's own worker thread only
                try connection.execute("ROLLBACK")
            }
        }
        var iterator = opened.makeAsyncIterator()
        guard await iterator.next() != nil else {
            try await task.value
            throw SetupFailure("the transaction did not open")
        }
        return HeldTransaction(pool: pool, task: task, releaseSignal: releaseSignal)
    }

    /// Lets the transaction roll back (once; later calls do nothing).
    func release() {
        let first = released.withLock { wasReleased in
            defer { wasReleased = true }
            return !wasReleased
        }
        if first { releaseSignal.signal() }
    }

    /// Waits for the rollback, then closes the session.
    func finished() async throws {
        try await task.value
        await pool.shutdown()
    }
}
