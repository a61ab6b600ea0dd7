import DequeModule
import Glibc
import Logging
import Sockets
import Synchronization

/// An HTTP/1.1 server over non-blocking sockets and one epoll event loop.
///
/// The loop thread accepts, reads, parses and writes; each complete request runs through the handler
/// as a task on Swift's cooperative pool, which hands the encoded answer back to the loop. Streaming
/// responses stay open and accept bytes from any thread, handed to the loop (see `WriteHandoff`).
public final class HTTPServer: @unchecked Sendable {
    public let configuration: Configuration
    public let statistics: ServerStatistics
    let handler: any HTTPHandler
    let logger: Logger
    let loop: EventLoop
    /// Bytes other threads give to connections, on their way to the loop.
    let handoff: WriteHandoff
    /// Due timeouts past a turn's share, and accepts past a turn's share, continue in later turns.
    let timeoutContinuation: TurnContinuation
    let acceptContinuation: TurnContinuation
    let date = HTTPDate()
    let errorResponder: any HTTPErrorResponder

    /// Requests are parsed from at most this many buffered bytes before reading more.
    let maximumBufferedRequestBytes: Int
    /// Requests with large bodies (`HTTPParser.Limits.largeBodyBytes`) are handled one at a time at low priority (see `dispatch`).
    let largeBodyGate = AsyncGate(limit: 1)
    /// How long a closing connection drains input after its last response.
    static let lingerMilliseconds: UInt64 = 2000

    private let shuttingDown = Atomic<Bool>(false)
    private let nextConnectionID = Atomic<UInt64>(1)
    private let boundPort = Atomic<Int>(0)
    private let lifecycle = Mutex(Lifecycle())

    /// The open connections and their per-address accounting: the loop's alone.
    private struct ConnectionTable {
        var connections: [HTTPConnection] = []
        /// Open connections per peer address, kept only while MAX_CONNECTIONS_PER_ADDRESS is set.
        var perAddress: [UInt32: Int] = [:]
        /// New connections per peer address (CONNECTION_RATE_PER_ADDRESS); disabled at rate 0.
        var rate: AddressRateLimit
        /// Requests per peer address (REQUEST_RATE_PER_ADDRESS); disabled at rate 0.
        var requestRate: AddressRateLimit
        /// Connections refused for their address's limits, held before they are closed.
        var heldRefusals: RefusalHold
        var lastAddressLimitLog: UInt64 = 0
        /// When the loop's timer will next release held refusals, if it is set.
        var refusalReleaseAt: UInt64?
        /// Timeouts found by the tick and not acted on yet (see `performDueTimeouts`).
        var dueTimeouts: Deque<(connection: HTTPConnection, action: HTTPConnectionStateMachine.TickAction)> = []
    }

    private struct Lifecycle {
        var started = false
        var stopped = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    // Set by `start()` before the loop runs, then the loop thread's only.
    private var listenerFD: Int32 = -1
    private var listener: Listener?
    /// Closes expired held refusals off the loop (see `DescriptorCloser`); stopped after the loop.
    private var refusalCloser: DescriptorCloser?
    private var table: LoopBound<ConnectionTable>
    // Loop thread only.
    let readBuffer: UnsafeMutableRawBufferPointer
    /// The read buffer's size, which is also what one connection's read takes from its socket in one turn
    /// of the loop. Why per turn: read whole, four connections sending 1 MiB bodies back to back (no
    /// request rate limit) put the probe's median write at 5.0–5.3 ms; 256 KiB a turn, 1.2–1.4 ms; 64 KiB,
    /// 0.64–0.67 ms (`campaign-bench abuse --scenario large-writes`, idle 0.5 ms).
    public static let readBufferBytes = 64 * 1024
    /// Set while a shutdown waits for the last connection to close (see `drain`).
    private var drainFinished: ResumeOnce?

