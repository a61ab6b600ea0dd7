import CampaignModel
import CampaignStore
import HTTP
import Logging
import Realtime
import ServerConfiguration
import Synchronization
import Testing
import TestSupport

/// Rooms that follow the event log themselves, as they do on PostgreSQL: the store here is a real
/// in-memory store with no sink, so nothing reaches a room except what it reads from the log when told
/// that the log has news (the listener's hint).
@Suite struct LogFollowingTests {
    /// Counts what the rooms report.
    final class CountingObserver: RealtimeObserver, Sendable {
        let counts = Mutex<(resyncs: Int, fromMemory: Int, fromStore: Int)>((0, 0, 0))
        func broadcast(eventCount: Int, clientCount: Int, byteCount: Int, latencySeconds: Double) {}
        func slowClientDisconnected() {}
        func subscribersChanged(by delta: Int) {}
        func resyncSent(count: Int) { counts.withLock { $0.resyncs += count } }
        func replayed(fromMemory: Bool) { counts.withLock { fromMemory ? ($0.fromMemory += 1) : ($0.fromStore += 1) } }
        var replaysFromMemory: Int { counts.withLock { $0.fromMemory } }
        var replaysFromStore: Int { counts.withLock { $0.fromStore } }
    }

    struct Fixture {
        let store = InMemoryCampaignStore(configuration: AppConfiguration().memoryStore)
        let registry: RoomRegistry
        let observer = CountingObserver()
        let campaign: Campaign
        let phase: String

        init(
            _ configuration: RealtimeConfiguration = realtimeConfiguration { $0.debounceMilliseconds = 0 }, readDelay: Duration = .zero,
            readHold: AsyncGate? = nil
        ) async throws {
            var logger = Logger(label: "log-following-test")
            logger.logLevel = .critical
            registry = RoomRegistry(
                store: SlowReplayStore(base: store, readDelay: readDelay, hold: readHold), configuration: configuration, logger: logger,
                observer: observer)
            campaign = try await store.createCampaign(CampaignDraft(name: "followed"))
            phase = try #require(try await store.snapshot(campaignId: campaign.id, historyLimit: 1)?.phases.first?.id)
        }

        /// A committed task create: two events in the log, told to no one.
        func write(_ title: String) async throws {
            _ = try await store.createTask(
                campaignId: campaign.id, draft: TaskDraft(phaseId: phase, title: title), context: WriteContext(actor: "t"))
        }

        func join(_ id: UInt64, resumeAfter: Int64? = nil) async -> RecordingStream {
            let stream = RecordingStream(id: id)
            registry.subscribe(campaignId: campaign.id, Subscription(clientId: "c\(id)", stream: stream, resumeAfter: resumeAfter))
            _ = await eventually(pollMilliseconds: 5) { stream.isConnected }
            return stream
        }
    }

    @Test func aHintWithNothingNewDeliversNothingAndTheNextChangeStillArrives() async throws {
        let fixture = try await Fixture()
        let stream = await fixture.join(1)
        // A forged notification names the campaign: the room reads its log and finds nothing.
        fixture.registry.logChanged(campaignId: fixture.campaign.id)
        fixture.registry.logChanged(campaignId: "6f1c2b1e-0000-4000-8000-00000000000f")
        try await Task.sleep(for: .milliseconds(50))
        #expect(stream.eventIds.isEmpty)
        try await fixture.write("real")
        fixture.registry.logChanged(campaignId: fixture.campaign.id)
        #expect(await eventually(pollMilliseconds: 5) { stream.eventIds == [1, 2] })
        // Told again (a duplicate notification, a reconnect): nothing is sent twice.
        fixture.registry.logMayHaveChangedEverywhere()
        try await fixture.write("next")
        fixture.registry.logChanged(campaignId: fixture.campaign.id)
        #expect(await eventually(pollMilliseconds: 5) { stream.eventIds == [1, 2, 3, 4] })
    }

    @Test func eventsPrunedBeforeTheRoomReadThemSendItsClientsToResync() async throws {
        let fixture = try await Fixture()
        let stream = await fixture.join(1)
        for index in 0..<5 { try await fixture.write("unread \(index)") }  // ids 1...10, no hint yet
        #expect(try await fixture.store.pruneEvents(olderThan: Timestamp(millisecondsSinceEpoch: 0), keepingAtMost: 2) == 8)
        fixture.registry.logChanged(campaignId: fixture.campaign.id)
        #expect(await eventually(pollMilliseconds: 5) { stream.text.contains("event: resync\ndata: {\"reason\":\"history-expired\"}\n\n") })
        #expect(stream.eventIds.isEmpty, "nothing after a gap is passed off as complete")
        try await fixture.write("after")
        fixture.registry.logChanged(campaignId: fixture.campaign.id)
        #expect(await eventually(pollMilliseconds: 5) { stream.eventIds == [11, 12] })
    }

