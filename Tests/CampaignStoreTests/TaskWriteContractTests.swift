import CampaignModel
import CampaignStore
import Foundation
import Testing

/// Updates, moves and deletes: versions, positions, `If-Match` and error cases, against both stores.
@Suite struct TaskWriteContractTests {
    @Test(arguments: StoreKind.available)
    func anUpdateChangesOnlyThePatchedFieldsAndBumpsTheVersion(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        let task = try await board.store.createTask(campaignId: board.id, draft: TaskDraft(
            phaseId: board.phaseId(0), title: "Draft", assignee: "ann", dueDate: "2026-03-01"), context: Board.editor).task
        try await waitForClock(after: task.updatedAt)
        let patch = TaskPatch(title: "  Final  ", status: .done, assignee: .some(nil))
        let updated = try await board.store.updateTask(
            campaignId: board.id, taskId: task.id, patch: patch, ifMatch: 1, context: Board.editor)
        #expect(updated.title == "Final" && updated.status == .done && updated.assignee == nil)
        #expect(updated.dueDate == "2026-03-01" && updated.priority == task.priority && updated.description == "")
        #expect(updated.version == 2 && updated.position == task.position)
        #expect(updated.createdAt == task.createdAt && updated.updatedAt > task.updatedAt)
        #expect(try await board.store.task(campaignId: board.id, taskId: task.id) == updated)

        let cleared = try await board.store.updateTask(
            campaignId: board.id, taskId: task.id, patch: TaskPatch(dueDate: .some(nil)), ifMatch: nil, context: Board.editor)
        #expect(cleared.dueDate == nil && cleared.version == 3)
    }

