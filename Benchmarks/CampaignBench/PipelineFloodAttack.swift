/// `pipeline-flood`: each connection writes `GET /client/campaign-client.js` requests back to back
/// (HTTP/1.1 pipelining) as fast as the socket takes them and never reads a byte, so every answer
/// the server produces has to wait in the server. Only the counts are kept here.
final class PipelineFloodAttack: Attack, RawConnectionOwner {
    private(set) var counts = AttackCounts()
    private let settings: AttackSettings
    private unowned let loop: ClientLoop
    private let requestLength: Int
    /// Many copies of the request, written round and round: one send moves tens of requests.
    private let batch: [UInt8]
    private var connections: [RawConnection?]
    /// Per connection: where in `batch` the next send starts, and bytes of a request not yet complete.
    private var offsets: [Int]
    private var partial: [Int]
    private var stopped = false

    init(settings: AttackSettings, loop: ClientLoop) {
        self.settings = settings
        self.loop = loop
        let request = HTTPRequest.encode(method: "GET", path: "/client/campaign-client.js", address: settings.address,
                                         token: nil)
        requestLength = request.count
        batch = Array([[UInt8]](repeating: request, count: max(1, 64 * 1024 / request.count)).joined())
        connections = Array(repeating: nil, count: settings.attackers)
        offsets = Array(repeating: 0, count: settings.attackers)
        partial = Array(repeating: 0, count: settings.attackers)
    }

    func start() {
        for index in 0..<settings.attackers { open(index) }
    }

    func stop() {
        stopped = true
        for connection in connections { connection?.close() }
    }

    func rawConnectionIsWritable(_ connection: RawConnection) {
        flood(connection)
    }

    func rawConnectionEnded(_ connection: RawConnection) {
        guard connections[connection.index] === connection else { return }
        counts.connectionsClosedByServer += 1
        reopen(connection.index, after: 10_000_000)
    }

    private func open(_ index: Int) {
        guard !stopped else { return }
        do {
            let connection = try RawConnection(index: index, loop: loop, owner: self, address: settings.address,
                                               source: settings.source(index), readsInput: false)
            connections[index] = connection
            offsets[index] = 0
            partial[index] = 0
            counts.connectionsOpened += 1
        } catch {
            counts.connectFailures += 1
            reopen(index, after: 100_000_000)
        }
    }

    private func reopen(_ index: Int, after nanoseconds: UInt64) {
        connections[index] = nil
        guard !stopped else { return }
        loop.schedule(at: Clock.now() + nanoseconds) { [weak self] in self?.open(index) }
    }

    /// Writes until the socket is full (edge-triggered: the next writability is reported anew).
    private func flood(_ connection: RawConnection) {
        let index = connection.index
        while !stopped && connection.isOpen && counts.requestsSent < settings.maximumRequests {
            let offset = offsets[index]
            let result = batch.withUnsafeBytes { connection.send(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            switch result {
            case .bytes(let count):
                counts.bytesSent += count
                offsets[index] = (offset + count) % batch.count
                partial[index] += count
                counts.requestsSent += partial[index] / requestLength
                partial[index] %= requestLength
            case .wouldBlock, .endOfFile:
                return
            case .failed:
                connection.close()
                return rawConnectionEnded(connection)
            }
        }
    }
}
