import CampaignModel
import Synchronization

/// The embedded store used when no `DATABASE_URL` is set: the same semantics and the same events as
/// `PostgresCampaignStore`, nothing survives a restart.
///
/// One lock is the "database": each write validates, applies, records its history and events with
/// the next ids, and hands those events to the sink before the lock is released, so the sink sees
/// every commit once, in id order. The sink must not block (it runs under the lock).
public final class InMemoryCampaignStore: CampaignStore {
    public let configuration: Configuration
    private let state: Mutex<State>

    /// An empty store; `eventSink` (also settable later) receives every commit's events.
    public init(configuration: Configuration, eventSink: (any CampaignEventSink)? = nil) {
        self.configuration = configuration
        state = Mutex(State(configuration: configuration, sink: eventSink))
    }

    /// Replaces the sink that receives each commit's events (nil: events are only kept in the log).
    public func setEventSink(_ sink: (any CampaignEventSink)?) {
        state.withLock { $0.sink = sink }
    }

    // MARK: Campaigns

    public func listCampaigns() async throws(StoreError) -> [Campaign] {
        state.withLock { state in state.campaignOrder.compactMap { state.campaigns[$0] } }
    }

    public func createCampaign(_ draft: CampaignDraft) async throws(StoreError) -> Campaign {
        let draft = try StoreInput.campaignDraft(draft)
        return try write { state, now throws(StoreError) in try state.createCampaign(draft, now: now) }
    }

    public func campaign(id: String) async throws(StoreError) -> Campaign? {
        guard let id = Identifier.normalized(id) else { return nil }
        return state.withLock { $0.campaigns[id] }
    }

    public func snapshot(campaignId: String, historyLimit: Int) async throws(StoreError) -> ExecutionSnapshot? {
        guard let campaignId = Identifier.normalized(campaignId) else { return nil }
        return state.withLock { $0.snapshot(campaignId: campaignId, historyLimit: historyLimit) }
    }

    // MARK: Tasks

    public func task(campaignId: String, taskId: String) async throws(StoreError) -> CampaignTask? {
        guard let campaignId = Identifier.normalized(campaignId), let taskId = Identifier.normalized(taskId) else {
            return nil
        }
        return state.withLock { state in
            guard let task = state.tasks[taskId], task.campaignId == campaignId else { return nil }
            return task
        }
    }

    public func createTask(campaignId: String, draft: TaskDraft, context: WriteContext) async throws(StoreError) -> TaskCreation {
        let campaignId = try StoreInput.pathIdentifier(campaignId, .campaign)
        let draft = try StoreInput.taskDraft(draft)
        let context = StoreInput.context(context)
        return try write { state, now throws(StoreError) in
            try state.createTask(campaignId: campaignId, draft: draft, context: context, now: now)
        }
    }

    public func updateTask(
        campaignId: String, taskId: String, patch: TaskPatch, ifMatch: Int?, context: WriteContext
    ) async throws(StoreError) -> CampaignTask {
        let (campaignId, taskId, context) = try StoreInput.taskTarget(campaignId: campaignId, taskId: taskId, context: context)
        let patch = try StoreInput.taskPatch(patch)
        return try write { state, now throws(StoreError) in
            try state.updateTask(campaignId: campaignId, taskId: taskId, patch: patch, ifMatch: ifMatch,
                                 context: context, now: now)
        }
    }

    public func moveTask(
        campaignId: String, taskId: String, move: TaskMove, ifMatch: Int?, context: WriteContext
    ) async throws(StoreError) -> CampaignTask {
        let (campaignId, taskId, context) = try StoreInput.taskTarget(campaignId: campaignId, taskId: taskId, context: context)
        let move = try StoreInput.taskMove(move)
        return try write { state, now throws(StoreError) in
            try state.moveTask(campaignId: campaignId, taskId: taskId, move: move, ifMatch: ifMatch,
                               context: context, now: now)
        }
    }

    public func deleteTask(campaignId: String, taskId: String, ifMatch: Int?, context: WriteContext) async throws(StoreError) {
        let (campaignId, taskId, context) = try StoreInput.taskTarget(campaignId: campaignId, taskId: taskId, context: context)
        try write { state, now throws(StoreError) in
            try state.deleteTask(campaignId: campaignId, taskId: taskId, ifMatch: ifMatch, context: context, now: now)
        }
    }

    // MARK: Events

    public func events(campaignId: String, after: Int64, limit: Int) async throws(StoreError) -> EventReplay {
        guard let campaignId = Identifier.normalized(campaignId) else { return .events([]) }
        return state.withLock { $0.log.replay(campaignId: campaignId, after: after, limit: limit) }
    }

    public func latestEventId(campaignId: String) async throws(StoreError) -> Int64 {
        guard let campaignId = Identifier.normalized(campaignId) else { return 0 }
        return state.withLock { $0.log.latestId(campaignId: campaignId) }
    }

    public func pruneEvents(olderThan: Timestamp, keepingAtMost: Int) async throws(StoreError) -> Int {
        state.withLock { $0.log.prune(olderThan: olderThan, keepingAtMost: keepingAtMost) }
    }

    public func isReachable() async -> Bool { true }

    // MARK: Statistics

    /// What the store holds now, for tests and operators: each figure is bounded by `configuration`.
    public struct Statistics: Sendable, Equatable {
        public var retainedEvents: Int
        public var retainedEventBytes: Int
        /// History entries over all campaigns.
        public var historyEntries: Int
        /// Ids of deleted tasks remembered.
        public var retiredTaskIds: Int
    }

    public var statistics: Statistics {
        state.withLock { state in
            Statistics(retainedEvents: state.log.count, retainedEventBytes: state.log.retainedBytes,
                       historyEntries: state.history.values.reduce(0) { $0 + $1.count },
                       retiredTaskIds: state.retiredTaskIds.count)
        }
    }

    // MARK: Commit

    /// One transaction: `body` runs under the lock with the commit time, then the events it
    /// recorded go to the sink, still under the lock so that commits reach it in id order.
    private func write<T: Sendable>(
        _ body: (inout State, Timestamp) throws(StoreError) -> T
    ) throws(StoreError) -> T {
        try state.withLock { state throws(StoreError) -> T in
            let value = try body(&state, Timestamp.now())
            let events = state.log.takePending()
            if !events.isEmpty { state.sink?.publish(events) }
            return value
        }
    }
}
