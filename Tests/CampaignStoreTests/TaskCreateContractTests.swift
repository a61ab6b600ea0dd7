import CampaignModel
import CampaignStore
import Foundation
import Testing

/// Task creation, positions on insert and idempotent create, against both stores.
@Suite struct TaskCreateContractTests {
    @Test(arguments: StoreKind.available)
    func aCreatedTaskCarriesEveryField(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        let draft = TaskDraft(
            phaseId: board.phaseId(1), title: "Write the \"brief\" — ünïcode ✓", description: "line 1\nline 2\t\\",
            status: .inProgress, priority: .urgent, assignee: "maria", dueDate: "2026-02-28")
        let creation = try await board.store.createTask(campaignId: board.id, draft: draft, context: Board.editor)
        guard case .created(let task) = creation else {
            Issue.record("expected .created, got \(creation)")
            return
        }
        #expect(Identifier.isValid(task.id) && task.id == task.id.lowercased())
        #expect(task.campaignId == board.id && task.phaseId == board.phaseId(1))
        #expect(task.title == draft.title && task.description == draft.description)
        #expect(task.status == .inProgress && task.priority == .urgent)
        #expect(task.assignee == "maria" && task.dueDate == "2026-02-28")
        #expect(task.position == 0 && task.version == 1)
        #expect(task.createdAt == task.updatedAt)
        #expect(try await board.store.task(campaignId: board.id, taskId: task.id) == task)
        #expect(try await board.store.task(campaignId: board.id, taskId: task.id.uppercased()) == task)
    }

    @Test(arguments: StoreKind.available)
    func defaultsApplyAndTitlesAreTrimmed(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        let task = try await board.addTask("\u{2003} padded title \n")
        #expect(task.title == "padded title")
        #expect(task.description == "" && task.status == .todo && task.priority == .medium)
        #expect(task.assignee == nil && task.dueDate == nil)
    }

