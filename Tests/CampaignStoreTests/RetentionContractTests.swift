import CampaignModel
import CampaignStore
import Foundation
import ServerConfiguration
import Testing

/// Pruning, expiry and the watermark, against both stores. Each test prunes a store of its own
/// (PostgreSQL: a scratch database), since pruning is global.
@Suite struct RetentionContractTests {
    @Test(arguments: StoreKind.available)
    func pruningByCountKeepsTheNewestEvents(kind: StoreKind) async throws {
        try await withIsolatedStore(kind) { store in
            let board = try await Board.make(store)
            for index in 0..<3 { try await board.addTask("task \(index)") }
            let events = try await board.events()
            #expect(events.count == 6)
            #expect(try await store.pruneEvents(olderThan: Timestamp(millisecondsSinceEpoch: 0), keepingAtMost: 2) == 4)
            #expect(try await store.events(campaignId: board.id, after: events[3].id, limit: 100) == .events(Array(events.suffix(2))))
            #expect(try await store.events(campaignId: board.id, after: events[2].id, limit: 100) == .expired)
            #expect(try await store.events(campaignId: board.id, after: 0, limit: 100) == .expired)
            #expect(try await board.snapshot().lastEventId == events[5].id)
            #expect(try await store.pruneEvents(olderThan: Timestamp(millisecondsSinceEpoch: 0), keepingAtMost: 2) == 0)
        }
    }

    @Test(arguments: StoreKind.available)
    func whenEveryEventIsPrunedTheWatermarkStandsIn(kind: StoreKind) async throws {
        try await withIsolatedStore(kind) { store in
            let board = try await Board.make(store)
            let task = try await board.addTask("a")
            _ = try await store.updateTask(campaignId: board.id, taskId: task.id, patch: TaskPatch(title: "b"), ifMatch: nil,
                                           context: Board.editor)
            let events = try await board.events()
            let last = try #require(events.last?.id)
            let future = Timestamp(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch + 60_000)
            #expect(try await store.pruneEvents(olderThan: future, keepingAtMost: 1000) == 4)
            #expect(try await store.events(campaignId: board.id, after: 0, limit: 100) == .expired)
            // A client that snapshots now and subscribes from lastEventId is not sent to resync forever.
            let snapshot = try await board.snapshot()
            #expect(snapshot.lastEventId == last)
            #expect(try await store.latestEventId(campaignId: board.id) == last)
            #expect(try await store.events(campaignId: board.id, after: last, limit: 100) == .events([]))
            #expect(snapshot.history.count == 2)

            try await board.addTask("c")
            let later = try await board.events(after: last)
            #expect(later.map(\.type) == [.taskCreated, .historyUpdate])
            #expect(later.first?.id ?? 0 > last)
        }
    }

    @Test(arguments: StoreKind.available)
    func pruningByAgeExpiresOnlyTheCampaignsThatLostEvents(kind: StoreKind) async throws {
        try await withIsolatedStore(kind) { store in
            let old = try await Board.make(store, name: "Old")
            let fresh = try await Board.make(store, name: "Fresh")
            let quiet = try await Board.make(store, name: "Quiet")
            try await old.addTask("a")
            let lastOld = try await old.addTask("b")
            try await waitForClock(after: lastOld.createdAt)
            let recent = try await fresh.addTask("c")
            let oldEvents = try await old.events()
            let freshEvents = try await fresh.events()

            #expect(try await store.pruneEvents(olderThan: recent.createdAt, keepingAtMost: 1000) == 4)
            #expect(try await store.events(campaignId: old.id, after: 0, limit: 100) == .expired)
            #expect(try await store.events(campaignId: old.id, after: oldEvents[2].id, limit: 100) == .expired)
            #expect(try await store.events(campaignId: old.id, after: oldEvents[3].id, limit: 100) == .events([]))
            #expect(try await store.events(campaignId: fresh.id, after: 0, limit: 100) == .events(freshEvents))
            #expect(try await store.events(campaignId: quiet.id, after: 0, limit: 100) == .events([]))
            #expect(try await old.snapshot().lastEventId == oldEvents[3].id)
            #expect(try await fresh.snapshot().lastEventId == freshEvents[1].id)
        }
    }

    @Test func theInMemoryLogIsBoundedWithoutAnExplicitPrune() async throws {
        var settings = AppConfiguration()
        settings.retention.count = 4
        let store = InMemoryCampaignStore(configuration: settings.memoryStore)
        let board = try await Board.make(store)
        for index in 0..<3 { try await board.addTask("task \(index)") }
        #expect(try await store.events(campaignId: board.id, after: 0, limit: 100) == .expired)
        guard case .events(let kept) = try await store.events(campaignId: board.id, after: 2, limit: 100) else {
            Issue.record("the newest events must be retained")
            return
        }
        #expect(kept.map(\.id) == [3, 4, 5, 6])
        #expect(try await board.snapshot().lastEventId == 6)
    }

    private func withIsolatedStore(_ kind: StoreKind, _ body: (any CampaignStore) async throws -> Void) async throws {
        let isolated = try await kind.makeIsolatedStore()
        do {
            try await body(isolated.store)
        } catch {
            await isolated.close()
            throw error
        }
        await isolated.close()
    }
}
