import CampaignModel
import Logging

/// Bounds the event log in the background: events older than the retention age, and beyond the
/// newest `keepCount`, are deleted. A client resuming from before that gets `resync`.
public struct EventPruner: Sendable {
    public var maximumAgeMilliseconds: Int64
    public var keepCount: Int
    public var intervalMilliseconds: Int

    public init(maximumAgeMilliseconds: Int64, keepCount: Int, intervalMilliseconds: Int = 60_000) {
        self.maximumAgeMilliseconds = maximumAgeMilliseconds
        self.keepCount = keepCount
        self.intervalMilliseconds = intervalMilliseconds
    }

    /// Prunes once.
    @discardableResult
    public func prune(_ store: any CampaignStore, logger: Logger) async -> Int {
        let cutoff = Timestamp(millisecondsSinceEpoch: Timestamp.now().millisecondsSinceEpoch - maximumAgeMilliseconds)
        do {
            let removed = try await store.pruneEvents(olderThan: cutoff, keepingAtMost: keepCount)
            if removed > 0 { logger.info("[DB] pruned old events", metadata: ["events": "\(removed)"]) }
            return removed
        } catch {
            logger.warning("[DB] event pruning failed", metadata: ["error": "\(error)"])
            return 0
        }
    }

    /// Prunes every interval until the task is cancelled.
    public func run(_ store: any CampaignStore, logger: Logger) async {
        while !Task.isCancelled {
            await prune(store, logger: logger)
            try? await Task.sleep(for: .milliseconds(intervalMilliseconds))
        }
    }
}