    @Test(arguments: StoreKind.available)
    func anUpdateThatChangesNothingIsSkipped(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        let task = try await board.addTask("Same")
        let before = try await board.store.latestEventId(campaignId: board.id)
        for patch in [TaskPatch(), TaskPatch(title: "Same", status: .todo, assignee: .some(nil))] {
            let result = try await board.store.updateTask(
                campaignId: board.id, taskId: task.id, patch: patch, ifMatch: 1, context: Board.editor)
            #expect(result == task)
        }
        #expect(try await board.store.latestEventId(campaignId: board.id) == before)
        // A stale If-Match still fails, even when nothing would change.
        #expect(await storeError {
            try await board.store.updateTask(campaignId: board.id, taskId: task.id, patch: TaskPatch(), ifMatch: 9, context: Board.editor)
        } == .preconditionFailed(current: task))
    }

    @Test(arguments: StoreKind.available)
    func writesReportMissingResourcesAndStaleVersions(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let board = try await Board.make(store)
        let other = try await Board.make(store, name: "Other")
        let task = try await board.addTask("Mine")
        let theirs = try await other.addTask("Theirs")
        let patch = TaskPatch(title: "x")
        let move = TaskMove(phaseId: board.phaseId(1), position: 0)
        let context = Board.editor
        for (campaignId, taskId, expected) in [
            (Identifier.random(), task.id, StoreError.notFound(.campaign)),
            ("bad", task.id, .notFound(.campaign)),
            (board.id, Identifier.random(), .notFound(.task)),
            (board.id, "bad", .notFound(.task)),
            (board.id, theirs.id, .notFound(.task)),
        ] {
            #expect(await storeError { try await store.updateTask(campaignId: campaignId, taskId: taskId, patch: patch, ifMatch: nil, context: context) } == expected)
            #expect(await storeError { try await store.moveTask(campaignId: campaignId, taskId: taskId, move: move, ifMatch: nil, context: context) } == expected)
            #expect(await storeError { try await store.deleteTask(campaignId: campaignId, taskId: taskId, ifMatch: nil, context: context) } == expected)
        }
        for ifMatch in [0, 2, Int(Int32.max) + 5, -1] {
            let stale = StoreError.preconditionFailed(current: task)
            #expect(await storeError { try await store.updateTask(campaignId: board.id, taskId: task.id, patch: patch, ifMatch: ifMatch, context: context) } == stale)
            #expect(await storeError { try await store.moveTask(campaignId: board.id, taskId: task.id, move: move, ifMatch: ifMatch, context: context) } == stale)
            #expect(await storeError { try await store.deleteTask(campaignId: board.id, taskId: task.id, ifMatch: ifMatch, context: context) } == stale)
        }
        let invalidPatch = await storeError {
            try await store.updateTask(campaignId: board.id, taskId: task.id, patch: TaskPatch(title: ""), ifMatch: nil, context: context)
        }
        #expect(invalidField(invalidPatch) == .some("title"))
        #expect(try await store.task(campaignId: board.id, taskId: task.id) == task)
        #expect(try await board.events().count == 2)
    }

    @Test(arguments: StoreKind.available)
    func movesRenumberBothPhasesAndClamp(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        var byTitle: [String: CampaignTask] = [:]
        for title in ["a", "b", "c", "d"] { byTitle[title] = try await board.addTask(title) }
        for title in ["x", "y"] { byTitle[title] = try await board.addTask(title, phase: 1) }
        let store = board.store

        // Down within the phase, then up.
        let b = try await store.moveTask(campaignId: board.id, taskId: byTitle["b"]!.id,
                                         move: TaskMove(phaseId: board.phaseId(0), position: 3), ifMatch: 1, context: Board.editor)
        #expect(b.position == 3 && b.version == 2)
        #expect(try await board.titles(in: 0) == ["a", "c", "d", "b"])
        _ = try await store.moveTask(campaignId: board.id, taskId: byTitle["d"]!.id,
                                     move: TaskMove(phaseId: board.phaseId(0), position: 0), ifMatch: nil, context: Board.editor)
        #expect(try await board.titles(in: 0) == ["d", "a", "c", "b"])

        // Across phases, into the middle and past the end (clamped to the number of other tasks).
        let a = try await store.moveTask(campaignId: board.id, taskId: byTitle["a"]!.id,
                                         move: TaskMove(phaseId: board.phaseId(1), position: 1), ifMatch: nil, context: Board.editor)
        #expect(a.phaseId == board.phaseId(1) && a.position == 1 && a.version == 2)
        let c = try await store.moveTask(campaignId: board.id, taskId: byTitle["c"]!.id,
                                         move: TaskMove(phaseId: board.phaseId(1), position: 50), ifMatch: nil, context: Board.editor)
        #expect(c.position == 3)
        let within = try await store.moveTask(campaignId: board.id, taskId: byTitle["x"]!.id,
                                              move: TaskMove(phaseId: board.phaseId(1), position: 99), ifMatch: nil, context: Board.editor)
        #expect(within.position == 3)
        #expect(try await board.titles(in: 0) == ["d", "b"])
        #expect(try await board.titles(in: 1) == ["a", "y", "c", "x"])

        // Neighbours were renumbered without a version bump; each moved task was bumped once per move.
        let versions = Dictionary(uniqueKeysWithValues: try await board.snapshot().tasks.map { ($0.title, $0.version) })
        #expect(versions == ["a": 2, "b": 2, "c": 2, "d": 2, "x": 2, "y": 1])
    }

    @Test(arguments: StoreKind.available)
    func aMoveToWhereTheTaskAlreadyIsChangesNothing(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        try await board.addTask("a")
        let b = try await board.addTask("b")
        let before = try await board.store.latestEventId(campaignId: board.id)
        for position in [1, 5] {
            let result = try await board.store.moveTask(
                campaignId: board.id, taskId: b.id, move: TaskMove(phaseId: board.phaseId(0), position: position),
                ifMatch: 1, context: Board.editor)
            #expect(result == b)
        }
        #expect(try await board.store.latestEventId(campaignId: board.id) == before)
    }

    @Test(arguments: StoreKind.available)
    func movesCheckTheTargetPhase(kind: StoreKind) async throws {
        let store = try await kind.makeStore()
        let board = try await Board.make(store)
        let other = try await Board.make(store, name: "Other")
        let task = try await board.addTask("a")
        let unknown = await storeError {
            try await store.moveTask(campaignId: board.id, taskId: task.id, move: TaskMove(phaseId: Identifier.random(), position: 0),
                                     ifMatch: nil, context: Board.editor)
        }
        #expect(unknown == .notFound(.phase))
        let foreign = await storeError {
            try await store.moveTask(campaignId: board.id, taskId: task.id, move: TaskMove(phaseId: other.phaseId(0), position: 0),
                                     ifMatch: nil, context: Board.editor)
        }
        #expect(invalidField(foreign) == .some("phaseId"))
        for (move, field) in [(TaskMove(phaseId: board.phaseId(1), position: -1), "position"), (TaskMove(phaseId: "x", position: 0), "phaseId")] {
            let error = await storeError {
                try await store.moveTask(campaignId: board.id, taskId: task.id, move: move, ifMatch: nil, context: Board.editor)
            }
            #expect(invalidField(error) == .some(field))
        }
        #expect(try await store.task(campaignId: board.id, taskId: task.id) == task)
    }

    @Test(arguments: StoreKind.available)
    func deletesCloseTheGap(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        var ids: [String: String] = [:]
        for title in ["a", "b", "c", "d"] { ids[title] = try await board.addTask(title).id }
        try await board.store.deleteTask(campaignId: board.id, taskId: ids["b"]!, ifMatch: 1, context: Board.editor)
        #expect(try await board.titles(in: 0) == ["a", "c", "d"])
        try await board.store.deleteTask(campaignId: board.id, taskId: ids["a"]!, ifMatch: nil, context: Board.editor)
        #expect(try await board.titles(in: 0) == ["c", "d"])
        #expect(try await board.store.task(campaignId: board.id, taskId: ids["a"]!) == nil)
        #expect(try await board.tasks(in: 0).allSatisfy { $0.version == 1 })
        #expect(await storeError {
            try await board.store.deleteTask(campaignId: board.id, taskId: ids["a"]!, ifMatch: nil, context: Board.editor)
        } == .notFound(.task))
    }
}