    /// Creates a server; `errorResponder` answers what the transport refuses on its own (malformed or
    /// slow requests, requests past `maximumConnections`); `statistics` may be shared with whoever reports them.
    public init(
        configuration: Configuration, handler: any HTTPHandler, errorResponder: any HTTPErrorResponder, logger: Logger,
        statistics: ServerStatistics = ServerStatistics()
    ) throws {
        self.configuration = configuration
        self.statistics = statistics
        self.handler = handler
        self.errorResponder = errorResponder
        self.logger = logger
        self.loop = try EventLoop(name: "http-loop", tickIntervalMilliseconds: configuration.tickIntervalMilliseconds)
        self.timeoutContinuation = TurnContinuation(loop: loop)
        self.acceptContinuation = TurnContinuation(loop: loop)
        self.handoff = WriteHandoff(loop: loop, bulkWriteBytes: configuration.bulkWriteBytes, bulkBytesPerTurn: configuration.bulkBytesPerTurn)
        self.maximumBufferedRequestBytes = configuration.limits.maximumBodyBytes + configuration.limits.maximumHeaderBytes
            + configuration.limits.maximumTargetBytes + 1024
        self.readBuffer = .allocate(byteCount: Self.readBufferBytes, alignment: 16)
        self.table = LoopBound(ConnectionTable(
            rate: AddressRateLimit(ratePerSecond: configuration.connectionRatePerAddress, burst: configuration.connectionBurstPerAddress),
            requestRate: AddressRateLimit(ratePerSecond: configuration.requestRatePerAddress, burst: configuration.requestBurstPerAddress),
            heldRefusals: RefusalHold(capacity: configuration.maximumHeldRefusals)), loop: loop)
    }

    deinit {
        readBuffer.deallocate()
    }

    /// The port the server listens on (after `start()`).
    public var port: Int { boundPort.load(ordering: .acquiring) }

    public var isShuttingDown: Bool { shuttingDown.load(ordering: .acquiring) }

    /// Binds and starts serving on the event loop thread.
    public func start() throws {
        let alreadyStarted = lifecycle.withLock { state -> Bool in
            defer { state.started = true }
            return state.started
        }
        guard !alreadyStarted else { return }
        let fd = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        listenerFD = fd
        boundPort.store(Socket.localPort(of: fd), ordering: .releasing)
        Socket.setKeepAlive(fd, configuration.keepAlive)
        let listener = Listener(server: self, fd: fd)
        self.listener = listener
        refusalCloser = try DescriptorCloser(name: "http-closer")
        try loop.register(fd, events: EventLoop.readable | EventLoop.edgeTriggered, sink: listener)
        loop.onTick { [self] in tick() }
        try loop.start()
        logger.info("[HTTP] listening", metadata: ["host": "\(configuration.host)", "port": "\(port)"])
    }

    /// Serves until the task is cancelled or `shutdown()` is called; cancellation shuts down gracefully.
    public func run() async throws {
        try start()
        await withTaskCancellationHandler {
            await waitUntilStopped()
        } onCancel: {
            Task { await self.shutdown() }
        }
    }

    /// Stops accepting, lets in-flight requests finish (up to the grace period), ends every stream
    /// cleanly and stops the loop. Safe to call more than once.
    public func shutdown() async {
        guard !shuttingDown.exchange(true, ordering: .acquiringAndReleasing) else {
            await waitUntilStopped()
            return
        }
        logger.info("[HTTP] shutting down", metadata: ["connections": "\(statistics.openConnections)"])
        await drain(gracePeriodSeconds: configuration.shutdownGracePeriodSeconds)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            loop.execute { [self] in
                drainFinished = nil
                for connection in table.value.connections { connection.closeNow(.serverShutdown) }
                continuation.resume()
            }
        }
        loop.stop()
        refusalCloser?.stop()
        let waiters = lifecycle.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.stopped = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
        logger.info("[HTTP] stopped")
    }

