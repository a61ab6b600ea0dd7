/// Every figure of a load run: printed as a table and written as JSON.
struct LoadResult: Codable {
    /// Throughput and latency of one route.
    struct RouteFigures: Codable {
        let route: String
        let requests: Int
        let succeeded: Int
        let requestsPerSecond: Double
        /// Request written → response complete, answered requests of any status.
        let latency: LatencySummary
        /// Status → answers.
        let statuses: [String: Int]
    }

    let tool: String
    let startedAt: String
    let command: String
    let url: String
    /// The first campaign written to.
    let campaignId: String
    /// Campaigns the workers were spread over.
    let campaigns: Int
    let concurrency: Int
    /// Subscribers over all campaigns.
    let subscribers: Int
    let mix: String
    /// First request → last answer.
    let durationSeconds: Double

    let requests: Int
    let requestsPerSecond: Double
    let routes: [RouteFigures]
    /// Answers that were not the route's success status, by status.
    let errorsByStatus: [String: Int]
    /// Requests that got no HTTP answer, by reason.
    let transportErrors: [String: Int]

    /// Creates, updates and moves that succeeded and changed their task: each must reach every subscriber.
    let writesSucceeded: Int
    /// Successful writes that changed nothing (same version, e.g. a move to where the task was): no event due.
    let unchangedWrites: Int
    let expectedEvents: Int
    let missingEvents: Int
    /// The same write's event twice on one subscriber (by task id and version, or by event id).
    let duplicateEvents: Int
    let outOfOrder: Int
    /// Task events that match no write of this run (another writer of the campaign).
    let unmatchedEvents: Int
    let historyUpdates: Int
    let subscriberDisconnects: Int
    let otherEvents: [String: Int]

    /// Empty when every successful write reached every subscriber exactly once, in order.
    let problems: [String]

    var isClean: Bool { problems.isEmpty }
}
