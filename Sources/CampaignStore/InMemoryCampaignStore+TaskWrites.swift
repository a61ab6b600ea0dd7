import CampaignModel

/// The task writes, with the semantics of the PostgreSQL triggers: positions 0..n-1 per phase,
/// version +1 per update or move, a write that changes nothing is skipped (no version, no event).
extension InMemoryCampaignStore.State {
    mutating func createTask(
        campaignId: String, draft: TaskDraft, context: WriteContext, now: Timestamp
    ) throws(StoreError) -> TaskCreation {
        try requireCampaign(campaignId)
        try requirePhase(draft.phaseId, of: campaignId)
        if let id = draft.id {
            if let existing = tasks[id] {
                guard draft.matches(existing, campaignId: campaignId) else {
                    throw .conflict("a task with this id already exists with other content")
                }
                return .existing(existing)
            }
            guard !retiredTaskIds.contains(id) else { throw .conflict("this id belonged to a deleted task") }
        }
        try requireRoomForTask(in: campaignId)
        let ids = phaseTasks[draft.phaseId] ?? []
        let position = min(draft.position ?? ids.count, ids.count)
        let task = CampaignTask(
            id: draft.id ?? Identifier.random(), campaignId: campaignId, phaseId: draft.phaseId, title: draft.title,
            description: draft.description, status: draft.status, priority: draft.priority, assignee: draft.assignee,
            dueDate: draft.dueDate, position: position, version: 1, createdAt: now, updatedAt: now)
        tasks[task.id] = task
        phaseTasks[draft.phaseId, default: []].insert(task.id, at: position)
        renumber(draft.phaseId, from: position + 1)
        record(campaignId: campaignId, taskId: task.id, action: .created, changes: nil, context: context, at: now) { id in
            (.taskCreated, EventData.taskCreated(eventId: id, occurredAt: now, origin: context.origin, task: task))
        }
        return .created(task)
    }

    mutating func updateTask(
        campaignId: String, taskId: String, patch: TaskPatch, ifMatch: Int?, context: WriteContext, now: Timestamp
    ) throws(StoreError) -> CampaignTask {
        let current = try requireTask(campaignId: campaignId, taskId: taskId)
        try requireVersion(current, ifMatch: ifMatch)
        var updated = patch.applied(to: current)
        let changes = HistoryEntry.changes(from: current, to: updated, fields: TaskPatch.editableFields)
        guard !changes.members.isEmpty else { return current }
        updated.version += 1
        updated.updatedAt = now
        tasks[taskId] = updated
        let final = updated
        record(campaignId: campaignId, taskId: taskId, action: .updated, changes: changes, context: context, at: now) { id in
            (.taskUpdated, EventData.taskUpdated(eventId: id, occurredAt: now, origin: context.origin, task: final,
                                                 changes: changes))
        }
        return final
    }

    mutating func moveTask(
        campaignId: String, taskId: String, move: TaskMove, ifMatch: Int?, context: WriteContext, now: Timestamp
    ) throws(StoreError) -> CampaignTask {
        let current = try requireTask(campaignId: campaignId, taskId: taskId)
        try requirePhase(move.phaseId, of: campaignId)
        try requireVersion(current, ifMatch: ifMatch)
        var others = phaseTasks[move.phaseId] ?? []
        others.removeAll { $0 == taskId }
        let position = min(move.position, others.count)
        guard move.phaseId != current.phaseId || position != current.position else { return current }

        phaseTasks[current.phaseId]?.remove(at: current.position)
        renumber(current.phaseId, from: current.position)
        phaseTasks[move.phaseId, default: []].insert(taskId, at: position)
        var moved = current
        moved.phaseId = move.phaseId
        moved.position = position
        moved.version += 1
        moved.updatedAt = now
        tasks[taskId] = moved
        renumber(move.phaseId, from: min(position, move.phaseId == current.phaseId ? current.position : position))
        let changes = HistoryEntry.changes(from: current, to: moved, fields: TaskField.allCases)
        let final = moved
        record(campaignId: campaignId, taskId: taskId, action: .moved, changes: changes, context: context, at: now) { id in
            (.taskMoved, EventData.taskMoved(eventId: id, occurredAt: now, origin: context.origin, task: final,
                                             fromPhaseId: current.phaseId))
        }
        return moved
    }

    mutating func deleteTask(
        campaignId: String, taskId: String, ifMatch: Int?, context: WriteContext, now: Timestamp
    ) throws(StoreError) {
        let current = try requireTask(campaignId: campaignId, taskId: taskId)
        try requireVersion(current, ifMatch: ifMatch)
        tasks[taskId] = nil
        retiredTaskIds.insert(taskId)
        phaseTasks[current.phaseId]?.remove(at: current.position)
        renumber(current.phaseId, from: current.position)
        record(campaignId: campaignId, taskId: taskId, action: .deleted, changes: nil, context: context, at: now) { id in
            (.taskDeleted, EventData.taskDeleted(eventId: id, campaignId: campaignId, occurredAt: now,
                                                 origin: context.origin, taskId: taskId, phaseId: current.phaseId))
        }
    }
}
