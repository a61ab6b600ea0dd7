/// Where a task stands.
public enum TaskStatus: String, Sendable, CaseIterable {
    case todo
    case inProgress = "in_progress"
    case blocked
    case done
}

/// How urgent a task is.
public enum TaskPriority: String, Sendable, CaseIterable {
    case low
    case medium
    case high
    case urgent
}
