import CampaignModel
import CampaignStore
import Foundation
import Testing

/// Concurrent writers, against both stores: optimistic concurrency and positions under contention.
@Suite struct ConcurrencyContractTests {
    @Test(arguments: StoreKind.available)
    func twoUpdatesWithTheSameIfMatchLetExactlyOneWin(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        for round in 0..<5 {
            let task = try await board.addTask("race \(round)")
            let results = await withTaskGroup(of: Result<CampaignTask, StoreError>.self) { group in
                for writer in ["left", "right"] {
                    group.addTask {
                        do throws(StoreError) {
                            return .success(try await board.store.updateTask(
                                campaignId: board.id, taskId: task.id, patch: TaskPatch(title: "\(writer) \(round)"),
                                ifMatch: 1, context: WriteContext(actor: writer)))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var collected: [Result<CampaignTask, StoreError>] = []
                for await result in group { collected.append(result) }
                return collected
            }
            let winners = results.compactMap { try? $0.get() }
            #expect(winners.count == 1)
            let winner = try #require(winners.first)
            #expect(winner.version == 2)
            let losers = results.compactMap { result -> StoreError? in
                if case .failure(let error) = result { return error }
                return nil
            }
            // The loser learns the winner's task, to merge or retry with.
            #expect(losers == [.preconditionFailed(current: winner)])
            #expect(try await board.store.task(campaignId: board.id, taskId: task.id) == winner)
        }
        let updates = try await board.snapshot().history.filter { $0.action == .updated }
        #expect(updates.count == 5)
    }

    @Test(arguments: StoreKind.available)
    func twentyConcurrentMovesIntoOnePhaseLeaveDensePositions(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        var tasks: [CampaignTask] = []
        for index in 0..<20 { tasks.append(try await board.addTask("t\(index)", phase: index % 2 == 0 ? 0 : 2)) }
        try await board.addTask("resident", phase: 1)
        let before = try await board.store.latestEventId(campaignId: board.id)
        try await withThrowingTaskGroup(of: CampaignTask.self) { group in
            for (index, task) in tasks.enumerated() {
                group.addTask {
                    try await board.store.moveTask(
                        campaignId: board.id, taskId: task.id, move: TaskMove(phaseId: board.phaseId(1), position: index % 3),
                        ifMatch: 1, context: Board.editor)
                }
            }
            for try await moved in group { #expect(moved.version == 2 && moved.phaseId == board.phaseId(1)) }
        }
        let titles = try await board.titles(in: 1)
        #expect(titles.count == 21 && Set(titles).count == 21)
        #expect(try await board.titles(in: 0).isEmpty)
        #expect(try await board.titles(in: 2).isEmpty)
        let after = try await board.events(after: before)
        #expect(after.count == 40)
        #expect(after.filter { $0.type == .taskMoved }.count == 20)
    }

    @Test(arguments: StoreKind.available)
    func concurrentCreatesAndDeletesKeepPositionsDense(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        var doomed: [CampaignTask] = []
        for index in 0..<10 { doomed.append(try await board.addTask("old \(index)")) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<15 {
                group.addTask { try await board.addTask("new \(index)", position: index % 4 == 0 ? 0 : nil) }
            }
            for task in doomed {
                group.addTask {
                    try await board.store.deleteTask(campaignId: board.id, taskId: task.id, ifMatch: nil, context: Board.editor)
                }
            }
            try await group.waitForAll()
        }
        let titles = try await board.titles(in: 0)
        #expect(titles.count == 15 && titles.allSatisfy { $0.hasPrefix("new ") })
    }

    @Test(arguments: StoreKind.available)
    func concurrentRetriesOfOneCreateMakeOneTask(kind: StoreKind) async throws {
        let board = try await Board.make(try await kind.makeStore())
        let draft = TaskDraft(id: Identifier.random(), phaseId: board.phaseId(0), title: "Once")
        let outcomes = try await withThrowingTaskGroup(of: TaskCreation.self) { group in
            for _ in 0..<8 {
                group.addTask { try await board.store.createTask(campaignId: board.id, draft: draft, context: Board.editor) }
            }
            var all: [TaskCreation] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        let created = outcomes.filter { if case .created = $0 { return true } else { return false } }
        #expect(created.count == 1)
        #expect(Set(outcomes.map(\.task.id)) == [draft.id!])
        #expect(try await board.events().count == 2)
    }
}
