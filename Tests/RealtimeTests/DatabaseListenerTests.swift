import CampaignModel
import CampaignStore
import Logging
import Postgres
import Realtime
import Synchronization
import Testing

/// The listener's reconnect logic, driven by a scripted notification source and a manual clock
/// (its `sleep` records the delay and returns at once). The event log is a real in-memory store.
@Suite struct DatabaseListenerTests {
    /// Collects what the listener publishes.
    final class CollectingSink: CampaignEventSink, Sendable {
        let events = Mutex<[CampaignEvent]>([])
        func publish(_ batch: [CampaignEvent]) { events.withLock { $0.append(contentsOf: batch) } }
        var ids: [Int64] { events.withLock { $0.map(\.id) } }
    }

    /// Hands out notifications the test pushes, and fails when told to (a dropped connection).
    final class ScriptedSource: NotificationSource, Sendable {
        enum Step: Sendable { case notify, notifyWith([String]), drop }
        let steps: AsyncStream<Step>
        let closed = Atomic<Bool>(false)
        init(steps: AsyncStream<Step>) { self.steps = steps }

        func nextNotifications() async throws -> [PostgresNotification] {
            for await step in steps {
                switch step {
                case .notify: return [PostgresNotification(channel: "campaign_events", payload: "{}", processID: 1)]
                case .notifyWith(let payloads):
                    return payloads.map { PostgresNotification(channel: "campaign_events", payload: $0, processID: 1) }
                case .drop: throw PostgresError(kind: .connection, message: "server closed the connection unexpectedly")
                }
            }
            return []
        }

        func close() { closed.store(true, ordering: .relaxed) }
    }

    /// Connection attempts: each one fails, or succeeds with a new scripted source.
    final class Connector: Sendable {
        let plan = Mutex<[Bool]>([])
        let sources = Mutex<[(source: ScriptedSource, push: AsyncStream<ScriptedSource.Step>.Continuation)]>([])
        let attempts = Atomic<Int>(0)

        func connect() async throws -> any NotificationSource {
            attempts.add(1, ordering: .relaxed)
            let succeed = plan.withLock { $0.isEmpty ? true : $0.removeFirst() }
            guard succeed else { throw PostgresError(kind: .connection, message: "connection refused") }
            let (stream, continuation) = AsyncStream<ScriptedSource.Step>.makeStream()
            let source = ScriptedSource(steps: stream)
            sources.withLock { $0.append((source, continuation)) }
            return source
        }

        var current: AsyncStream<ScriptedSource.Step>.Continuation? { sources.withLock { $0.last?.push } }
        var count: Int { sources.withLock { $0.count } }
    }

    func write(_ store: InMemoryCampaignStore, campaign: Campaign, phase: String, title: String) async throws {
        _ = try await store.createTask(campaignId: campaign.id, draft: TaskDraft(phaseId: phase, title: title), context: WriteContext(actor: "t"))
    }

    @Test func backsOffWhileTheDatabaseIsDownThenCatchesUpExactlyOnce() async throws {
        let store = InMemoryCampaignStore()
        let campaign = try await store.createCampaign(CampaignDraft(name: "listener"))
        let phase = try #require(try await store.snapshot(campaignId: campaign.id, historyLimit: 1)?.phases.first?.id)
        try await write(store, campaign: campaign, phase: phase, title: "before start")  // ids 1, 2: before the listener

        let sink = CollectingSink()
        let connector = Connector()
        connector.plan.withLock { $0 = [false, false, true] }  // down twice, then up
        let sleeps = Mutex<[Int]>([])
        var logger = Logger(label: "listener-test")
        logger.logLevel = .critical
        let listener = DatabaseListener(
            configuration: .init(pageSize: 3, initialBackoffMilliseconds: 100, maximumBackoffMilliseconds: 1000),
            store: store, sink: sink, logger: logger,
            sleep: { milliseconds in sleeps.withLock { $0.append(milliseconds) } },
            random: { 0.5 },
            connect: { try await connector.connect() })
        let run = Task { await listener.run() }

        #expect(await waitFor { connector.count == 1 })
        #expect(await waitFor { await listener.state == .listening })
        // Two failed attempts, each waited out with a growing delay (jitter 0 at random 0.5).
        #expect(sleeps.withLock { $0 } == [100, 200])
        #expect(sink.ids.isEmpty, "events before the listener started are not replayed")

        // Live: a write, then its notification.
        try await write(store, campaign: campaign, phase: phase, title: "live")
        connector.current?.yield(.notify)
        #expect(await waitFor { sink.ids == [3, 4] })

        // Seven writes (14 events, more than two pages) whose notifications never arrive, because the
        // connection is dropping; then it drops, and the first reconnect attempt fails.
        for index in 0..<7 { try await write(store, campaign: campaign, phase: phase, title: "outage \(index)") }
        connector.plan.withLock { $0 = [false, true] }
        connector.current?.yield(.drop)
        #expect(await waitFor { connector.count == 2 })
        // Catch-up after reconnecting delivers every missed event once, in order, without a notification.
        #expect(await waitFor { sink.ids == Array(3...18) })
        #expect(await listener.reconnects == 1)
        #expect(sleeps.withLock { $0 } == [100, 200, 100, 200], "backoff starts over after a good connection")

        // A notification without new events delivers nothing twice.
        connector.current?.yield(.notify)
        try await write(store, campaign: campaign, phase: phase, title: "after")
        connector.current?.yield(.notify)
        #expect(await waitFor { sink.ids == Array(3...20) })

        run.cancel()
        connector.current?.finish()
        await run.value
        #expect(await listener.state == .stopped)
    }

