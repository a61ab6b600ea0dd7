import CampaignModel
import CampaignStore
import Foundation
import Logging
import Postgres
import ServerConfiguration
import Sockets
import Synchronization
import Testing
import TestSupport

/// The PostgreSQL event log under load and its notifications.
@Suite(.enabled(if: TestDatabase.isAvailable))
struct PostgresEventLogTests {
    /// A LISTEN connection on `campaign_events` on an event loop of its own, for one test.
    struct EventsListener {
        let loop: EventLoop
        let connection: NotificationConnection

        static func open() async throws -> EventsListener {
            let loop = try EventLoop(name: "store-notify-test")
            try loop.start()
            do {
                let connection = try await NotificationConnection.connect(
                    connectionString: TestDatabase.url ?? "", channel: "campaign_events", loop: loop, logger: testLogger)
                return EventsListener(loop: loop, connection: connection)
            } catch {
                loop.stop()
                throw error
            }
        }

        /// The next `count` notifications about `campaignId` (other tests write to the same database).
        func receive(_ count: Int, about campaignId: String) async throws -> [PostgresNotification] {
            let connection = connection
            return try await withHangGuard {
                var mine: [PostgresNotification] = []
                while mine.count < count {
                    mine += try await connection.nextNotifications().filter { $0.payload.contains(campaignId) }
                }
                return mine
            }
        }

        func close() {
            connection.close()
            loop.stop()
        }
    }

    @Test func eachCommitNotifiesTheCampaignAndItsNewestEventIdOnly() async throws {
        let listener = try await EventsListener.open()
        defer { listener.close() }

        let board = try await Board.make(try await SharedDatabase.store())
        let task = try await board.addTask("Heard")
        _ = try await SharedDatabase.rawPool.withConnection {
            try $0.execute("UPDATE campaign_tasks SET title = 'Heard from psql' WHERE id = $1::uuid", [task.id])
        }
        let events = try await board.events()
        #expect(events.count == 4)

        let received = try await listener.receive(2, about: board.id)
        #expect(received.map(\.channel) == ["campaign_events", "campaign_events"])
        #expect(received.map(\.payload) == [
            "{\"campaignId\":\"\(board.id)\",\"eventId\":\(events[1].id)}",
            "{\"campaignId\":\"\(board.id)\",\"eventId\":\(events[3].id)}",
        ])
        // A listener believes only the campaign a payload names, and reads that campaign's log.
        #expect(received.map { NotificationPayload.campaignId($0.payload) } == [board.id, board.id])
    }

    /// PostgreSQL refuses a payload of 8,000 bytes or more, which would abort the writer's transaction:
    /// however large the change, its notification stays the same few bytes.
    @Test func aLargeChangeNotifiesTheSameSmallPayload() async throws {
        let listener = try await EventsListener.open()
        defer { listener.close() }

        let board = try await Board.make(try await SharedDatabase.store())
        let task = try await board.addTask("Long", description: String(repeating: "x", count: 8000))
        #expect(task.description.count == 8000, "the write itself succeeds")
        let events = try await board.events()
        let received = try await listener.receive(1, about: board.id)
        #expect(received.map(\.payload) == ["{\"campaignId\":\"\(board.id)\",\"eventId\":\(events[1].id)}"])
        #expect(NotificationPayload.campaignId(received[0].payload) == board.id)
    }

    /// Many writers on several campaigns commit concurrently while one reader per campaign pages
    /// through its campaign's log with `events(campaignId:after: lastSeen)`, as each room does. If an id
    /// of a campaign could become visible after a larger one of the same campaign (ids not in commit
    /// order within it), its reader would page past it and miss it; each must end with every event of
    /// its campaign exactly once. Across campaigns nothing is promised (no lock spans them).
    @Test func aReaderFollowingItsCampaignsLogNeverSkipsAnEvent() async throws {
        _ = try await SharedDatabase.store()  // migrated
        let pool = PostgresPool(
            configuration: .init(connectionString: TestDatabase.url ?? "", size: 10, connectTimeoutSeconds: TestDatabase.connectTimeoutSeconds, acquireTimeoutSeconds: 60, preparesStatements: true),
            logger: testLogger)
        defer { Task { await pool.shutdown() } }
        let store = PostgresCampaignStore(pool: pool, logger: testLogger, configuration: AppConfiguration().postgresStore)
        var boards: [Board] = []
        for index in 0..<4 { boards.append(try await Board.make(store, name: "Load \(index)")) }
        let writersDone = Flag()

        let readers = boards.map { board in
            Task { () throws -> [CampaignEvent] in
                var lastSeen: Int64 = 0
                var collected: [CampaignEvent] = []
                while true {
                    let finished = writersDone.isSet
                    guard case .events(let batch) = try await store.events(campaignId: board.id, after: lastSeen, limit: 50) else {
                        throw StoreError.unavailable("nothing is pruned in this test")
                    }
                    collected += batch
                    lastSeen = batch.last?.id ?? lastSeen
                    // One more empty page after the writers finished: everything committed has been read.
                    if finished && batch.isEmpty { return collected }
                }
            }
        }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                let board = boards[writer % boards.count]
                group.addTask {
                    var current: CampaignTask?
                    for step in 0..<25 {
                        switch (step % 4, current) {
                        case (_, nil), (0, _):
                            current = try await board.addTask("w\(writer) s\(step)", phase: step % 4)
                        case (1, let task?):
                            current = try await store.updateTask(campaignId: board.id, taskId: task.id,
                                                                 patch: TaskPatch(title: "w\(writer) s\(step) edited"),
                                                                 ifMatch: nil, context: Board.editor)
                        case (2, let task?):
                            // Always to another phase, so every write records events.
                            let phase = (board.phases.firstIndex { $0.id == task.phaseId } ?? 0) + 1
                            current = try await store.moveTask(campaignId: board.id, taskId: task.id,
                                                               move: TaskMove(phaseId: board.phaseId(phase % 4), position: 0),
                                                               ifMatch: nil, context: Board.editor)
                        case (_, let task?):
                            try await store.deleteTask(campaignId: board.id, taskId: task.id, ifMatch: nil, context: Board.editor)
                            current = nil
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        writersDone.set()
        for (board, reader) in zip(boards, readers) {
            let collected = try await withHangGuard { try await reader.value }
            let logged = try await board.events()
            #expect(logged.count == 2 * 25 * 2)
            #expect(collected.map(\.id) == logged.map(\.id))
            #expect(collected.allSatisfy { $0.campaignId == board.id })
        }
        for board in boards {
            for phase in 0..<4 { _ = try await board.titles(in: phase) }
        }
    }
}

/// A flag one task sets and another polls.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

