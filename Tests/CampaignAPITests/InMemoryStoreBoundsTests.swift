import APITestSupport
import CampaignModel
import CampaignStore
import ServerConfiguration
import Testing

/// Issue 12: the in-memory store (the default) holds bounded history and a byte-budgeted event log,
/// checked through the store's own statistics while the API keeps its answers.
@Suite struct InMemoryStoreBoundsTests {
    /// Only the newest `ExecutionSnapshot.historyLimit` entries are ever served, so only those are kept.
    @Test func historyKeepsTheNewestEntriesTheSnapshotServes() async throws {
        try await withServer(.memory) { app in
            let store = try #require(app.application.store as? InMemoryCampaignStore)
            let board = try await Board.make(app)
            let task = try #require(try await board.addTask("v0")["id"]?.stringValue)
            let updates = ExecutionSnapshot.historyLimit + 20
            for version in 1...updates {
                #expect(try await board.client.request("PATCH", board.taskPath(task), json: ["title": .string("v\(version)")]).status == 200)
            }
            #expect(store.statistics.historyEntries == ExecutionSnapshot.historyLimit)
            let history = try await board.history()
            #expect(history.count == ExecutionSnapshot.historyLimit)
            #expect(history.first?["changes"]?["title"]?["to"] == .string("v\(updates)"))
            #expect(history.last?["changes"]?["title"]?["to"] == .string("v\(updates - ExecutionSnapshot.historyLimit + 1)"))
        }
    }

    /// Events carry whole tasks: large descriptions fill the byte budget long before the count, the
    /// oldest are dropped, and a resume from before them is told to resync; a recent resume replays.
    @Test func theEventLogStaysWithinItsByteBudgetAndAPrunedResumeResyncs() async throws {
        let budget = 65_536
        try await withServer(.memory, settings: { $0.retention.bytes = budget }) { app in
            let store = try #require(app.application.store as? InMemoryCampaignStore)
            let board = try await Board.make(app)
            let task = try #require(try await board.addTask("big")["id"]?.stringValue)
            let start = try await board.lastEventId()
            for round in 0..<30 {
                let description = String(repeating: round % 2 == 0 ? "a" : "b", count: 4000)
                #expect(try await board.client.request("PATCH", board.taskPath(task), json: ["description": .string(description)]).status == 200)
            }
            let statistics = store.statistics
            #expect(statistics.retainedEventBytes <= budget)
            #expect(statistics.retainedEventBytes > budget / 2, "the budget is used, not emptied: \(statistics)")
            #expect(statistics.retainedEvents < 2 + 2 * 30)
            let latest = try await board.lastEventId()

            let pruned = try await SSEClient(port: app.port, campaignId: board.id, token: app.token(), lastEventId: start)
            defer { pruned.close() }
            #expect(try await pruned.next().event == "connected")
            let resync = try await pruned.next()
            #expect(resync.event == "resync")
            #expect(resync.json == ["reason": "history-expired"])

            let recent = try await SSEClient(port: app.port, campaignId: board.id, token: app.token(), lastEventId: latest - 2)
            defer { recent.close() }
            #expect(try await recent.next().event == "connected")
            let replayed = try await recent.next(2)
            #expect(replayed.map(\.event) == ["task-updated", "history-update"])
            #expect(replayed.map(\.eventId) == [latest - 1, latest])
        }
    }
}
