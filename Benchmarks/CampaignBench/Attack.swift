/// One attack scenario's connections, driven by the attack thread's own `ClientLoop`.
protocol Attack: AnyObject {
    /// What the attack has done so far.
    var counts: AttackCounts { get }
    /// Opens the connections and starts sending.
    func start()
    /// Stops sending and closes every connection.
    func stop()
}

/// Everything an attack needs; built on the probe's thread, handed to the attack's.
struct AttackSettings: Sendable {
    var scenario: AbuseScenario
    var address: ServerAddress
    var token: String
    var campaignID: String
    /// A phase of the campaign, for request bodies that look like task creates.
    var phaseID: String
    /// Local addresses the attack's connections come from (the probe keeps the kernel's choice).
    var sources: [String?]
    var attackers: Int
    /// The attack stops once it has written this many requests.
    var maximumRequests: Int
    /// large-writes: the size of each request body.
    var bodyBytes: Int
    /// slowloris: seconds between two bytes on one connection.
    var trickleInterval: Double
    /// reconnect-storm: the `Last-Event-ID` every reopened stream presents.
    var lastEventID: Int64
    /// The attack thread's scheduling priority.
    var priority: AttackPriority
    /// The attack ends by itself at this monotonic time even if nobody stops it.
    var deadline: UInt64

    func source(_ index: Int) -> String? { sources[index % sources.count] }

    /// The attack of `scenario`, or nil for `none`.
    func makeAttack(loop: ClientLoop) -> Attack? {
        switch scenario {
        case .none:
            return nil
        case .pipelineFlood:
            return PipelineFloodAttack(settings: self, loop: loop)
        case .slowloris:
            return SlowlorisAttack(settings: self, loop: loop)
        case .reconnectStorm:
            return ReconnectStormAttack(settings: self, loop: loop)
        case .healthFlood:
            return RequestLoopAttack(settings: self, loop: loop, request: HTTPRequest.encode(
                method: "GET", path: "/api/health", address: address, token: nil))
        case .largeWrites:
            return RequestLoopAttack(settings: self, loop: loop, request: HTTPRequest.encode(
                method: "POST", path: "/api/campaigns/\(campaignID)/tasks", address: address, token: token,
                body: LargeBody.taskCreate(phaseID: phaseID, bytes: bodyBytes)))
        }
    }
}
