import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// Issue 13: events pruned while the server could not read them (an outage longer than the retention,
/// a bulk write past EVENT_RETENTION_COUNT) are never passed over in silence: the room's clients get
/// `resync` with `history-expired`, then the live stream.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct PrunedBeforeDeliveryTests {
    @Test func eventsPrunedDuringAListenerOutageSendItsSubscribersToResync() async throws {
        // Pruning is global to a log, and connections are refused for a while: a database of its own.
        let scratch = try await ScratchDatabase.create()
        do {
            try await withServer(.postgres, databaseURL: scratch.url) { app in try await check(app, database: scratch.name) }
        } catch {
            _ = try? await RawSQL.execute("ALTER DATABASE \(scratch.name) WITH ALLOW_CONNECTIONS true")
            await scratch.drop()
            throw error
        }
        await scratch.drop()
    }

    private func check(_ app: TestApplication, database: String) async throws {
        let board = try await LiveBoard.make(app)
        let (stream, _) = try await board.subscribe()
        defer { stream.close() }

        // The listener loses its connection and cannot get a new one; the pool keeps its sessions.
        try await RawSQL.execute("ALTER DATABASE \(database) WITH ALLOW_CONNECTIONS false")
        let terminated = try await RawSQL.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND query ILIKE 'LISTEN%'", [database])
        #expect(terminated == 1)
        for title in ["a", "b", "c", "d"] { try await board.addTask(title) }
        let pruned = try await app.application.store.pruneEvents(olderThan: Timestamp(millisecondsSinceEpoch: 0), keepingAtMost: 2)
        #expect(pruned == 6)

        try await RawSQL.execute("ALTER DATABASE \(database) WITH ALLOW_CONNECTIONS true")
        let resync = try await stream.next()
        #expect(resync.event == "resync")
        #expect(resync.json == ["reason": "history-expired"])
        let taskId = try await board.addTask("after")
        let messages = try await stream.next(2)
        #expect(messages.map(\.event) == ["task-created", "history-update"])
        #expect(messages[0].json["task"]?["id"]?.stringValue == taskId)
    }
}
