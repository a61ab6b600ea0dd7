import CampaignModel
import CampaignStore
import HTTP

/// A real in-memory store whose per-campaign event reads take a while, as a database's do: replays then
/// overlap in time, which is what the replay limits are about. Everything else is passed straight on.
/// With a `hold` that the test has entered, every event read waits until the test leaves it.
struct SlowReplayStore: CampaignStore {
    let base: InMemoryCampaignStore
    let readDelay: Duration
    var hold: AsyncGate? = nil

    func events(campaignId: String, after: Int64, limit: Int) async throws(StoreError) -> EventReplay {
        if let hold {
            await hold.enter()
            hold.leave()
        }
        try? await Task.sleep(for: readDelay)
        return try await base.events(campaignId: campaignId, after: after, limit: limit)
    }

    func listCampaigns() async throws(StoreError) -> [Campaign] { try await base.listCampaigns() }
    func createCampaign(_ draft: CampaignDraft) async throws(StoreError) -> Campaign { try await base.createCampaign(draft) }
    func campaign(id: String) async throws(StoreError) -> Campaign? { try await base.campaign(id: id) }
    func snapshot(campaignId: String, historyLimit: Int) async throws(StoreError) -> ExecutionSnapshot? {
        try await base.snapshot(campaignId: campaignId, historyLimit: historyLimit)
    }
    func task(campaignId: String, taskId: String) async throws(StoreError) -> CampaignTask? {
        try await base.task(campaignId: campaignId, taskId: taskId)
    }
    func createTask(campaignId: String, draft: TaskDraft, context: WriteContext) async throws(StoreError) -> TaskCreation {
        try await base.createTask(campaignId: campaignId, draft: draft, context: context)
    }
    func updateTask(
        campaignId: String, taskId: String, patch: TaskPatch, ifMatch: Int?, context: WriteContext
    ) async throws(StoreError) -> CampaignTask {
        try await base.updateTask(campaignId: campaignId, taskId: taskId, patch: patch, ifMatch: ifMatch, context: context)
    }
    func moveTask(
        campaignId: String, taskId: String, move: TaskMove, ifMatch: Int?, context: WriteContext
    ) async throws(StoreError) -> CampaignTask {
        try await base.moveTask(campaignId: campaignId, taskId: taskId, move: move, ifMatch: ifMatch, context: context)
    }
    func deleteTask(campaignId: String, taskId: String, ifMatch: Int?, context: WriteContext) async throws(StoreError) {
        try await base.deleteTask(campaignId: campaignId, taskId: taskId, ifMatch: ifMatch, context: context)
    }
    func latestEventId(campaignId: String) async throws(StoreError) -> Int64 { try await base.latestEventId(campaignId: campaignId) }
    func pruneEvents(olderThan: Timestamp, keepingAtMost: Int) async throws(StoreError) -> Int {
        try await base.pruneEvents(olderThan: olderThan, keepingAtMost: keepingAtMost)
    }
    func isReachable() async -> Bool { await base.isReachable() }
}
