/// `health-flood` and `large-writes`: keep-alive connections that each send one fixed request again the
/// moment the previous one is answered. Answers are counted by status and dropped.
final class RequestLoopAttack: Attack {
    private(set) var counts = AttackCounts()
    private let settings: AttackSettings
    private unowned let loop: ClientLoop
    private let request: [UInt8]
    private var clients: [RESTClient] = []
    private var stopped = false

    init(settings: AttackSettings, loop: ClientLoop, request: [UInt8]) {
        self.settings = settings
        self.loop = loop
        self.request = request
    }

    func start() {
        for index in 0..<settings.attackers {
            let client = RESTClient(loop: loop, address: settings.address, source: settings.source(index))
            clients.append(client)
            issue(client)
        }
    }

    func stop() {
        stopped = true
        for client in clients { client.close() }
    }

    private func issue(_ client: RESTClient) {
        guard !stopped, counts.requestsSent < settings.maximumRequests else { return }
        // A client that is not connected opens a new connection for this request.
        if !client.isConnected { counts.connectionsOpened += 1 }
        counts.requestsSent += 1
        counts.bytesSent += request.count
        client.send(request) { [unowned self] result in
            guard !stopped else { return }
            switch result {
            case .success(let response):
                counts.countResponse(status: response.head.status)
                if response.head.closesConnection { counts.connectionsClosedByServer += 1 }
                issue(client)
            case .failure(let failure):
                if case .connect = failure { counts.connectFailures += 1 } else { counts.connectionsClosedByServer += 1 }
                // No answer: try again from the loop after a pause, not by recursing at once.
                loop.schedule(at: Clock.now() + 10_000_000) { [weak self] in self?.issue(client) }
            }
        }
    }
}
