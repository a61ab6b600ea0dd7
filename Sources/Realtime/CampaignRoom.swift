import CampaignModel
import CampaignStore
import HTTP
import Logging
import Synchronization

/// The live stream of one campaign: owns its connected clients, a heartbeat/expiry timer and a
/// debounce buffer. Each batch of events is encoded once and the same bytes are handed to every
/// client in one `StreamBroadcast`: no per-client encoding, copy, task or `await` in a broadcast.
public actor CampaignRoom {
    public nonisolated let campaignId: String
    let store: any CampaignStore
    let configuration: RealtimeConfiguration
    let logger: Logger
    let observer: any RealtimeObserver
    let clock: any RealtimeClock
    nonisolated let runAfterTransportBatch: TransportBatchDeferral

    struct Client {
        let key: UInt64
        let stream: any ResponseStream
        /// Events up to this id already reached the client (by replay or the snapshot it resumed from).
        var floor: Int64
    }

    struct CatchingUp {
        let subscription: Subscription
        var buffered: [CampaignEvent] = []
        var bufferedBytes = 0
        /// Closed for falling too far behind; removed when its close is reported.
        var abandoned = false
    }

    struct Inbox {
        var events: [CampaignEvent] = []
        var oldestArrival: UInt64 = 0
        var pumpScheduled = false
    }

    var clients: [Client] = []
    var clientIndex: [UInt64: Int] = [:]
    var catchingUp: [UInt64: CatchingUp] = [:]
    var debounce: DebounceBuffer<CampaignEvent>
    var schedule: RoomSchedule
    /// By stream id, for clients whose token expires: the expiry as `auth-expiring` states it (nil: unknown).
    var expiryTexts: [UInt64: String?] = [:]
    var timerTask: Task<Void, Never>?
    var timerWake: UInt64 = .max
    var oldestPendingArrival: UInt64 = 0
    var stopped = false
    /// The newest event id this room has seen (see `newestEventId()`).
    var knownLatest: Int64?
    /// The campaign's newest id when the room started watching, read once for every caller.
    var startingPoint: Task<Int64, any Error>?
    /// How far the room has read the campaign's event log (rooms following PostgreSQL read it themselves).
    var logCursor: Int64?
    var followingLog = false
    var followLogAgain = false
    /// The newest events broadcast, so the common resume needs no store read.
    var recent: RecentEvents
    /// Replays reading the store: at most one per room, and the process-wide limit of `replayGate`.
    let roomReplayGate = AsyncGate(limit: 1)
    let replayGate: AsyncGate
    /// Told when the last member left (the registry drops the room after a grace period).
    nonisolated let onEmpty: @Sendable (String) -> Void

    /// Events handed over by the registry (any thread), waiting for the room's pump.
    nonisolated let inbox = Mutex(Inbox())
    /// Clients handed over by the registry (any thread), waiting to join (see `admit`).
    nonisolated let lobby = Mutex(Lobby())
    /// Clients joined or joining, counted by the registry so it never drops a room someone is entering.
    nonisolated let members = Atomic<Int>(0)

    init(
        campaignId: String, store: any CampaignStore, configuration: RealtimeConfiguration, logger: Logger,
        observer: any RealtimeObserver, clock: any RealtimeClock, runAfterTransportBatch: @escaping TransportBatchDeferral,
        replayGate: AsyncGate, onEmpty: @escaping @Sendable (String) -> Void
    ) {
        self.clock = clock
        self.runAfterTransportBatch = runAfterTransportBatch
        self.campaignId = campaignId
        self.replayGate = replayGate
        self.recent = RecentEvents(
            maximumCount: configuration.recentEventsPerRoom, maximumBytes: configuration.recentEventBytesPerRoom)
        self.onEmpty = onEmpty
        self.store = store
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "campaign.id"] = "\(campaignId)"
        self.logger = logger
        self.observer = observer
        let now = clock.now()
        debounce = DebounceBuffer(windowMilliseconds: configuration.debounceMilliseconds)
        schedule = RoomSchedule(
            heartbeatIntervalMilliseconds: configuration.heartbeatIntervalMilliseconds,
            warningLeadMilliseconds: configuration.expiryWarningMilliseconds, now: now)
    }

    /// Hands committed events (in id order) to the room; callable from any thread, never blocks.
    nonisolated func deliver(_ events: [CampaignEvent]) {
        let now = clock.now()
        let schedulePump = inbox.withLock { inbox -> Bool in
            if inbox.events.isEmpty { inbox.oldestArrival = now }
            inbox.events.append(contentsOf: events)
            if inbox.pumpScheduled { return false }
            inbox.pumpScheduled = true
            return true
        }
        if schedulePump {
            Task(priority: .high) { await self.pump() }
        }
    }

    /// Moves delivered events through the debounce buffer to the clients until nothing is left.
    func pump() async {
        while true {
            let (arrived, arrival) = inbox.withLock { inbox -> ([CampaignEvent], UInt64) in
                defer { inbox.events = [] }
                return (inbox.events, inbox.oldestArrival)
            }
            let now = clock.now()
            if !arrived.isEmpty && debounce.pendingCount == 0 { oldestPendingArrival = arrival }
            switch arrived.isEmpty ? debounce.tick(now: now) : debounce.add(arrived, now: now) {
            case .flushNow:
                let batch = debounce.drain()
                broadcast(batch, arrivedAt: oldestPendingArrival)
                _ = debounce.flushFinished(now: clock.now())
                oldestPendingArrival = clock.now()
            case .wait(let until):
                try? await clock.sleep(until: until)
            case .idle:
                let finished = inbox.withLock { inbox -> Bool in
                    guard inbox.events.isEmpty else { return false }
                    inbox.pumpScheduled = false
                    return true
                }
                if finished { return }
            }
        }
    }

    /// Writes a batch to every live client and queues it for those still catching up.
    func broadcast(_ batch: [CampaignEvent], arrivedAt: UInt64) {
        guard !batch.isEmpty else { return }
        let frames = EventFrames(batch)
        if !catchingUp.isEmpty { bufferForCatchingUp(batch, bytes: frames.bytes.count) }
        let firstId = frames.firstId
        let lastId = frames.lastId
        var recipients = 0
        // Every client gets the same buffer (no copy), and the transport hands the whole batch to
        // its event loop at once: one wake-up per batch, not per client.
        var delivery = StreamBroadcast(expectedCount: clients.count)
        for index in clients.indices {
            let floor = clients[index].floor
            if floor >= lastId { continue }
            if floor >= firstId {
                clients[index].stream.send(frames.suffix(after: floor), in: &delivery)
            } else {
                clients[index].stream.send(frames.bytes, in: &delivery)
            }
            recipients += 1
        }
        delivery.commit()
        knownLatest = max(knownLatest ?? lastId, lastId)
        recent.append(frames)
        let now = clock.now()
        schedule.wrote(now: now)
        observer.broadcast(
            eventCount: batch.count, clientCount: recipients, byteCount: frames.bytes.count * recipients,
            latencySeconds: Double(now &- arrivedAt) / 1000)
        if logger.logLevel <= .debug {
            logger.debug("[SSE] broadcast", metadata: [
                "event.type": "\(batch.map(\.type.rawValue).joined(separator: ","))", "clients": "\(recipients)",
                "event.lastId": "\(lastId)",
            ])
        }
    }

    private func bufferForCatchingUp(_ batch: [CampaignEvent], bytes: Int) {
        for (key, var entry) in catchingUp where !entry.abandoned {
            entry.buffered.append(contentsOf: batch)
            entry.bufferedBytes += bytes
            if entry.bufferedBytes > configuration.catchUpBufferLimitBytes {
                // It cannot keep up even while catching up; it will resume with Last-Event-ID.
                logger.info("[SSE] client too slow to catch up", metadata: ["client.id": "\(entry.subscription.clientId)"])
                observer.slowClientDisconnected()
                entry.subscription.stream.close()
                entry.abandoned = true
                entry.buffered = []
            }
            catchingUp[key] = entry
        }
    }

    /// The number of live and catching-up clients.
    public var clientCount: Int { clients.count + catchingUp.count }

    /// Stops the timer; the registry calls it when the room is dropped.
    func stop() {
        stopped = true
        timerTask?.cancel()
        timerTask = nil
    }
}
