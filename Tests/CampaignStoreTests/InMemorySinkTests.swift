import CampaignModel
import CampaignStore
import Foundation
import ServerConfiguration
import Synchronization
import Testing

/// A sink that keeps every batch it was handed.
final class RecordingSink: CampaignEventSink {
    private let batches = Mutex<[[CampaignEvent]]>([])

    var all: [[CampaignEvent]] { batches.withLock { $0 } }

    func publish(_ events: [CampaignEvent]) {
        batches.withLock { $0.append(events) }
    }
}

/// The in-memory store feeds the live stream itself: each commit's events, once, in id order.
@Suite struct InMemorySinkTests {
    @Test func eachCommitPublishesItsEventsOnceInOrder() async throws {
        let sink = RecordingSink()
        let store = InMemoryCampaignStore(configuration: AppConfiguration().memoryStore, eventSink: sink)
        let board = try await Board.make(store)
        #expect(sink.all.isEmpty)
        let task = try await board.addTask("a")
        _ = try await store.updateTask(campaignId: board.id, taskId: task.id, patch: TaskPatch(title: "b"), ifMatch: nil,
                                       context: Board.editor)
        // Writes that change nothing publish nothing.
        _ = try await store.updateTask(campaignId: board.id, taskId: task.id, patch: TaskPatch(title: "b"), ifMatch: nil,
                                       context: Board.editor)
        _ = try await store.createTask(campaignId: board.id, draft: TaskDraft(id: task.id, phaseId: board.phaseId(0), title: "b"),
                                       context: Board.editor)
        _ = await storeError { try await store.deleteTask(campaignId: board.id, taskId: task.id, ifMatch: 7, context: Board.editor) }
        #expect(sink.all.map { $0.map(\.type) } == [[.taskCreated, .historyUpdate], [.taskUpdated, .historyUpdate]])
        let logged = try await board.events()
        #expect(sink.all.flatMap { $0 } == logged)
    }

    @Test func concurrentWritersReachTheSinkInIdOrder() async throws {
        let sink = RecordingSink()
        let store = InMemoryCampaignStore(configuration: AppConfiguration().memoryStore)
        let first = try await Board.make(store)
        let second = try await Board.make(store)
        store.setEventSink(sink)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                let board = writer % 2 == 0 ? first : second
                group.addTask {
                    for index in 0..<25 {
                        let task = try await board.addTask("w\(writer) #\(index)", phase: index % 4)
                        if index % 3 == 0 {
                            try await store.deleteTask(campaignId: board.id, taskId: task.id, ifMatch: nil, context: Board.editor)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let published = sink.all.flatMap { $0 }
        #expect(published.map(\.id) == Array(1...Int64(published.count)))
        // In memory, ids are global and gap-free: the sink saw each campaign's log, whole and in order.
        let logged = try await first.events() + second.events()
        #expect(published == logged.sorted { $0.id < $1.id })
        #expect(sink.all.allSatisfy { $0.count == 2 })

        store.setEventSink(nil)
        try await first.addTask("unheard")
        #expect(sink.all.flatMap { $0 }.count == published.count)
    }
}