    /// A notification's payload as migration 0005's trigger writes it, carrying `events`.
    func payload(carrying events: [CampaignEvent]) -> String {
        let entries = events.map { event in
            JSONValue.object(JSONObject([
                (key: "id", value: .int(event.id)), (key: "type", value: .string(event.type.rawValue)),
                (key: "data", value: .string(event.data)),
            ]))
        }
        return JSONValue.object(JSONObject([
            (key: "campaignId", value: .string(events[0].campaignId)), (key: "eventId", value: .int(events.last!.id)),
            (key: "events", value: .array(entries)),
        ])).encodedString()
    }

    @Test func carriedEventsAreHandedOnWithoutReadingTheLogAndNeverTwice() async throws {
        let store = InMemoryCampaignStore()
        let campaign = try await store.createCampaign(CampaignDraft(name: "carried"))
        let phase = try #require(try await store.snapshot(campaignId: campaign.id, historyLimit: 1)?.phases.first?.id)
        try await write(store, campaign: campaign, phase: phase, title: "before start")  // ids 1, 2

        let sink = CollectingSink()
        let connector = Connector()
        var logger = Logger(label: "listener-test")
        logger.logLevel = .critical
        let listener = DatabaseListener(store: store, sink: sink, logger: logger, sleep: { _ in }, random: { 0.5 },
                                        connect: { try await connector.connect() })
        let run = Task { await listener.run() }
        #expect(await waitFor { await listener.state == .listening })

        // Events the log does not hold (ids 3, 4): what arrives can only have come from the payload.
        let carried = [CampaignEvent(id: 3, campaignId: campaign.id, type: .taskCreated, data: "{\"carried\":\"first\"}"),
                       CampaignEvent(id: 4, campaignId: campaign.id, type: .historyUpdate, data: "{\"carried\":\"second\"}")]
        connector.current?.yield(.notifyWith([payload(carrying: carried)]))
        #expect(await waitFor { sink.ids == [3, 4] })
        #expect(sink.events.withLock { $0 } == carried)

        // The same events again (already delivered): nothing twice.
        connector.current?.yield(.notifyWith([payload(carrying: carried)]))
        // A notification without events sends the listener to the log, which now holds 3…6; in the same
        // batch, events carried after it that the log read already delivered are skipped, newer ones kept.
        try await write(store, campaign: campaign, phase: phase, title: "one")  // ids 3, 4 in the store
        try await write(store, campaign: campaign, phase: phase, title: "two")  // ids 5, 6
        let logged = try await store.events(after: 4, limit: 10)
        let newer = [CampaignEvent(id: 7, campaignId: campaign.id, type: .taskUpdated, data: "{\"carried\":\"third\"}")]
        connector.current?.yield(.notifyWith(["{\"campaignId\":\"\(campaign.id)\",\"eventId\":6}",
                                               payload(carrying: logged), payload(carrying: newer)]))
        #expect(await waitFor { sink.ids == [3, 4, 5, 6, 7] })
        #expect(sink.events.withLock { Array($0[2...]) } == logged + newer)

        run.cancel()
        connector.current?.finish()
        await run.value
    }

    @Test func backoffIsCappedAndJittered() async throws {
        let store = InMemoryCampaignStore()
        let connector = Connector()
        connector.plan.withLock { $0 = Array(repeating: false, count: 8) }
        let sleeps = Mutex<[Int]>([])
        var logger = Logger(label: "listener-test")
        logger.logLevel = .critical
        let listener = DatabaseListener(
            configuration: .init(initialBackoffMilliseconds: 100, maximumBackoffMilliseconds: 500),
            store: store, sink: CollectingSink(), logger: logger,
            sleep: { milliseconds in sleeps.withLock { $0.append(milliseconds) } },
            random: { 0.999 },
            connect: { try await connector.connect() })
        let run = Task { await listener.run() }
        #expect(await waitFor { connector.count == 1 })
        run.cancel()
        connector.current?.finish()
        await run.value
        let delays = sleeps.withLock { $0 }
        #expect(delays.count == 8)
        // Never above the cap plus its jitter (20%), growing until the cap.
        #expect(delays.allSatisfy { $0 <= 600 })
        #expect(delays[0] < delays[1] && delays[1] < delays[2])
        #expect(delays.suffix(4).allSatisfy { $0 >= 500 })
    }
}

/// Polls `condition` (never asserts on time: a generous deadline only bounds a hang).
func waitFor(_ condition: @escaping () async -> Bool) async -> Bool {
    for _ in 0..<2000 {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return await condition()
}
