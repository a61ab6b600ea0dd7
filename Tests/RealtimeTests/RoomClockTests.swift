import CampaignModel
import CampaignStore
import Logging
import Realtime
import ServerConfiguration
import Testing
import TestSupport

/// A room's time is the clock it is given: heartbeats, token warnings and expiries, and the debounce
/// window happen when the test moves a manual clock, not after real seconds. Each wait below is for
/// the room to act on the time it was given; none would end in time on the wall clock (a 30 s
/// heartbeat, a 60 s warning lead, a 10 s debounce window against a 10 s bound).
@Suite struct RoomClockTests {
    func makeRegistry(_ clock: ManualClock, debounce: UInt64 = 0) -> (InMemoryCampaignStore, RoomRegistry) {
        let store = InMemoryCampaignStore(configuration: AppConfiguration().memoryStore)
        var logger = Logger(label: "room-clock-test")
        logger.logLevel = .critical
        let registry = RoomRegistry(
            store: store,
            configuration: Self.realtime(debounce: debounce),
            logger: logger, observer: NoRealtimeObserver(), clock: clock)
        store.setEventSink(registry)
        return (store, registry)
    }

    /// The server's room settings, with a 30 s heartbeat, a 60 s warning lead and the given debounce window.
    static func realtime(debounce: UInt64) -> RealtimeConfiguration {
        var configuration = AppConfiguration().realtime
        configuration.heartbeatIntervalMilliseconds = 30_000
        configuration.debounceMilliseconds = debounce
        configuration.expiryWarningMilliseconds = 60_000
        return configuration
    }

    func addTask(_ store: InMemoryCampaignStore, _ campaign: Campaign, title: String) async throws {
        let phase = try #require(try await store.snapshot(campaignId: campaign.id, historyLimit: 1)?.phases.first?.id)
        _ = try await store.createTask(campaignId: campaign.id, draft: TaskDraft(phaseId: phase, title: title), context: WriteContext(actor: "t"))
    }

    func occurrences(of text: String, in stream: RecordingStream) -> Int {
        stream.text.components(separatedBy: text).count - 1
    }

    func isClosed(_ stream: RecordingStream) -> Bool { stream.closed.load(ordering: .relaxed) }

    @Test func heartbeatsWarningAndExpiryFollowTheInjectedClock() async throws {
        let clock = ManualClock()
        let (store, registry) = makeRegistry(clock)
        let campaign = try await store.createCampaign(CampaignDraft(name: "clocked"))
        let stream = RecordingStream(id: 1)
        let expiresAt = clock.now() + 120_000
        registry.subscribe(
            campaignId: campaign.id,
            Subscription(clientId: "c", stream: stream, expiresAtMilliseconds: expiresAt, expiresAtText: "2030-01-01T00:00:00Z"))
        #expect(await eventually(timeoutSeconds: 10, pollMilliseconds: 5) { stream.isConnected && clock.sleeperCount == 1 })
        #expect(occurrences(of: ": heartbeat", in: stream) == 0)

        // The room's timer sleeps until the heartbeat is due, and wakes when the clock gets there.
        #expect(clock.nextDeadline == clock.now() + 30_000)
        clock.advance(by: 30_000)
        #expect(await eventually(timeoutSeconds: 10, pollMilliseconds: 5) { occurrences(of: ": heartbeat", in: stream) == 1 })
        #expect(!stream.text.contains("event: auth-expiring"))

        // 60 s before expiry: the warning (with a heartbeat: nothing else was written for 30 s).
        #expect(await eventually(timeoutSeconds: 10, pollMilliseconds: 5) { clock.sleeperCount == 1 })
        clock.advance(by: 30_000)
        #expect(await eventually(timeoutSeconds: 10, pollMilliseconds: 5) { stream.text.contains("event: auth-expiring") })
        #expect(!isClosed(stream))

        // At expiry the stream ends; every step so far took no real time beyond the room's own work.
        #expect(await eventually(timeoutSeconds: 10, pollMilliseconds: 5) { clock.sleeperCount == 1 })
        #expect(clock.nextDeadline == expiresAt - 30_000)  // the next heartbeat comes first
        clock.advance(by: 60_000)
        #expect(await eventually(timeoutSeconds: 10, pollMilliseconds: 5) { isClosed(stream) })
    }

    @Test func aBurstWaitsForTheDebounceWindowOnTheInjectedClock() async throws {
        let clock = ManualClock()
        let (store, registry) = makeRegistry(clock, debounce: 10_000)
        let campaign = try await store.createCampaign(CampaignDraft(name: "debounced"))
        let stream = RecordingStream(id: 1)
        registry.subscribe(campaignId: campaign.id, Subscription(clientId: "c", stream: stream))
        #expect(await eventually(timeoutSeconds: 10, pollMilliseconds: 5) { stream.isConnected })

        // The first write goes out at once; what follows within the window waits for the clock.
        try await addTask(store, campaign, title: "first")
        #expect(await eventually(timeoutSeconds: 10, pollMilliseconds: 5) { stream.eventIds.count == 2 })
        try await addTask(store, campaign, title: "second")
        try await addTask(store, campaign, title: "third")
        // The pump sleeps towards the end of the window (the heartbeat timer sleeps too).
        #expect(await eventually(timeoutSeconds: 10, pollMilliseconds: 5) { clock.nextDeadline == clock.now() + 10_000 })
        #expect(stream.eventIds == [1, 2])

        clock.advance(by: 10_000)
        #expect(await eventually(timeoutSeconds: 10, pollMilliseconds: 5) { stream.eventIds.count == 6 })
        #expect(stream.eventIds == Array(1...6))
    }
}
