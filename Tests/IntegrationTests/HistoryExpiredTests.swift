import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// Resuming from before the retained history gets `resync` (`history-expired`); resuming inside it replays.
@Suite struct HistoryExpiredTests {
    @Test(arguments: TestStoreKind.available)
    func resumingFromBeforeThePrunedRangeIsToldToResync(kind: TestStoreKind) async throws {
        // Pruning is global to a log: a server of its own, on a database of its own for PostgreSQL.
        let scratch = kind == .postgres ? try await ScratchDatabase.create() : nil
        do {
            try await withServer(kind, databaseURL: scratch?.url) { app in try await check(app) }
        } catch {
            await scratch?.drop()
            throw error
        }
        await scratch?.drop()
    }

    private func check(_ app: TestApplication) async throws {
        let board = try await LiveBoard.make(app)
        for title in ["a", "b", "c", "d"] { try await board.addTask(title) }
        let logged = try await board.loggedEvents()
        #expect(logged.count == 8)
        // Nothing is old enough by age (epoch); the count keeps only the newest two.
        let pruned = try await app.application.store.pruneEvents(olderThan: Timestamp(millisecondsSinceEpoch: 0), keepingAtMost: 2)
        #expect(pruned == 6)

        for resumeAfter in [0, logged[0].id, logged[4].id] {
            let (stream, connected) = try await board.subscribe(lastEventId: resumeAfter)
            defer { stream.close() }
            #expect(connected.json["lastEventId"]?.intValue == logged.last?.id)
            let resync = try await stream.next()
            #expect(resync.event == "resync", "resumed after \(resumeAfter)")
            #expect(resync.json == ["reason": "history-expired"])
        }

        // From the last pruned id on, nothing is missing: the retained events replay, then live ones follow.
        let (stream, _) = try await board.subscribe(lastEventId: logged[5].id)
        defer { stream.close() }
        try await board.addTask("live")
        let messages = try await stream.next(throughTaskTitled: "live")
        #expect(messages.eventIds == Array(logged.suffix(2).ids) + (try await board.loggedEvents(after: logged[7].id)).ids)
        #expect(messages.count == 4)
    }
}
