import CampaignStore
import Logging
import Synchronization
import Testing
import TestSupport

/// The listener reports its LISTEN connection going up and down (`campaign_db_listener_connected`).
@Suite struct ListenerConnectionStateTests {
    /// Records the connection changes and reconnects the listener reports.
    final class ConnectionObserver: EventFeedObserver, Sendable {
        let changes = Mutex<[Bool]>([])
        let reconnects = Atomic<Int>(0)
        func feedReconnected() { reconnects.add(1, ordering: .relaxed) }
        func feedConnectionChanged(connected: Bool) { changes.withLock { $0.append(connected) } }
        var history: [Bool] { changes.withLock { $0 } }
    }

    @Test func upThenDownOnALossThenUpAgainAndDownAtStop() async throws {
        let follower = DatabaseListenerTests.RecordingFollower()
        let connector = DatabaseListenerTests.Connector()
        let observer = ConnectionObserver()
        var logger = Logger(label: "listener-state-test")
        logger.logLevel = .critical
        let listener = DatabaseListener(
            subscriber: follower, logger: logger, observer: observer, sleep: { _ in }, random: { 0.5 },
            connect: { try await connector.connect() })
        let run = Task { await listener.run() }
        #expect(await eventually(pollMilliseconds: 5) { observer.history == [true] })
        // A lost connection and two failed attempts: down once (failed attempts were never up), then up.
        connector.plan.withLock { $0 = [false, false] }
        connector.current?.yield(.drop)
        #expect(await eventually(pollMilliseconds: 5) { observer.history == [true, false, true] })
        #expect(observer.reconnects.load(ordering: .relaxed) == 1)
        run.cancel()
        connector.current?.finish()
        await run.value
        #expect(observer.history == [true, false, true, false])
    }
}
