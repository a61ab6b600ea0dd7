import CampaignModel

/// Everything the API and the live stream need from storage. Two implementations pass one contract
/// suite: `PostgresCampaignStore` (the deployment) and `InMemoryCampaignStore` (the embedded default).
///
/// Every write records its events (task event, then `history-update`) in the same transaction as the
/// change, with ids that increase in commit order within its campaign (across campaigns, PostgreSQL may
/// commit a smaller id after a larger one: each campaign's log is read on its own).
public protocol CampaignStore: Sendable {
    func listCampaigns() async throws(StoreError) -> [Campaign]
    /// A new campaign with its default phases. An existing `id` → `.conflict`.
    func createCampaign(_ draft: CampaignDraft) async throws(StoreError) -> Campaign
    func campaign(id: String) async throws(StoreError) -> Campaign?
    /// Campaign, phases, tasks, newest history and the newest event id, read in one transaction.
    func snapshot(campaignId: String, historyLimit: Int) async throws(StoreError) -> ExecutionSnapshot?

    func task(campaignId: String, taskId: String) async throws(StoreError) -> CampaignTask?
    /// `.created` (201) or, for a retried create with the same content, `.existing` (200, no event).
    func createTask(campaignId: String, draft: TaskDraft, context: WriteContext) async throws(StoreError) -> TaskCreation
    /// Applies `patch` (`ifMatch` = expected version, nil = last write wins).
    func updateTask(
        campaignId: String, taskId: String, patch: TaskPatch, ifMatch: Int?, context: WriteContext
    ) async throws(StoreError) -> CampaignTask
    func moveTask(
        campaignId: String, taskId: String, move: TaskMove, ifMatch: Int?, context: WriteContext
    ) async throws(StoreError) -> CampaignTask
    func deleteTask(campaignId: String, taskId: String, ifMatch: Int?, context: WriteContext) async throws(StoreError)

    /// Events of one campaign with id > `after`, oldest first, at most `limit`; `.expired` when events
    /// after `after` may have been pruned (the client must refetch the snapshot).
    func events(campaignId: String, after: Int64, limit: Int) async throws(StoreError) -> EventReplay
    /// The newest event id of one campaign (0 when none).
    func latestEventId(campaignId: String) async throws(StoreError) -> Int64
    /// Deletes events older than `olderThan` and beyond the newest `keepingAtMost`; returns how many.
    func pruneEvents(olderThan: Timestamp, keepingAtMost: Int) async throws(StoreError) -> Int

    /// Whether the backing database answers (always true in memory).
    func isReachable() async -> Bool
}

/// Who is writing: recorded as the history `actor` and the events' `origin`.
public struct WriteContext: Sendable, Equatable {
    /// The token's `sub`.
    public var actor: String
    /// The writer's `X-Client-Id` (the SSE `clientId`), echoed as `origin` in the events.
    public var origin: String?

    public init(actor: String, origin: String? = nil) {
        self.actor = actor
        self.origin = origin
    }
}

/// The outcome of a task create.
public enum TaskCreation: Sendable, Equatable {
    case created(CampaignTask)
    /// A retry of an earlier create with the same id and content: nothing written.
    case existing(CampaignTask)

    public var task: CampaignTask {
        switch self {
        case .created(let task), .existing(let task): task
        }
    }
}

/// A replay request's answer.
public enum EventReplay: Sendable, Equatable {
    case events([CampaignEvent])
    /// Events after the requested id may have been pruned: resync from a snapshot.
    case expired
}

/// Receives the events a store commits, in commit order. The in-memory store calls it synchronously
/// right after each commit; with PostgreSQL a `CampaignEventFeed` tells the rooms to read the log instead.
public protocol CampaignEventSink: Sendable {
    func publish(_ events: [CampaignEvent])
}
