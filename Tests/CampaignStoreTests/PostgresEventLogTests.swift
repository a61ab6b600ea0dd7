import CampaignModel
import CampaignStore
import Foundation
import Logging
import Postgres
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

    @Test func eachCommitNotifiesWithItsEventsExactlyAsLogged() async throws {
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
        #expect(received[0].payload.hasPrefix("{\"campaignId\":\"\(board.id)\",\"eventId\":\(events[1].id),\"events\":["))
        #expect(received[1].payload.hasPrefix("{\"campaignId\":\"\(board.id)\",\"eventId\":\(events[3].id),\"events\":["))
        // A listener believes only the campaign a payload names, and reads that campaign's log.
        #expect(received.map { NotificationPayload.campaignId($0.payload) } == [board.id, board.id])
    }

    /// PostgreSQL refuses a payload of 8,000 bytes or more, which would abort the writer's transaction:
    /// a change too large to carry notifies with its ids only, and listeners read it from the log.
    @Test func aChangeTooLargeToCarryNotifiesWithoutItsEvents() async throws {
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

    /// Many writers on several campaigns commit concurrently while a reader pages through
    /// `events(after: lastSeen)`. If an id could become visible after a larger one (ids not in commit
    /// order), the reader would page past it and miss it; it must end with every event exactly once.
    @Test func aReaderFollowingTheLogNeverSkipsAnEvent() async throws {
        _ = try await SharedDatabase.store()  // migrated
        let pool = PostgresPool(
            configuration: .init(connectionString: TestDatabase.url ?? "", size: 10, connectTimeoutSeconds: 2, acquireTimeoutSeconds: 60),
            logger: testLogger)
        defer { Task { await pool.shutdown() } }
        let store = PostgresCampaignStore(pool: pool, logger: testLogger)
        var boards: [Board] = []
        for index in 0..<4 { boards.append(try await Board.make(store, name: "Load \(index)")) }
        let ours = Set(boards.map(\.id))
        let start = try await store.latestEventId()
        let writersDone = Flag()

        let reader = Task { () throws -> [CampaignEvent] in
            var lastSeen = start
            var collected: [CampaignEvent] = []
            while true {
                let finished = writersDone.isSet
                let batch = try await store.events(after: lastSeen, limit: 50)
                for event in batch {
                    lastSeen = event.id
                    if ours.contains(event.campaignId) { collected.append(event) }
                }
                // One more empty page after the writers finished: everything committed has been read.
                if finished && batch.isEmpty { return collected }
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
        let collected = try await withHangGuard { try await reader.value }

        let logged = try await store.events(after: start, limit: 1_000_000).filter { ours.contains($0.campaignId) }
        #expect(logged.count == 8 * 25 * 2)
        #expect(collected.count == logged.count)
        #expect(collected.map(\.id) == logged.map(\.id))
        #expect(Set(collected.map(\.id)).count == collected.count)
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

