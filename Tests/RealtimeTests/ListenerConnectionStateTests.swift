import Logging
import Realtime
import Synchronization
import Testing

/// The listener reports its LISTEN connection going up and down (`campaign_db_listener_connected`).
@Suite struct ListenerConnectionStateTests {
    /// Records the connection changes and reconnects the listener reports.
    final class ConnectionObserver: RealtimeObserver, Sendable {
        let changes = Mutex<[Bool]>([])
        let reconnects = Atomic<Int>(0)
        func broadcast(eventCount: Int, clientCount: Int, byteCount: Int, latencySeconds: Double) {}
        func slowClientDisconnected() {}
        func subscribersChanged(by delta: Int) {}
        func listenerReconnected() { reconnects.add(1, ordering: .relaxed) }
        func listenerConnectionChanged(connected: Bool) { changes.withLock { $0.append(connected) } }
        func resyncSent(count: Int) {}
        func replayed(fromMemory: Bool) {}
        var history: [Bool] { changes.withLock { $0 } }
    }

    @Test func upThenDownOnALossThenUpAgainAndDownAtStop() async throws {
        let follower = DatabaseListenerTests.RecordingFollower()
        let connector = DatabaseListenerTests.Connector()
        let observer = ConnectionObserver()
        var logger = Logger(label: "listener-state-test")
        logger.logLevel = .critical
        let listener = DatabaseListener(
            follower: follower, logger: logger, observer: observer, sleep: { _ in }, random: { 0.5 },
            connect: { try await connector.connect() })
        let run = Task { await listener.run() }
        #expect(await waitFor { observer.history == [true] })
        // A lost connection and two failed attempts: down once (failed attempts were never up), then up.
        connector.plan.withLock { $0 = [false, false] }
        connector.current?.yield(.drop)
        #expect(await waitFor { observer.history == [true, false, true] })
        #expect(observer.reconnects.load(ordering: .relaxed) == 1)
        run.cancel()
        connector.current?.finish()
        await run.value
        #expect(observer.history == [true, false, true, false])
    }
}