    @Test func aResumeFromAnIdTheLogNeverIssuedIsToldItsPositionIsUnknown() async throws {
        let fixture = try await Fixture()
        try await fixture.write("one")  // ids 1, 2
        let stream = await fixture.join(1, resumeAfter: 999_999_999)
        #expect(await eventually(pollMilliseconds: 5) { stream.text.contains("event: resync\ndata: {\"reason\":\"unknown-position\"}\n\n") })
        #expect(stream.text.contains("\"lastEventId\":2"))
        try await fixture.write("two")
        fixture.registry.logChanged(campaignId: fixture.campaign.id)
        #expect(await eventually(pollMilliseconds: 5) { stream.eventIds == [3, 4] }, "live events reach it after the resync")
    }

    @Test func aResumeWithinTheRoomsRecentEventsReadsNoStore() async throws {
        let fixture = try await Fixture()
        let first = await fixture.join(1)
        for index in 0..<3 { try await fixture.write("t\(index)") }  // ids 1...6
        fixture.registry.logChanged(campaignId: fixture.campaign.id)
        #expect(await eventually(pollMilliseconds: 5) { first.eventIds == [1, 2, 3, 4, 5, 6] })
        let watcher = await fixture.join(2)
        try await fixture.write("t3")  // ids 7, 8
        fixture.registry.logChanged(campaignId: fixture.campaign.id)
        #expect(await eventually(pollMilliseconds: 5) { watcher.eventIds == [7, 8] })
        let resumed = await fixture.join(3, resumeAfter: 2)
        #expect(await eventually(pollMilliseconds: 5) { resumed.eventIds == [3, 4, 5, 6, 7, 8] })
        #expect(fixture.observer.replaysFromMemory == 1)
        #expect(fixture.observer.replaysFromStore == 0)
    }

    @Test func aCrowdResumingFromTheStartReadsTheStoreOnce() async throws {
        // 40 events, more than one page; the first store replay leaves them in the room's memory,
        // and the clients queued behind it (and one coming later) are answered from there.
        let fixture = try await Fixture(realtimeConfiguration {
            $0.debounceMilliseconds = 0
            $0.replayPageSize = 16
        }, readDelay: .milliseconds(2))
        for index in 0..<20 { try await fixture.write("t\(index)") }
        let expected = Array(Int64(1)...40)
        var streams: [RecordingStream] = []
        for id in UInt64(1)...8 {
            let stream = RecordingStream(id: id)
            streams.append(stream)
            fixture.registry.subscribe(campaignId: fixture.campaign.id, Subscription(clientId: "c\(id)", stream: stream, resumeAfter: 0))
        }
        #expect(await eventually(pollMilliseconds: 5) { streams.allSatisfy { $0.eventIds == expected } })
        let late = await fixture.join(9, resumeAfter: 5)
        #expect(await eventually(pollMilliseconds: 5) { late.eventIds == Array(6...40) })
        #expect(fixture.observer.replaysFromStore == 1)
        #expect(fixture.observer.replaysFromMemory == 8)
    }

    @Test func clientsThatLeaveWhileQueuedForAStoreReplayAreNotCountedAsReplays() async throws {
        // Four clients queue behind a store replay that the test holds, and hang up; a fifth queues after
        // them. Only the two that read the store count as store replays.
        let readHold = AsyncGate(limit: 1)
        await readHold.enter()
        let fixture = try await Fixture(realtimeConfiguration {
            $0.debounceMilliseconds = 0
            $0.replayPageSize = 16
            $0.recentEventsPerRoom = 2
        }, readHold: readHold)
        for index in 0..<20 { try await fixture.write("t\(index)") }
        let first = await fixture.join(1, resumeAfter: 0)
        var leaving: [RecordingStream] = []
        for id in UInt64(2)...5 { leaving.append(await fixture.join(id, resumeAfter: 0)) }
        for stream in leaving { stream.close() }
        let last = await fixture.join(6, resumeAfter: 0)
        readHold.leave()
        let expected = Array(Int64(1)...40)
        #expect(await eventually(pollMilliseconds: 5) { first.eventIds == expected && last.eventIds == expected })
        #expect(fixture.observer.replaysFromStore == 2)
    }

