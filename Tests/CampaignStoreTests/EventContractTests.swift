import CampaignModel
import CampaignStore
import Foundation
import Testing

/// The history and the event log every write records, against both stores. Event data is compared
/// byte for byte with what `EventData` builds from the stored task and history entry, so the
/// PostgreSQL triggers and the Swift model cannot drift apart.
@Suite struct EventContractTests {
    static let envelope = ["eventId", "campaignId", "occurredAt", "origin"]

    @Test(arguments: StoreKind.available)
    func everyWriteRecordsItsEventThenAHistoryUpdate(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        let store = board.store
        let writer = WriteContext(actor: "ann@example.com", origin: "tab-7")
        let created = try await store.createTask(campaignId: board.id, draft: TaskDraft(
            phaseId: board.phaseId(0), title: "Quote \" backslash \\ bell \u{7} bs \u{8} ff \u{c} ✓",
            description: "tab\tnewline\ncr\r", assignee: "ann", dueDate: "2026-12-31"), context: writer).task
        let updated = try await store.updateTask(
            campaignId: board.id, taskId: created.id, patch: TaskPatch(title: "Renamed", priority: .low, dueDate: .some(nil)),
            ifMatch: nil, context: writer)
        let moved = try await store.moveTask(
            campaignId: board.id, taskId: created.id, move: TaskMove(phaseId: board.phaseId(2), position: 0),
            ifMatch: 2, context: WriteContext(actor: "bob"))
        try await store.deleteTask(campaignId: board.id, taskId: created.id, ifMatch: 3, context: writer)

        let events = try await board.events()
        #expect(events.map(\.type) == [
            .taskCreated, .historyUpdate, .taskUpdated, .historyUpdate, .taskMoved, .historyUpdate, .taskDeleted, .historyUpdate,
        ])
        #expect(events.allSatisfy { $0.campaignId == board.id })
        // Consecutive ids per write, increasing overall.
        for pair in stride(from: 0, to: events.count, by: 2) { #expect(events[pair + 1].id == events[pair].id + 1) }
        #expect(zip(events, events.dropFirst()).allSatisfy { $0.id < $1.id })

        let history = try await board.snapshot().history.reversed() as [HistoryEntry]
        #expect(history.map(\.action) == [.created, .updated, .moved, .deleted])
        #expect(history.map(\.actor) == ["ann@example.com", "ann@example.com", "bob", "ann@example.com"])
        #expect(history.allSatisfy { $0.taskId == created.id && $0.campaignId == board.id })
        #expect(history[0].changes == nil && history[3].changes == nil)
        #expect(history[1].changes == [
            "title": ["from": .string(created.title), "to": "Renamed"],
            "priority": ["from": "medium", "to": "low"],
            "dueDate": ["from": "2026-12-31", "to": nil],
        ])
        // Position 0 in both phases: only the phase changed.
        #expect(history[2].changes == ["phaseId": ["from": .string(board.phaseId(0)), "to": .string(board.phaseId(2))]])

        // The exact bytes the model builds.
        let origins: [String?] = ["tab-7", "tab-7", nil, "tab-7"]
        let expectedTaskEvents = [
            EventData.taskCreated(eventId: events[0].id, occurredAt: created.createdAt, origin: origins[0], task: created),
            EventData.taskUpdated(eventId: events[2].id, occurredAt: updated.updatedAt, origin: origins[1], task: updated,
                                  changes: try #require(history[1].changes)),
            EventData.taskMoved(eventId: events[4].id, occurredAt: moved.updatedAt, origin: origins[2], task: moved,
                                fromPhaseId: board.phaseId(0)),
            EventData.taskDeleted(eventId: events[6].id, campaignId: board.id, occurredAt: history[3].createdAt,
                                  origin: origins[3], taskId: created.id, phaseId: board.phaseId(2)),
        ]
        for index in 0..<4 {
            #expect(events[index * 2].data == expectedTaskEvents[index])
            #expect(events[index * 2 + 1].data == EventData.historyUpdate(
                eventId: events[index * 2 + 1].id, occurredAt: history[index].createdAt, origin: origins[index], entry: history[index]))
        }
        // The task event and its history entry share one time.
        #expect(history[0].createdAt == created.createdAt && history[1].createdAt == updated.updatedAt)
        #expect(history[2].createdAt == moved.updatedAt)
    }

    @Test(arguments: StoreKind.available)
    func eventDataHasExactlyTheDocumentedMembers(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        let task = try await board.addTask("Members")
        _ = try await board.store.updateTask(campaignId: board.id, taskId: task.id, patch: TaskPatch(status: .blocked),
                                             ifMatch: nil, context: Board.editor)
        _ = try await board.store.moveTask(campaignId: board.id, taskId: task.id, move: TaskMove(phaseId: board.phaseId(1), position: 0),
                                           ifMatch: nil, context: Board.editor)
        try await board.store.deleteTask(campaignId: board.id, taskId: task.id, ifMatch: nil, context: Board.editor)
        let expected: [CampaignEventType: [String]] = [
            .taskCreated: Self.envelope + ["task"],
            .taskUpdated: Self.envelope + ["task", "changes"],
            .taskMoved: Self.envelope + ["task", "fromPhaseId", "toPhaseId"],
            .taskDeleted: Self.envelope + ["taskId", "phaseId"],
            .historyUpdate: Self.envelope + ["entry"],
        ]
        let taskMembers = ["id", "campaignId", "phaseId", "title", "description", "status", "priority", "assignee", "dueDate",
                           "position", "version", "createdAt", "updatedAt"]
        let entryMembers = ["id", "campaignId", "taskId", "action", "actor", "changes", "createdAt"]
        let events = try await board.events()
        #expect(events.count == 8)
        for event in events {
            let data = try dataObject(event)
            #expect(data.keys == expected[event.type], "\(event.type)")
            #expect(data["eventId"] == .int(event.id) && data["campaignId"] == .string(board.id))
            #expect(data["origin"] == .string("client-1"))
            #expect(data["occurredAt"]?.stringValue.flatMap(Timestamp.init(rfc3339:)) != nil)
            #expect(!event.data.contains("\n"))
            if let task = data["task"]?.objectValue { #expect(task.keys == taskMembers) }
            if let entry = data["entry"]?.objectValue {
                #expect(entry.keys == entryMembers)
                #expect(entry["actor"] == "editor-1")
            }
        }
        let moved = try dataObject(events[4])
        #expect(moved["fromPhaseId"] == .string(board.phaseId(0)) && moved["toPhaseId"] == .string(board.phaseId(1)))
        let deleted = try dataObject(events[6])
        #expect(deleted["taskId"] == .string(task.id) && deleted["phaseId"] == .string(board.phaseId(1)))
        let changes = try dataObject(events[2])["changes"]
        #expect(changes == ["status": ["from": "todo", "to": "blocked"]])
    }

    @Test(arguments: StoreKind.available)
    func anEmptyActorIsRecordedAsDatabaseAndAnEmptyOriginAsNull(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        try await board.addTask("Anonymous", context: WriteContext(actor: "", origin: ""))
        let entry = try #require(try await board.snapshot().history.first)
        #expect(entry.actor == "database")
        let events = try await board.events()
        #expect(try events.allSatisfy { try dataObject($0)["origin"] == JSONValue.null })
    }

    @Test(arguments: StoreKind.available)
    func snapshotLastEventIdMatchesTheLog(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        let task = try await board.addTask("One")
        try await board.addTask("Two", phase: 1)
        _ = try await board.store.updateTask(campaignId: board.id, taskId: task.id, patch: TaskPatch(title: "Uno"),
                                             ifMatch: nil, context: Board.editor)
        let snapshot = try await board.snapshot()
        let events = try await board.events()
        #expect(events.count == 6)
        #expect(snapshot.lastEventId == events.last?.id)
        #expect(try await board.store.latestEventId(campaignId: board.id) == snapshot.lastEventId)
        // Resuming from the snapshot yields exactly the later changes.
        #expect(try await board.events(after: snapshot.lastEventId).isEmpty)
        try await board.store.deleteTask(campaignId: board.id, taskId: task.id, ifMatch: nil, context: Board.editor)
        #expect(try await board.events(after: snapshot.lastEventId).map(\.type) == [.taskDeleted, .historyUpdate])
        #expect(snapshot.history.map(\.action) == [.updated, .created, .created])
    }

    @Test(arguments: StoreKind.available)
    func replayIsPerCampaignInIdOrderAndLimited(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let board = try await Board.make(store)
        let other = try await Board.make(store, name: "Other")
        for index in 0..<3 {
            try await board.addTask("mine \(index)")
            try await other.addTask("theirs \(index)")
        }
        let mine = try await board.events()
        #expect(mine.count == 6 && mine.allSatisfy { $0.campaignId == board.id })
        guard case .events(let firstTwo) = try await store.events(campaignId: board.id, after: 0, limit: 2) else {
            Issue.record("unexpected expiry")
            return
        }
        #expect(firstTwo == Array(mine.prefix(2)))
        guard case .events(let rest) = try await store.events(campaignId: board.id, after: mine[1].id, limit: 100) else {
            Issue.record("unexpected expiry")
            return
        }
        #expect(rest == Array(mine.dropFirst(2)))
        // Nothing was pruned: any `after`, even a negative one, is a complete replay.
        #expect(try await store.events(campaignId: board.id, after: -1, limit: 100) == .events(mine))
        #expect(try await store.events(campaignId: board.id, after: 0, limit: 0) == .events([]))
        #expect(try await store.events(campaignId: Identifier.random(), after: 0, limit: 10) == .events([]))
        #expect(try await store.events(campaignId: "bad", after: 0, limit: 10) == .events([]))
        // The other campaign's replay holds its own events only, in id order too.
        let theirs = try await other.events()
        #expect(theirs.count == 6 && theirs.allSatisfy { $0.campaignId == other.id })
        #expect(zip(theirs, theirs.dropFirst()).allSatisfy { $0.id < $1.id })
    }
}
