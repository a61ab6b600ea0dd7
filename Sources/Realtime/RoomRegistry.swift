import CampaignModel
import CampaignStore
import HTTP
import Logging
import Synchronization

/// Finds or creates the room of a campaign, routes committed events to rooms, and drops a room
/// a short grace period after its last client left.
public final class RoomRegistry: CampaignEventSink, Sendable {
    let store: any CampaignStore
    let configuration: RealtimeConfiguration
    let logger: Logger
    let observer: any RealtimeObserver
    /// The rooms' time (heartbeats, expiries, debounce, drop grace); a stream's expiry is on it too.
    public let clock: any RealtimeClock
    let runAfterTransportBatch: TransportBatchDeferral
    private let rooms = Mutex<[String: CampaignRoom]>([:])
    /// Shared by every room: store replays at once in the whole process.
    let replayGate: AsyncGate

    /// `runAfterTransportBatch` defers the start of a room's admissions to the end of the transport's
    /// current batch of events (see `TransportBatchDeferral`); the default starts them at once.
    public init(
        store: any CampaignStore, configuration: RealtimeConfiguration, logger: Logger, observer: any RealtimeObserver,
        clock: any RealtimeClock = SystemRealtimeClock(), runAfterTransportBatch: @escaping TransportBatchDeferral = { _ in false }
    ) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.observer = observer
        self.clock = clock
        self.runAfterTransportBatch = runAfterTransportBatch
        self.replayGate = AsyncGate(limit: configuration.maximumConcurrentReplays)
    }

    /// Hands a client to its campaign's room (creating the room on first use); never blocks. The
    /// client's stream gets `retry` and `connected` once the room has let it in.
    public func subscribe(campaignId: String, _ subscription: Subscription) {
        checkOut(campaignId).admit(subscription)
    }

    /// Routes events (in commit order) to the rooms of their campaigns; events of campaigns nobody
    /// watches are dropped. Never blocks: stores call it right after a commit.
    public func publish(_ events: [CampaignEvent]) {
        guard !events.isEmpty else { return }
        if events.allSatisfy({ $0.campaignId == events[0].campaignId }) {
            rooms.withLock { $0[events[0].campaignId] }?.deliver(events)
            return
        }
        var byCampaign: [String: [CampaignEvent]] = [:]
        var order: [String] = []
        for event in events {
            if byCampaign[event.campaignId] == nil { order.append(event.campaignId) }
            byCampaign[event.campaignId, default: []].append(event)
        }
        let targets = rooms.withLock { rooms in order.compactMap { id in rooms[id].map { ($0, byCampaign[id]!) } } }
        for (room, batch) in targets { room.deliver(batch) }
    }

    /// Store replays running and waiting now, over every room.
    public var replaysRunning: Int { replayGate.running }
    public var replaysWaiting: Int { replayGate.waiting }

    /// Rooms open now.
    public var roomCount: Int { rooms.withLock { $0.count } }

    /// The room of a campaign if it exists (tests, metrics).
    public func existingRoom(_ campaignId: String) -> CampaignRoom? { rooms.withLock { $0[campaignId] } }

    func allRooms() -> [CampaignRoom] { rooms.withLock { Array($0.values) } }

    private func checkOut(_ campaignId: String) -> CampaignRoom {
        rooms.withLock { rooms -> CampaignRoom in
            if let room = rooms[campaignId] {
                room.members.add(1, ordering: .relaxed)
                return room
            }
            let room = CampaignRoom(
                campaignId: campaignId, store: store, configuration: configuration, logger: logger, observer: observer,
                clock: clock, runAfterTransportBatch: runAfterTransportBatch, replayGate: replayGate
            ) { [weak self] campaignId in self?.scheduleDrop(campaignId) }
            room.members.add(1, ordering: .relaxed)
            rooms[campaignId] = room
            return room
        }
    }

    /// A room's last member left: drop it after the grace period unless someone joined meanwhile.
    private func scheduleDrop(_ campaignId: String) {
        let grace = configuration.emptyRoomGraceMilliseconds
        let clock = self.clock
        Task {
            try? await clock.sleep(milliseconds: UInt64(grace))
            await self.dropIfEmpty(campaignId)
        }
    }

    private func dropIfEmpty(_ campaignId: String) async {
        let dropped = rooms.withLock { rooms -> CampaignRoom? in
            guard let room = rooms[campaignId], room.members.load(ordering: .relaxed) <= 0 else { return nil }
            rooms[campaignId] = nil
            return room
        }
        await dropped?.stop()
    }
}
