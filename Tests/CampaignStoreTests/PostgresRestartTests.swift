import CampaignModel
import CampaignStore
import Foundation
import Postgres
import ServerConfiguration
import Testing
import TestSupport

/// A PostgreSQL server of the test's own goes away and comes back: every call fails with
/// `.unavailable` (a 503) while it is down, nothing is half-written, and the store recovers by itself.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct PostgresRestartTests {
    @Test func callsAreUnavailableWhileTheServerIsDownAndWorkAfter() async throws {
        let server = try ThrowawayPostgres.start()
        do {
            try await exercise(server)
        } catch {
            server.destroy()
            throw error
        }
        server.destroy()
    }

    private func exercise(_ server: ThrowawayPostgres) async throws {
        let pool = PostgresPool(
            configuration: .init(connectionString: server.url, size: 3, connectTimeoutSeconds: TestDatabase.connectTimeoutSeconds, acquireTimeoutSeconds: 30, preparesStatements: true),
            logger: testLogger)
        defer { Task { await pool.shutdown() } }
        try await PostgresCampaignStore.migrate(pool: pool, logger: testLogger)
        let store = PostgresCampaignStore(pool: pool, logger: testLogger, configuration: AppConfiguration().postgresStore)
        let board = try await Board.make(store)
        let kept = try await board.addTask("kept")

        try server.stop()
        #expect(await store.isReachable() == false)
        let lostId = Identifier.random()
        let failures: [StoreError?] = [
            await storeError { try await store.createTask(campaignId: board.id, draft: TaskDraft(
                id: lostId, phaseId: board.phaseId(0), title: "lost"), context: Board.editor) },
            await storeError { try await store.updateTask(campaignId: board.id, taskId: kept.id, patch: TaskPatch(title: "lost"),
                                                          ifMatch: nil, context: Board.editor) },
            await storeError { try await store.snapshot(campaignId: board.id, historyLimit: 50) },
            await storeError { try await store.events(campaignId: board.id, after: 0, limit: 10) },
            await storeError { try await store.latestEventId(campaignId: board.id) },
            await storeError { try await store.listCampaigns() },
        ]
        for failure in failures {
            guard case .unavailable = failure else {
                Issue.record("expected .unavailable, got \(String(describing: failure))")
                continue
            }
        }

        try server.startAgain()
        // Sessions broken by the restart are replaced on use; each attempt either works or is a 503.
        let snapshot = try await eventually { try await store.snapshot(campaignId: board.id, historyLimit: 50) }
        #expect(snapshot?.tasks.map(\.title) == ["kept"])
        #expect(await store.isReachable())
        #expect(try await store.task(campaignId: board.id, taskId: lostId) == nil)
        let after = try await eventually { try await board.addTask("after restart") }
        #expect(after.position == 1)
        #expect(try await board.titles(in: 0) == ["kept", "after restart"])

        // A restart while the pool holds open sessions (pg_ctl restart cuts them all).
        try server.restart()
        let moved = try await eventually {
            try await store.moveTask(campaignId: board.id, taskId: kept.id, move: TaskMove(phaseId: board.phaseId(1), position: 0),
                                     ifMatch: 1, context: Board.editor)
        }
        #expect(moved.version == 2 && moved.phaseId == board.phaseId(1))
        #expect(try await board.events().count == 6)
    }

    /// Retries while the store answers `.unavailable` (a few times: the pool replaces one broken session per failed call).
    private func eventually<T>(_ operation: () async throws -> T) async throws -> T {
        var lastError: StoreError?
        for _ in 0..<10 {
            do {
                return try await operation()
            } catch let error as StoreError {
                guard case .unavailable = error else { throw error }
                lastError = error
            }
        }
        throw lastError ?? StoreError.unavailable("no attempt was made")
    }
}
