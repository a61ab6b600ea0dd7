/// Every figure of a fan-out run: printed as a table, written as JSON, drawn in the HTML report.
struct FanoutResult: Codable {
    /// One created task: when it was published and how long its deliveries took (ms after the publish).
    struct EventTiming: Codable {
        let index: Int
        let eventId: Int64?
        /// Publish time, ms after the first publish.
        let publishedAt: Double
        /// Publish → the create's HTTP answer.
        let responseMilliseconds: Double?
        let deliveries: Int
        let firstMilliseconds: Double?
        let medianMilliseconds: Double?
        let lastMilliseconds: Double?
    }

    /// Measured on the server process (`--server-pid`).
    struct ServerFigures: Codable {
        let pid: Int32
        let residentBytesBefore: Int
        let residentBytesLive: Int
        /// (live − before) / clients, with the clients connected and idle.
        let residentBytesPerConnection: Double
        /// utime + stime across the publish phase.
        let cpuSecondsDuringPublish: Double
        let cpuMicrosecondsPerDelivery: Double?
    }

    /// Spread over the events of one per-event figure (time to the last client).
    struct Spread: Codable {
        let p50: Double
        let max: Double
    }

    let tool: String
    let startedAt: String
    let command: String
    let url: String
    let campaignId: String
    /// Campaigns on each client's stream (1: `GET /api/events/:id`, more: `GET /api/events?campaign=…`).
    let campaignsPerStream: Int
    let clients: Int
    let events: Int
    /// Creates per second; nil in a burst.
    let rate: Double?
    /// Whether each create waited for the previous event's last delivery (`--closed-loop`).
    let closedLoop: Bool
    let sourceAddresses: [String]

    let delivered: Int
    let expected: Int
    let duplicates: Int
    let outOfOrder: Int
    /// Streams that ended after their `connected` event, before the run did.
    let disconnects: Int
    let historyUpdates: Int
    let foreignEvents: Int

    /// First connect → every client has had its `connected` event.
    let connectMilliseconds: Double
    let latency: LatencySummary
    /// Per event: publish → the last client's arrival.
    let timeToLastClient: Spread
    /// First publish → last publish written.
    let publishMilliseconds: Double
    /// How late creates were written against their schedule (no free publisher connection, busy client).
    let publishLag: Spread
    /// First publish → the end of the measurement (all delivered, settle time or timeout).
    let measureMilliseconds: Double

    let server: ServerFigures?
    let clientCPUSeconds: Double
    let clientCPUMicrosecondsPerDelivery: Double?

    /// Empty when the run delivered every event exactly once, in order.
    let problems: [String]
    let timeline: [EventTiming]
    let latencyDistribution: [LatencySummary.Point]

    var isClean: Bool { problems.isEmpty }
}