    @Test func aReplayStopsWhenItsClientIsGone() async throws {
        // 200 events beyond the room's memory, replayed 10 at a time to a client that hangs up at once.
        let fixture = try await Fixture(realtimeConfiguration {
            $0.debounceMilliseconds = 0
            $0.replayPageSize = 10
            $0.recentEventsPerRoom = 4
        })
        for index in 0..<100 { try await fixture.write("t\(index)") }
        let stream = ClosingStream(id: 1)
        fixture.registry.subscribe(campaignId: fixture.campaign.id, Subscription(clientId: "c", stream: stream, resumeAfter: 0))
        #expect(await eventually(pollMilliseconds: 5) { stream.closedAfterWrites != nil })
        try await Task.sleep(for: .milliseconds(50))
        #expect(fixture.observer.replaysFromStore == 1)
        // `connected`, then the first page; the 19 others are never read or sent.
        #expect(stream.attemptedWrites <= 3)
        #expect(fixture.registry.replaysRunning == 0)
    }

    @Test func storeReplaysQueueBehindTheProcessWideLimit() async throws {
        // Four campaigns, five resuming clients each: one store replay per room at most, and two in all.
        let fixture = try await Fixture(
            realtimeConfiguration {
                $0.debounceMilliseconds = 0
                $0.replayPageSize = 5
                $0.recentEventsPerRoom = 2
                $0.maximumConcurrentReplays = 2
            }, readDelay: .milliseconds(2))
        var campaigns = [fixture.campaign]
        for index in 1..<4 { campaigns.append(try await fixture.store.createCampaign(CampaignDraft(name: "more \(index)"))) }
        var expected: [String: [Int64]] = [:]
        for campaign in campaigns {
            let phase = try #require(try await fixture.store.snapshot(campaignId: campaign.id, historyLimit: 1)?.phases.first?.id)
            for index in 0..<20 {
                _ = try await fixture.store.createTask(
                    campaignId: campaign.id, draft: TaskDraft(phaseId: phase, title: "t\(index)"), context: WriteContext(actor: "t"))
            }
            guard case .events(let logged) = try await fixture.store.events(campaignId: campaign.id, after: 0, limit: 10_000) else {
                Issue.record("nothing was pruned")
                return
            }
            expected[campaign.id] = logged.map(\.id)
        }
        var streams: [(campaign: String, stream: RecordingStream)] = []
        for (index, campaign) in campaigns.enumerated() {
            for client in 0..<5 {
                let stream = RecordingStream(id: UInt64(index * 10 + client))
                streams.append((campaign.id, stream))
                fixture.registry.subscribe(campaignId: campaign.id, Subscription(clientId: "c\(stream.streamID)", stream: stream, resumeAfter: 0))
            }
        }
        var mostRunning = 0
        var polls = 0
        while polls < 5000 && !streams.allSatisfy({ $0.stream.eventIds.count == expected[$0.campaign]?.count }) {
            mostRunning = max(mostRunning, fixture.registry.replaysRunning)
            try await Task.sleep(for: .milliseconds(2))
            polls += 1
        }
        let everyoneGotEverything = streams.allSatisfy { $0.stream.eventIds == expected[$0.campaign] }
        #expect(everyoneGotEverything)
        #expect(mostRunning <= 2)
        #expect(fixture.observer.replaysFromStore == 20)
    }
}

/// A client that hangs up as soon as it has received its first events.
final class ClosingStream: ResponseStream, Sendable {
    let streamID: UInt64
    private let state = Mutex<(writes: Int, closedAfter: Int?, handlers: [@Sendable (StreamCloseReason) -> Void])>((0, nil, []))

    init(id: UInt64) { streamID = id }

    func send(_ bytes: [UInt8]) -> Bool {
        let (accepted, handlers) = state.withLock { state -> (Bool, [@Sendable (StreamCloseReason) -> Void]) in
            state.writes += 1
            guard state.closedAfter == nil else { return (false, []) }
            // The first write is `retry` + `connected`; the second carries events: then it is gone.
            guard state.writes >= 2 else { return (true, []) }
            state.closedAfter = state.writes
            return (true, state.handlers)
        }
        for handler in handlers { handler(.clientClosed) }
        return accepted
    }

    func close() {}
    func onClose(_ handler: @escaping @Sendable (StreamCloseReason) -> Void) { state.withLock { $0.handlers.append(handler) } }

    var attemptedWrites: Int { state.withLock { $0.writes } }
    var closedAfterWrites: Int? { state.withLock { $0.closedAfter } }
}
