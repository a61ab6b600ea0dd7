import CampaignModel
import CampaignStore
import Logging
import Postgres
import Synchronization
import Testing
import TestSupport

/// The listener's hints and reconnect logic, driven by a scripted notification source and a manual
/// clock (its `sleep` records the delay and returns at once).
@Suite struct DatabaseListenerTests {
    /// Records what the listener tells the rooms.
    final class RecordingFollower: EventFeedSubscriber, Sendable {
        let changed = Mutex<[String]>([])
        let everywhere = Atomic<Int>(0)
        func logChanged(campaignId: String) { changed.withLock { $0.append(campaignId) } }
        func logMayHaveChangedEverywhere() { everywhere.add(1, ordering: .relaxed) }
        var campaigns: [String] { changed.withLock { $0 } }
        var everywhereCount: Int { everywhere.load(ordering: .relaxed) }
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

    static let campaignA = "6f1c2b1e-0000-4000-8000-00000000000a"
    static let campaignB = "6f1c2b1e-0000-4000-8000-00000000000b"

    /// The delays the listener slept (it returns at once).
    final class Sleeps: Sendable {
        let delays = Mutex<[Int]>([])
        var count: Int { delays.withLock { $0.count } }
    }

    func makeListener(_ follower: RecordingFollower, _ connector: Connector, sleeps: Sleeps = Sleeps()) -> DatabaseListener {
        var logger = Logger(label: "listener-test")
        logger.logLevel = .critical
        return DatabaseListener(
            subscriber: follower, logger: logger, sleep: { milliseconds in sleeps.delays.withLock { $0.append(milliseconds) } },
            random: { 0.5 }, connect: { try await connector.connect() })
    }

    @Test func aNotificationOnlyNamesTheCampaignWhoseLogTheRoomReads() async throws {
        let follower = RecordingFollower()
        let connector = Connector()
        let listener = makeListener(follower, connector)
        let run = Task { await listener.run() }
        #expect(await eventually(pollMilliseconds: 5) { connector.count == 1 && follower.everywhereCount == 1 })
        // Whatever a payload claims (a forged event, a huge id), only the campaign it names is used.
        let forged = #"{"campaignId":"\#(Self.campaignA.uppercased())","eventId":9000000000000000,"events":[{"id":9000000000000000,"type":"task-created","data":"{}"}]}"#
        connector.current?.yield(.notifyWith([forged, #"{"campaignId":"\#(Self.campaignB)"}"#, forged]))
        #expect(await eventually(pollMilliseconds: 5) { follower.campaigns.count == 2 })
        #expect(Set(follower.campaigns) == [Self.campaignA, Self.campaignB])
        // A payload naming no campaign that could exist sends every room to its log.
        connector.current?.yield(.notifyWith([#"{"campaignId":"not-a-uuid"}"#]))
        #expect(await eventually(pollMilliseconds: 5) { follower.everywhereCount == 2 })
        connector.current?.yield(.notify)
        #expect(await eventually(pollMilliseconds: 5) { follower.everywhereCount == 3 })
        #expect(follower.campaigns.count == 2)
        run.cancel()
        connector.current?.finish()
        await run.value
    }

    @Test func afterALostConnectionEveryRoomReadsItsLog() async throws {
        let follower = RecordingFollower()
        let connector = Connector()
        let sleeps = Sleeps()
        let listener = makeListener(follower, connector, sleeps: sleeps)
        let run = Task { await listener.run() }
        #expect(await eventually(pollMilliseconds: 5) { connector.count == 1 && follower.everywhereCount == 1 })
        connector.plan.withLock { $0 = [false, false] }
        connector.current?.yield(.drop)
        #expect(await eventually(pollMilliseconds: 5) { connector.count == 2 && follower.everywhereCount == 2 })
        #expect(await listener.reconnects == 1)
        #expect(await listener.state == DatabaseListener.State.listening)
        #expect(sleeps.count == 3)
        run.cancel()
        connector.current?.finish()
        await run.value
        #expect(await listener.state == DatabaseListener.State.stopped)
    }

    @Test func backoffIsCappedAndJittered() async throws {
        let connector = Connector()
        connector.plan.withLock { $0 = Array(repeating: false, count: 8) }
        let sleeps = Mutex<[Int]>([])
        var logger = Logger(label: "listener-test")
        logger.logLevel = .critical
        let listener = DatabaseListener(
            configuration: .init(initialBackoffMilliseconds: 100, maximumBackoffMilliseconds: 500),
            subscriber: RecordingFollower(), logger: logger,
            sleep: { milliseconds in sleeps.withLock { $0.append(milliseconds) } },
            random: { 0.999 },
            connect: { try await connector.connect() })
        let run = Task { await listener.run() }
        #expect(await eventually(pollMilliseconds: 5) { connector.count == 1 })
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
