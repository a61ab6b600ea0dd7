import CampaignModel
import CampaignStore
import Foundation
import Testing

/// A fresh campaign in a store, with shortcuts for the contract tests.
struct Board: Sendable {
    let store: any CampaignStore
    let campaign: Campaign
    let phases: [Phase]

    static let editor = WriteContext(actor: "editor-1", origin: "client-1")

    static func make(_ store: any CampaignStore, name: String = "Launch plan") async throws -> Board {
        let campaign = try await store.createCampaign(CampaignDraft(name: name))
        let snapshot = try #require(try await store.snapshot(campaignId: campaign.id, historyLimit: 50))
        return Board(store: store, campaign: campaign, phases: snapshot.phases)
    }

    var id: String { campaign.id }

    func phaseId(_ index: Int) -> String { phases[index].id }

    @discardableResult
    func addTask(
        _ title: String, phase: Int = 0, position: Int? = nil, id: String? = nil, description: String = "",
        context: WriteContext = Board.editor
    ) async throws -> CampaignTask {
        let draft = TaskDraft(id: id, phaseId: phaseId(phase), title: title, description: description, position: position)
        return try await store.createTask(campaignId: campaign.id, draft: draft, context: context).task
    }

    func snapshot(historyLimit: Int = 50) async throws -> ExecutionSnapshot {
        try #require(try await store.snapshot(campaignId: campaign.id, historyLimit: historyLimit))
    }

    /// The tasks of one phase, in position order.
    func tasks(in phase: Int) async throws -> [CampaignTask] {
        try await snapshot().tasks.filter { $0.phaseId == phaseId(phase) }
    }

    /// Titles of one phase in position order, after checking the positions are exactly 0..n-1.
    func titles(in phase: Int) async throws -> [String] {
        let tasks = try await tasks(in: phase)
        #expect(tasks.map(\.position) == Array(0..<tasks.count), "positions of phase \(phase)")
        return tasks.map(\.title)
    }

    /// This campaign's retained events after `after`.
    func events(after: Int64 = 0) async throws -> [CampaignEvent] {
        guard case .events(let events) = try await store.events(campaignId: campaign.id, after: after, limit: 100_000) else {
            Issue.record("the replay expired unexpectedly")
            return []
        }
        return events
    }
}

/// The `StoreError` an operation failed with (nil when it succeeded).
func storeError<T>(_ operation: () async throws -> T) async -> StoreError? {
    do {
        _ = try await operation()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("expected a StoreError, got \(error)")
        return nil
    }
}

/// The field of an `.invalid` error.
func invalidField(_ error: StoreError?) -> String?? {
    if case .invalid(let validation) = error { return .some(validation.field) }
    return .none
}

/// An event's data parsed as a JSON object.
func dataObject(_ event: CampaignEvent) throws -> JSONObject {
    try #require(try JSONParser.parse(event.data).objectValue, "event \(event.id) data is not an object")
}

/// Waits until the wall clock has passed `time` (so the next write gets a later timestamp).
/// Not a timing assertion: it only orders two writes in time.
func waitForClock(after time: Timestamp) async throws {
    while Timestamp.now() <= time { try await Task.sleep(for: .milliseconds(2)) }
}
