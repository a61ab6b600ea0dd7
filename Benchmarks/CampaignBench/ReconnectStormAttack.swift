/// `reconnect-storm`: streams on the probe's campaign that close as soon as their `connected` event
/// arrives and reopen at once with `Last-Event-ID`, each as a new connection: a crowd of browsers
/// coming back after a blip, over and over.
final class ReconnectStormAttack: Attack, SSEClientDelegate {
    private(set) var counts = AttackCounts()
    private let settings: AttackSettings
    private unowned let loop: ClientLoop
    private let request: [UInt8]
    private var streams: [SSEClient?]
    private var stopped = false

    init(settings: AttackSettings, loop: ClientLoop) {
        self.settings = settings
        self.loop = loop
        request = HTTPRequest.encode(method: "GET", path: "/api/events/\(settings.campaignID)", address: settings.address,
                                     token: settings.token,
                                     headers: [("Accept", "text/event-stream"), ("Last-Event-ID", "\(settings.lastEventID)")])
        streams = Array(repeating: nil, count: settings.attackers)
    }

    func start() {
        for index in 0..<settings.attackers { open(index) }
    }

    func stop() {
        stopped = true
        for stream in streams { stream?.close() }
    }

    func sseClient(_ client: SSEClient, didReceive event: SSEEvent, at arrival: UInt64) {
        switch event.type {
        case .connected:
            counts.countResponse(status: 200)
            client.close()
            streams[client.index] = nil
            open(client.index)
        case .overloaded:
            counts.overloadedEvents += 1  // the server closes the stream next
        default:
            break
        }
    }

    func sseClient(_ client: SSEClient, didEndWith failure: ConnectionFailure) {
        streams[client.index] = nil
        switch failure {
        case .connect:
            counts.connectFailures += 1
        case .status(let head, _):
            counts.countResponse(status: head.status)
            counts.connectionsClosedByServer += 1
        case .io, .closed, .malformed:
            counts.connectionsClosedByServer += 1
        }
        reopen(client.index, after: 50_000_000)
    }

    private func open(_ index: Int) {
        guard !stopped, counts.requestsSent < settings.maximumRequests else { return }
        do {
            streams[index] = try SSEClient(index: index, loop: loop, delegate: self, request: request,
                                           address: settings.address, source: settings.source(index))
            counts.connectionsOpened += 1
            counts.requestsSent += 1
            counts.bytesSent += request.count
        } catch {
            counts.connectFailures += 1
            reopen(index, after: 100_000_000)
        }
    }

    private func reopen(_ index: Int, after nanoseconds: UInt64) {
        guard !stopped else { return }
        loop.schedule(at: Clock.now() + nanoseconds) { [weak self] in self?.open(index) }
    }
}