    @Test(arguments: StoreKind.available)
    func createAppendsAtTheEndOrInsertsAtAClampedPosition(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        try await board.addTask("a")
        try await board.addTask("b")
        try await board.addTask("c")
        #expect(try await board.titles(in: 0) == ["a", "b", "c"])
        let first = try await board.addTask("first", position: 0)
        #expect(first.position == 0)
        let middle = try await board.addTask("middle", position: 2)
        #expect(middle.position == 2)
        let last = try await board.addTask("last", position: 999)
        #expect(last.position == 5)
        #expect(try await board.titles(in: 0) == ["first", "a", "middle", "b", "c", "last"])
        // Renumbered neighbours keep their version.
        #expect(try await board.tasks(in: 0).allSatisfy { $0.version == 1 })
        #expect(try await board.titles(in: 1).isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func createReportsMissingAndForeignResources(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let board = try await Board.make(store)
        let other = try await Board.make(store, name: "Other")
        let draft = TaskDraft(phaseId: board.phaseId(0), title: "x")
        #expect(await storeError { try await store.createTask(campaignId: Identifier.random(), draft: draft, context: Board.editor) }
            == .notFound(.campaign))
        #expect(await storeError { try await store.createTask(campaignId: "nope", draft: draft, context: Board.editor) }
            == .notFound(.campaign))
        let unknownPhase = TaskDraft(phaseId: Identifier.random(), title: "x")
        #expect(await storeError { try await store.createTask(campaignId: board.id, draft: unknownPhase, context: Board.editor) }
            == .notFound(.phase))
        let foreignPhase = TaskDraft(phaseId: other.phaseId(0), title: "x")
        let error = await storeError { try await store.createTask(campaignId: board.id, draft: foreignPhase, context: Board.editor) }
        #expect(invalidField(error) == .some("phaseId"))
        #expect(try await board.snapshot().tasks.isEmpty)
        #expect(try await other.snapshot().tasks.isEmpty)
        #expect(try await board.events().isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func invalidDraftsAreRejectedBeforeStorage(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        let phase = board.phaseId(0)
        let cases: [(TaskDraft, String)] = [
            (TaskDraft(phaseId: phase, title: " \t "), "title"),
            (TaskDraft(phaseId: phase, title: String(repeating: "x", count: 201)), "title"),
            (TaskDraft(phaseId: phase, title: "a\u{0}b"), "title"),
            (TaskDraft(phaseId: phase, title: "x", description: String(repeating: "d", count: 10_001)), "description"),
            (TaskDraft(phaseId: phase, title: "x", assignee: String(repeating: "a", count: 101)), "assignee"),
            (TaskDraft(phaseId: phase, title: "x", dueDate: "2026-02-30"), "dueDate"),
            (TaskDraft(phaseId: phase, title: "x", dueDate: "26-01-01"), "dueDate"),
            (TaskDraft(phaseId: phase, title: "x", position: -1), "position"),
            (TaskDraft(phaseId: "phase", title: "x"), "phaseId"),
            (TaskDraft(id: "123", phaseId: phase, title: "x"), "id"),
        ]
        for (draft, field) in cases {
            let error = await storeError { try await board.store.createTask(campaignId: board.id, draft: draft, context: Board.editor) }
            #expect(invalidField(error) == .some(field), "\(field): \(String(describing: error))")
        }
        // The limits themselves are allowed.
        let edge = TaskDraft(
            phaseId: phase, title: String(repeating: "t", count: 200), description: String(repeating: "d", count: 10_000),
            assignee: String(repeating: "a", count: 100), dueDate: "9999-12-31", position: Int.max)
        let task = try await board.store.createTask(campaignId: board.id, draft: edge, context: Board.editor).task
        #expect(task.title.count == 200 && task.position == 0 && task.dueDate == "9999-12-31")
        #expect(try await board.snapshot().tasks.count == 1)
    }

    @Test(arguments: StoreKind.available)
    func aRetriedCreateReturnsTheExistingTaskWithoutAnEvent(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        let id = Identifier.random()
        let draft = TaskDraft(id: id, phaseId: board.phaseId(0), title: "Retry me", priority: .high)
        let created = try await board.store.createTask(campaignId: board.id, draft: draft, context: Board.editor)
        guard case .created(let task) = created else {
            Issue.record("expected .created, got \(created)")
            return
        }
        let lastEvent = try await board.store.latestEventId(campaignId: board.id)
        try await board.addTask("pushes it down", position: 0)
        let afterPush = try await board.store.latestEventId(campaignId: board.id)

        // Same content, other requested position, upper-case id: still the same task.
        var retry = draft
        retry.id = id.uppercased()
        retry.position = 7
        let again = try await board.store.createTask(campaignId: board.id, draft: retry, context: Board.editor)
        var moved = task
        moved.position = 1
        #expect(again == .existing(moved))
        #expect(try await board.store.latestEventId(campaignId: board.id) == afterPush)
        #expect(afterPush > lastEvent)

        var different = draft
        different.title = "Other title"
        let error = await storeError { try await board.store.createTask(campaignId: board.id, draft: different, context: Board.editor) }
        guard case .conflict = error else {
            Issue.record("expected a conflict, got \(String(describing: error))")
            return
        }
        var otherPhase = draft
        otherPhase.phaseId = board.phaseId(1)
        guard case .conflict = await storeError({
            try await board.store.createTask(campaignId: board.id, draft: otherPhase, context: Board.editor)
        }) else {
            Issue.record("a different phase must be a conflict")
            return
        }
        #expect(try await board.snapshot().tasks.count == 2)
    }

    @Test(arguments: StoreKind.available)
    func theIdOfADeletedTaskOrOfAnotherCampaignsTaskConflicts(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let board = try await Board.make(store)
        let other = try await Board.make(store, name: "Other")
        let deleted = try await board.addTask("gone", id: Identifier.random())
        try await store.deleteTask(campaignId: board.id, taskId: deleted.id, ifMatch: nil, context: Board.editor)
        let reuse = TaskDraft(id: deleted.id, phaseId: board.phaseId(0), title: "gone")
        guard case .conflict = await storeError({ try await store.createTask(campaignId: board.id, draft: reuse, context: Board.editor) })
        else {
            Issue.record("reusing a deleted task's id must conflict")
            return
        }
        let foreign = try await other.addTask("theirs", id: Identifier.random())
        let steal = TaskDraft(id: foreign.id, phaseId: board.phaseId(0), title: "theirs")
        guard case .conflict = await storeError({ try await store.createTask(campaignId: board.id, draft: steal, context: Board.editor) })
        else {
            Issue.record("another campaign's task id must conflict")
            return
        }
        #expect(try await board.snapshot().tasks.isEmpty)
        #expect(try await store.task(campaignId: board.id, taskId: foreign.id) == nil)
    }
}
