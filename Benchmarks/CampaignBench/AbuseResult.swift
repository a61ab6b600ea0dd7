/// Every figure of an abuse run: printed as a table (ending in one row comparable across scenarios)
/// and written as JSON.
struct AbuseResult: Codable {
    /// The server's resident memory (`--server-pid`, or this process with `--embedded`).
    struct ServerMemory: Codable {
        let pid: Int32
        let residentBytesBefore: Int
        /// The highest of the samples taken every 100 ms from the attack's start to the run's end.
        let residentBytesPeak: Int
        /// The last sample: after the attack's connections were closed and the probe settled.
        let residentBytesAfter: Int
        /// Peak − before.
        let growthBytes: Int
        /// The process was gone (crashed or killed) by the end of the run.
        let exited: Bool
    }

    /// What the well-behaved user saw.
    struct ProbeFigures: Codable {
        let writesDue: Int
        let writesAnswered: Int
        /// Creates answered 201 (or 200, a repeated create): each one's event must arrive exactly once.
        let writesSucceeded: Int
        /// Create written → answer complete, answers of any status.
        let writeLatency: LatencySummary
        /// Create written → its `task-created` event read on the probe's stream.
        let deliveryLatency: LatencySummary
        let missingEvents: Int
        let duplicateEvents: Int
        let outOfOrder: Int
        /// How late a create was written against its schedule (every writer connection busy).
        let maximumLagMilliseconds: Double
        /// The ten slowest writes: seconds from the first write, and milliseconds to the answer (absent
        /// from reports written before it was added, which still serve as baselines).
        let slowestWrites: [WriteSample]?
        /// Every write in the order sent, and when the first was sent on `CLOCK_MONOTONIC` (seconds), so that
        /// a slow stretch can be laid beside another tool's samples of the machine (absent from older reports).
        let writes: [WriteSample]?
        let firstWriteMonotonicSeconds: Double?
        /// Failed or refused creates, stream ends, `overloaded` and `resync` events, by sentence.
        let errors: [String: Int]
        let errorCount: Int

        var exactlyOnce: Bool { missingEvents == 0 && duplicateEvents == 0 && outOfOrder == 0 }
    }

    /// One probe write: seconds from the first write, and milliseconds to the answer.
    struct WriteSample: Codable {
        let secondsIntoRun: Double
        let milliseconds: Double
    }

    /// This run's p99s over the idle server's (`--baseline`).
    struct BaselineComparison: Codable {
        let writeP99Ratio: Double
        let deliveryP99Ratio: Double
    }

    let tool: String
    let startedAt: String
    let command: String
    let url: String
    let campaignId: String
    let scenario: AbuseScenario
    let attackers: Int
    /// nil for `--scenario none` (and in reports written before the option existed).
    let attackPriority: AttackPriority?
    /// Tasks created before the run (nil in reports written before the option existed).
    let historyTasks: Int?
    let durationSeconds: Double
    let probeIntervalSeconds: Double

    let server: ServerMemory?
    let probe: ProbeFigures
    /// nil for `--scenario none`.
    let attack: AttackCounts?
    let baseline: BaselineComparison?

    /// Empty when the server stayed up, within the memory bound, and served the probe without error,
    /// exactly once and (with `--baseline`) within the p99 bound.
    let problems: [String]

    var isClean: Bool { problems.isEmpty }
}
