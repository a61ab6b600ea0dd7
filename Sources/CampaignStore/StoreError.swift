import CampaignModel

/// Why a store operation did not happen. Each case maps to one HTTP status (docs/API.md, "Errors").
public enum StoreError: Error, Sendable, Equatable {
    /// 404: the campaign, phase or task does not exist (in that campaign).
    case notFound(Resource)
    /// 400: a constraint the body breaks (e.g. a phase of another campaign).
    case invalid(ValidationError)
    /// 409: the id is taken by other content, or belonged to a deleted task.
    case conflict(String)
    /// 409 `task_limit_reached`: the campaign already holds the most tasks the store allows.
    case taskLimitReached(limit: Int)
    /// 412: `If-Match` named another version; the current task is attached.
    case preconditionFailed(current: CampaignTask)
    /// 503: the database is unreachable; nothing was written.
    case unavailable(String)
    /// 503 `campaign_busy`: another transaction held the campaign's lock past the lock timeout
    /// (a writer left a transaction open on it); nothing was written, other campaigns are unaffected.
    case busy(String)

    public enum Resource: String, Sendable {
        case campaign, phase, task
    }
}
