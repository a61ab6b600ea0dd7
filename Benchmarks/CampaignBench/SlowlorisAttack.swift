/// `slowloris`: connections that each trickle a task create one byte at a time. Even connections trickle
/// the whole request from its first byte (a head that never ends); odd ones send the head at once and
/// trickle the body (a body that never ends). A connection that completes its request starts the next
/// on the same connection; one the server closes is reopened. What the server sends back is read and
/// dropped.
final class SlowlorisAttack: Attack, RawConnectionOwner {
    private(set) var counts = AttackCounts()
    private let settings: AttackSettings
    private unowned let loop: ClientLoop
    private let request: [UInt8]
    private let headLength: Int
    private var connections: [RawConnection?]
    /// Per connection: bytes of the current request written.
    private var positions: [Int]
    private var stopped = false
    /// The connections are served in this many groups, one group per tick, so the bytes are spread
    /// evenly over each interval instead of leaving in one burst.
    private let groups = 10
    private var tickNumber = 0

    init(settings: AttackSettings, loop: ClientLoop) {
        self.settings = settings
        self.loop = loop
        let body = LargeBody.untitledCreate(bytes: 1024)
        request = HTTPRequest.encode(method: "POST", path: "/api/campaigns/\(settings.campaignID)/tasks",
                                     address: settings.address, token: settings.token, body: body)
        headLength = request.count - body.count
        connections = Array(repeating: nil, count: settings.attackers)
        positions = Array(repeating: 0, count: settings.attackers)
    }

    func start() {
        for index in 0..<settings.attackers { open(index) }
        scheduleTick()
    }

    func stop() {
        stopped = true
        for connection in connections { connection?.close() }
    }

    /// Writing is paced by the ticks, not by writability.
    func rawConnectionIsWritable(_ connection: RawConnection) {}

    func rawConnectionEnded(_ connection: RawConnection) {
        guard connections[connection.index] === connection else { return }
        counts.connectionsClosedByServer += 1
        connections[connection.index] = nil
        guard !stopped else { return }
        loop.schedule(at: Clock.now() + 10_000_000) { [weak self] in self?.open(connection.index) }
    }

    private func open(_ index: Int) {
        guard !stopped else { return }
        do {
            connections[index] = try RawConnection(index: index, loop: loop, owner: self, address: settings.address,
                                                   source: settings.source(index), readsInput: true)
            positions[index] = 0
            counts.connectionsOpened += 1
        } catch {
            counts.connectFailures += 1
            loop.schedule(at: Clock.now() + 100_000_000) { [weak self] in self?.open(index) }
        }
    }

    private func scheduleTick() {
        let interval = Clock.nanoseconds(seconds: settings.trickleInterval / Double(groups))
        loop.schedule(at: Clock.now() + max(1_000_000, interval)) { [weak self] in
            guard let self, !stopped else { return }
            trickle(group: tickNumber % groups)
            tickNumber += 1
            scheduleTick()
        }
    }

    private func trickle(group: Int) {
        for index in stride(from: group, to: connections.count, by: groups) {
            guard let connection = connections[index], counts.requestsSent < settings.maximumRequests else { continue }
            let position = positions[index]
            // An odd connection's head goes out whole; every other byte leaves alone.
            let length = index % 2 == 1 && position == 0 ? headLength : 1
            let result = request.withUnsafeBytes {
                connection.send(UnsafeRawBufferPointer(rebasing: $0[position..<(position + length)]))
            }
            switch result {
            case .bytes(let count):
                counts.bytesSent += count
                positions[index] = position + count
                if positions[index] == request.count {
                    counts.requestsSent += 1
                    positions[index] = 0
                }
            case .wouldBlock, .endOfFile:
                break
            case .failed:
                connection.close()
                rawConnectionEnded(connection)
            }
        }
    }
}
