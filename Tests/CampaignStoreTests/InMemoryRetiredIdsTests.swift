import CampaignModel
import CampaignStore
import ServerConfiguration
import Testing

/// Issue 12: create-and-delete loops cannot grow the in-memory store. It remembers the ids of the
/// newest `retiredTaskIdsKept` deleted tasks (a create reusing one is a conflict, as in PostgreSQL)
/// and forgets older ones.
@Suite struct InMemoryRetiredIdsTests {
    @Test func onlyTheNewestDeletedIdsAreRemembered() async throws {
        var configuration = AppConfiguration().memoryStore
        configuration.retiredTaskIdsKept = 3
        let store = InMemoryCampaignStore(configuration: configuration)
        let board = try await Board.make(store)
        var deleted: [String] = []
        for index in 0..<10 {
            let task = try await board.addTask("loop \(index)", id: Identifier.random())
            try await store.deleteTask(campaignId: board.id, taskId: task.id, ifMatch: nil, context: Board.editor)
            deleted.append(task.id)
        }
        #expect(store.statistics.retiredTaskIds == 3)
        // The newest three are still taken.
        for id in deleted.suffix(3) {
            #expect(await storeError { try await board.addTask("again", id: id) } == .conflict("this id belonged to a deleted task"))
        }
        // The oldest was forgotten: its id may be used again.
        #expect(try await board.addTask("reborn", id: deleted[0]).id == deleted[0])
    }
}