    /// Returns once the server has stopped (after `shutdown()` or a cancelled `run()` has finished).
    public func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped = lifecycle.withLock { state -> Bool in
                if state.stopped { return true }
                state.waiters.append(continuation)
                return false
            }
            if stopped { continuation.resume() }
        }
    }

    /// Stops accepting and waits until the last connection has closed or the grace period has
    /// passed, whichever comes first: woken by the close itself, or by the deadline.
    private func drain(gracePeriodSeconds: Int) async {
        var deadline: Task<Void, Never>?
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let finished = ResumeOnce(continuation)
            loop.execute { [self] in
                beginDrain()
                if table.value.connections.isEmpty { finished.resume() } else { drainFinished = finished }
            }
            deadline = Task {
                try? await Task.sleep(for: .seconds(gracePeriodSeconds))
                finished.resume()
            }
        }
        deadline?.cancel()
    }

    /// Loop thread: no new connections; idle ones closed; streams ended after their queued bytes.
    private func beginDrain() {
        if let listener {
            loop.deregister(listenerFD, sink: listener)
            Socket.close(listenerFD)
            self.listener = nil
        }
        closeHeldRefusals(table.value.heldRefusals.takeAll())
        for connection in table.value.connections {
            switch connection.state.value.machine.phase {
            case .awaitingRequest where connection.state.value.parser.bufferedByteCount == 0:
                connection.closeNow(.serverShutdown)
            case .streaming:
                connection.closeWhenFlushed(.serverShutdown)
            default:
                break
            }
        }
    }

    func overloadResponse(_ request: HTTPRequest) -> HTTPResponse {
        var response = errorResponder.overloadResponse(request)
        response.closeConnection = true
        return response
    }

    /// The application's answer to a request the transport refused; the connection closes after it.
    func refusal(_ error: HTTPError) -> HTTPResponse {
        var response = errorResponder.response(to: error)
        response.closeConnection = true
        return response
    }

    // MARK: Connection table (loop thread)

    func accepted(fd: Int32) {
        let open = statistics.openConnectionsCounter.load(ordering: .relaxed)
        if open >= configuration.maximumConnections + configuration.overloadAllowance || isShuttingDown {
            statistics.refusedCounter.add(1, ordering: .relaxed)
            Socket.close(fd)
            return
        }
        var countedAddress: UInt32?
        let peer = Socket.peerIPv4Address(fd)
        if let address = peer, configuration.maximumConnectionsPerAddress > 0 || table.value.rate.isEnabled {
            let now = EventLoop.monotonicMilliseconds()
            guard table.value.rate.admit(address, now: now) else {
                refuse(fd: fd, address: address, counter: statistics.connectionRateCounter, now: now,
                       message: "[HTTP] refused a connection over the per-address rate")
                return
            }
            if configuration.maximumConnectionsPerAddress > 0 {
                let count = table.value.perAddress[address, default: 0]
                guard count < configuration.maximumConnectionsPerAddress else {
                    refuse(fd: fd, address: address, counter: statistics.addressLimitCounter, now: now,
                           message: "[HTTP] refused a connection over the per-address limit")
                    return
                }
                table.value.perAddress[address] = count + 1
                countedAddress = address
            }
        }
        // Held refusals use descriptors only while no admitted connection needs them.
        if open + heldRefusalDescriptors >= configuration.maximumConnections, let oldest = table.value.heldRefusals.takeOldest() {
            Socket.close(oldest)
            statistics.heldRefusalsCounter.store(heldRefusalDescriptors, ordering: .relaxed)
        }
        // TCP_NODELAY, keepalive and the user timeout come from the listening socket (see `start`).
        let id = nextConnectionID.wrappingAdd(1, ordering: .relaxed).oldValue
        let connection = HTTPConnection(
            fd: fd, id: id, server: self, isOverflow: open >= configuration.maximumConnections,
            now: EventLoop.monotonicMilliseconds())
        connection.state.value.countedAddress = countedAddress
        connection.state.value.peerAddress = peer.map { UInt32(bigEndian: $0) }
        connection.state.value.tableIndex = table.value.connections.count
        table.value.connections.append(connection)
        statistics.openConnectionsCounter.add(1, ordering: .relaxed)
        statistics.acceptedCounter.add(1, ordering: .relaxed)
        do {
            try loop.register(fd, sink: connection)
        } catch {
            logger.error("[HTTP] could not register a connection", metadata: ["error": "\(error)"])
            connection.closeNow(.clientClosed)
        }
    }

    func connectionClosed(_ connection: HTTPConnection, wasStreaming: Bool) {
        let index = connection.state.value.tableIndex
        guard index >= 0 else { return }
        let last = table.value.connections.removeLast()
        if last !== connection {
            table.value.connections[index] = last
            last.state.value.tableIndex = index
        }
        connection.state.value.tableIndex = -1
        if let address = connection.state.value.countedAddress {
            let remaining = table.value.perAddress[address, default: 1] - 1
            table.value.perAddress[address] = remaining > 0 ? remaining : nil
            connection.state.value.countedAddress = nil
        }
        statistics.openConnectionsCounter.subtract(1, ordering: .relaxed)
        if wasStreaming { statistics.openStreamsCounter.subtract(1, ordering: .relaxed) }
        if table.value.connections.isEmpty, let drainFinished {
            self.drainFinished = nil
            drainFinished.resume()
        }
    }

    /// Closes a connection from an address over one of its limits, unanswered (an answer would cost
    /// what the limit saves); says so at most once a second.
    private func refuse(fd: Int32, address: UInt32, counter: borrowing Atomic<Int>, now: UInt64, message: Logger.Message) {
        counter.add(1, ordering: .relaxed)
        let open = statistics.openConnectionsCounter.load(ordering: .relaxed)
        let held = heldRefusalDescriptors
        if open + held >= configuration.maximumConnections || held >= configuration.maximumHeldRefusals
            || !table.value.heldRefusals.hold(fd, now: now, for: refusalHold()) {
            Socket.close(fd)
        } else {
            armRefusalRelease()
        }
        statistics.heldRefusalsCounter.store(heldRefusalDescriptors, ordering: .relaxed)
        guard now &- table.value.lastAddressLimitLog >= 1000 else { return }
        table.value.lastAddressLimitLog = now
        logger.warning(message, metadata: [
            "client.address": "\(Socket.ipv4Text(address))",
            "limit.connections": "\(configuration.maximumConnectionsPerAddress)",
            "limit.rate": "\(configuration.connectionRatePerAddress)/s, burst \(configuration.connectionBurstPerAddress)",
            "refused.overLimit": "\(statistics.connectionsRefusedPerAddress)",
            "refused.overRate": "\(statistics.connectionsRefusedByRate)",
        ])
    }

    /// How long to hold one refusal: the configured hold, give or take half of it at random, so that
    /// clients refused together do not all come back together.
    private func refusalHold() -> UInt64 {
        let base = UInt64(clamping: configuration.refusalHoldMilliseconds)
        guard base > 1 else { return base }
        return base / 2 + UInt64.random(in: 0...base)
    }

    /// Descriptors of refused connections still open: held, or handed to the closer.
    private var heldRefusalDescriptors: Int {
        table.value.heldRefusals.count + (refusalCloser?.pendingCount ?? 0)
    }

    private func closeExpiredRefusals() {
        closeHeldRefusals(table.value.heldRefusals.takeExpired(now: EventLoop.monotonicMilliseconds()))
        // The closer's progress shows here too, a tick later.
        statistics.heldRefusalsCounter.store(heldRefusalDescriptors, ordering: .relaxed)
        armRefusalRelease()
    }

    /// Held refusals are released by the loop's timer, at most this often.
    static let refusalReleaseSliceMilliseconds: UInt64 = 5

    /// Sets the loop's timer for when the next hold ends (rounded up to the slice), unless it is set
    /// for then or earlier. Each refusal is released near its own time. Why: released by the tick, a
    /// quarter second's worth of a reconnect storm's clients came back together, their addresses'
    /// connection budgets had refilled meanwhile, and forty streams were let in at once (with their
    /// replays, 2-4 ms of work, which an ordinary client's request landing then waited for).
    private func armRefusalRelease() {
        guard let next = table.value.heldRefusals.nextRelease else { return }
        let slice = Self.refusalReleaseSliceMilliseconds
        let at = (next / slice + 1) * slice
        if let armed = table.value.refusalReleaseAt, armed <= at { return }
        table.value.refusalReleaseAt = at
        loop.schedule(at: at) { [self] in
            if table.value.refusalReleaseAt == at { table.value.refusalReleaseAt = nil }
            closeExpiredRefusals()
        }
    }

    /// Hands the descriptors to the closer thread: closed with their request unread, each ends with a
    /// reset (no FIN exchange, no TIME_WAIT here), whose kernel work would otherwise delay the loop.
    private func closeHeldRefusals(_ fds: [Int32]) {
        guard !fds.isEmpty else { return }
        if let refusalCloser { refusalCloser.close(fds) } else { for fd in fds { Socket.close(fd) } }
        statistics.heldRefusalsCounter.store(heldRefusalDescriptors, ordering: .relaxed)
    }

    // MARK: Requests per address (loop thread only)

    /// Whether a connection from `address` may take its next request at `now`.
    func mayTakeRequest(from address: UInt32?, now: UInt64) -> Bool {
        guard let address else { return true }
        return table.value.requestRate.hasBudget(address, now: now)
    }

    /// Milliseconds until `address` may take a request again (0 when it may now).
    func requestBudgetWait(from address: UInt32?, now: UInt64) -> UInt64 {
        guard let address else { return 0 }
        return table.value.requestRate.millisecondsUntilBudget(address, now: now)
    }

    /// A request from `address` with `bodyBytes` of body was read: one unit, and one more per 64 KiB.
    func chargeRequest(from address: UInt32?, bodyBytes: Int, now: UInt64) {
        guard let address, table.value.requestRate.isEnabled else { return }
        table.value.requestRate.charge(address, cost: 1 + bodyBytes / Self.requestRateBodyUnit, now: now)
    }

    /// Body bytes that count as one more request against REQUEST_RATE_PER_ADDRESS.
    static let requestRateBodyUnit = 64 * 1024

    /// Takes the connections a listener left waiting at the end of its turn. Loop thread only.
    func acceptMore() {
        listener?.acceptPending()
    }

    func streamOpened() {
        statistics.openStreamsCounter.add(1, ordering: .relaxed)
    }

    private func tick() {
        date.refresh()
        listener?.acceptPending()
        let now = EventLoop.monotonicMilliseconds()
        table.value.rate.sweep(now: now)
        table.value.requestRate.sweep(now: now)
        closeExpiredRefusals()
        for connection in table.value.connections {
            let action = connection.dueTimeout(now: now, configuration: configuration)
            if action != .none { table.value.dueTimeouts.append((connection, action)) }
        }
        performDueTimeouts()
    }

    /// Timeouts acted on per turn of the loop. Connections opened together time out together (a
    /// slowloris wave: hundreds of 408s and closes in one tick took the loop 1.5-6.4 ms); a few at a
    /// time, with the other connections' events in between, they cost nobody a wait.
    static let timeoutsPerTurn = 8

    private func performDueTimeouts() {
        for _ in 0..<Self.timeoutsPerTurn {
            guard let (connection, action) = table.value.dueTimeouts.popFirst() else { return }
            connection.performTimeout(action, configuration: configuration)
        }
        if !table.value.dueTimeouts.isEmpty { timeoutContinuation.continueNextTurn { [self] in performDueTimeouts() } }
    }
}

/// Resumes a continuation the first time `resume()` is called, from any thread; later calls do nothing.
private final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Void, Never>?>

    init(_ continuation: CheckedContinuation<Void, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume() {
        continuation.withLock { pending in
            defer { pending = nil }
            return pending
        }?.resume()
    }
}
