import CampaignModel

extension InMemoryCampaignStore {
    /// Everything the embedded store holds. Only touched under the store's lock: each mutating call
    /// is one transaction that validates everything before it changes anything.
    struct State {
        var campaigns: [String: Campaign] = [:]
        /// Creation order, for listing.
        var campaignOrder: [String] = []
        var phasesByCampaign: [String: [Phase]] = [:]
        var phaseCampaign: [String: String] = [:]
        var tasks: [String: CampaignTask] = [:]
        /// Task ids of each phase in position order; every task's `position` is its index here.
        var phaseTasks: [String: [String]] = [:]
        /// Ids of deleted tasks: a create with one of them is a conflict, as in PostgreSQL (its history
        /// remains). Only the newest `retiredTaskIdsKept` are remembered, so create-and-delete loops
        /// cannot grow the store without bound.
        var retiredTaskIds: RecentIdentifiers
        /// Per campaign, oldest first; at most `configuration.historyKeptPerCampaign` (the newest).
        var history: [String: [HistoryEntry]] = [:]
        var log = InMemoryEventLog()
        var sink: (any CampaignEventSink)?
        let configuration: Configuration

        init(configuration: Configuration, sink: (any CampaignEventSink)?) {
            self.configuration = configuration
            self.sink = sink
            retiredTaskIds = RecentIdentifiers(capacity: configuration.retiredTaskIdsKept)
        }

        // MARK: Campaigns

        mutating func createCampaign(_ draft: CampaignDraft, now: Timestamp) throws(StoreError) -> Campaign {
            let id = draft.id ?? Identifier.random()
            guard campaigns[id] == nil else { throw .conflict("a campaign with this id already exists") }
            let campaign = Campaign(id: id, name: draft.name, createdAt: now)
            campaigns[id] = campaign
            campaignOrder.append(id)
            let phases = Campaign.defaultPhaseNames.enumerated().map { index, name in
                Phase(id: Identifier.random(), campaignId: id, name: name, position: index)
            }
            phasesByCampaign[id] = phases
            for phase in phases {
                phaseCampaign[phase.id] = id
                phaseTasks[phase.id] = []
            }
            return campaign
        }

        func snapshot(campaignId: String, historyLimit: Int) -> ExecutionSnapshot? {
            guard let campaign = campaigns[campaignId] else { return nil }
            let phases = phasesByCampaign[campaignId] ?? []
            let tasks = phases.flatMap { phase in (phaseTasks[phase.id] ?? []).compactMap { self.tasks[$0] } }
            let history = Array((history[campaignId] ?? []).reversed().prefix(max(0, historyLimit)))
            return ExecutionSnapshot(campaign: campaign, phases: phases, tasks: tasks, history: history,
                                     lastEventId: log.latestId(campaignId: campaignId))
        }

        // MARK: Lookups shared by the writes (in the order the API reports errors: 404s, then 400s, then 412)

        func requireCampaign(_ campaignId: String) throws(StoreError) {
            guard campaigns[campaignId] != nil else { throw .notFound(.campaign) }
        }

        func requireTask(campaignId: String, taskId: String) throws(StoreError) -> CampaignTask {
            try requireCampaign(campaignId)
            guard let task = tasks[taskId], task.campaignId == campaignId else { throw .notFound(.task) }
            return task
        }

        func requirePhase(_ phaseId: String, of campaignId: String) throws(StoreError) {
            guard let owner = phaseCampaign[phaseId] else { throw .notFound(.phase) }
            guard owner == campaignId else {
                throw .invalid(ValidationError(field: "phaseId", "belongs to another campaign"))
            }
        }

        func requireVersion(_ task: CampaignTask, ifMatch: Int?) throws(StoreError) {
            if let ifMatch, ifMatch != task.version { throw .preconditionFailed(current: task) }
        }

        /// Refuses a new task when the campaign is full (called after the checks that answer 404 or 409).
        func requireRoomForTask(in campaignId: String) throws(StoreError) {
            let count = (phasesByCampaign[campaignId] ?? []).reduce(0) { $0 + (phaseTasks[$1.id]?.count ?? 0) }
            let limit = configuration.maximumTasksPerCampaign
            if count >= limit { throw .taskLimitReached(limit: limit) }
        }

        // MARK: Positions

        /// Writes each task's index in `phaseId` as its position; a neighbour's version is left alone.
        mutating func renumber(_ phaseId: String, from first: Int = 0) {
            guard let ids = phaseTasks[phaseId] else { return }
            for index in first..<ids.count where tasks[ids[index]]?.position != index {
                tasks[ids[index]]?.position = index
            }
        }

        // MARK: Recording

        /// Appends the history entry, then the task event and its `history-update`, with consecutive ids.
        mutating func record(
            campaignId: String, taskId: String, action: HistoryAction, changes: JSONObject?, context: WriteContext,
            at now: Timestamp, taskEvent: (Int64) -> (CampaignEventType, String)
        ) {
            let entry = HistoryEntry(id: Identifier.random(), campaignId: campaignId, taskId: taskId, action: action,
                                     actor: context.actor, changes: changes, createdAt: now)
            appendHistory(entry, campaignId: campaignId)
            let taskEventId = log.makeId()
            let (type, data) = taskEvent(taskEventId)
            log.append(CampaignEvent(id: taskEventId, campaignId: campaignId, type: type, data: data), at: now)
            let historyEventId = log.makeId()
            log.append(CampaignEvent(
                id: historyEventId, campaignId: campaignId, type: .historyUpdate,
                data: EventData.historyUpdate(eventId: historyEventId, occurredAt: now, origin: context.origin, entry: entry)),
                at: now)
            if log.count > configuration.maximumRetainedEvents || log.retainedBytes > configuration.maximumRetainedEventBytes {
                _ = log.prune(olderThan: nil, keepingAtMost: configuration.maximumRetainedEvents,
                              keepingBytesAtMost: configuration.maximumRetainedEventBytes)
            }
        }

        /// Keeps the newest `historyKeptPerCampaign` entries: older ones are never served.
        private mutating func appendHistory(_ entry: HistoryEntry, campaignId: String) {
            let keep = configuration.historyKeptPerCampaign
            history[campaignId, default: []].append(entry)
            if let count = history[campaignId]?.count, count > keep {
                history[campaignId]?.removeFirst(count - keep)
            }
        }
    }
}
