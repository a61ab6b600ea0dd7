import CampaignModel
import CampaignStore
import Postgres
import ServerConfiguration
import Testing
import TestSupport

/// Every task write is one round trip to PostgreSQL (BEGIN, the campaign's lock, the statement, the
/// facts that explain a miss, COMMIT: one pipeline), whether it succeeds, changes nothing or fails,
/// so the campaign's lock is never held across a network wait. Counted by the session itself.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct PostgresRoundTripTests {
    /// A store on a one-session pool, so every write runs on the session whose round trips are counted.
    private func withCountingStore(_ body: (PostgresCampaignStore, Board) async throws -> Void) async throws {
        _ = try await SharedDatabase.store()  // migrated
        let pool = PostgresPool(configuration: .init(connectionString: TestDatabase.url ?? "", size: 1, preparesStatements: true), logger: testLogger)
        let store = PostgresCampaignStore(pool: pool, logger: testLogger, configuration: AppConfiguration().postgresStore)
        do {
            try await body(store, try await Board.make(store))
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }

    /// Round trips `write` took on the pool's only session.
    private func roundTrips(_ store: PostgresCampaignStore, _ write: () async throws -> Void) async throws -> Int {
        let before = try await store.pool.withConnection { $0.roundTrips }
        try await write()
        return try await store.pool.withConnection { $0.roundTrips } - before
    }

    @Test func eachSuccessfulWriteIsOneRoundTrip() async throws {
        try await withCountingStore { store, board in
            var task = try await board.addTask("warm")  // the first use of each statement prepares it in the same pipeline
            #expect(try await roundTrips(store) { task = try await board.addTask("counted") } == 1)
            #expect(try await roundTrips(store) {
                task = try await store.updateTask(campaignId: board.id, taskId: task.id, patch: TaskPatch(title: "edited"),
                                                  ifMatch: task.version, context: Board.editor)
            } == 1)
            #expect(task.title == "edited" && task.version == 2)
            #expect(try await roundTrips(store) {
                task = try await store.moveTask(campaignId: board.id, taskId: task.id, move: TaskMove(phaseId: board.phaseId(1), position: 0),
                                                ifMatch: task.version, context: Board.editor)
            } == 1)
            #expect(task.phaseId == board.phaseId(1) && task.version == 3)
            #expect(try await roundTrips(store) {
                try await store.deleteTask(campaignId: board.id, taskId: task.id, ifMatch: task.version, context: Board.editor)
            } == 1)
            #expect(try await store.task(campaignId: board.id, taskId: task.id) == nil)
        }
    }

    @Test func noOpsAndRefusedWritesAreOneRoundTripToo() async throws {
        try await withCountingStore { store, board in
            let task = try await board.addTask("kept")
            var answer: CampaignTask?
            #expect(try await roundTrips(store) {
                answer = try await store.updateTask(campaignId: board.id, taskId: task.id, patch: TaskPatch(title: "kept"),
                                                    ifMatch: nil, context: Board.editor)
            } == 1)
            #expect(answer == task, "a patch that changes nothing answers the task as it is")
            let refusals: [(StoreError?, String)] = [
                (.preconditionFailed(current: task), "stale If-Match"),
                (.notFound(.task), "unknown task"),
                (.notFound(.phase), "unknown phase"),
                (.notFound(.campaign), "unknown campaign"),
            ]
            var errors: [StoreError?] = []
            let writes: [() async throws -> Void] = [
                { _ = try await store.updateTask(campaignId: board.id, taskId: task.id, patch: TaskPatch(title: "x"), ifMatch: 9, context: Board.editor) },
                { try await store.deleteTask(campaignId: board.id, taskId: Identifier.random(), ifMatch: nil, context: Board.editor) },
                { _ = try await store.moveTask(campaignId: board.id, taskId: task.id, move: TaskMove(phaseId: Identifier.random(), position: 0),
                                               ifMatch: nil, context: Board.editor) },
                { _ = try await store.updateTask(campaignId: Identifier.random(), taskId: task.id, patch: TaskPatch(title: "x"),
                                                 ifMatch: nil, context: Board.editor) },
            ]
            for write in writes {
                #expect(try await roundTrips(store) { errors.append(await storeError(write)) } == 1)
            }
            #expect(errors == refusals.map(\.0), "\(refusals.map(\.1))")
        }
    }
}
