import CampaignModel
import CampaignStore
import Logging
import Postgres

/// Where notifications come from: a LISTEN connection in production, a scripted source in unit tests.
public protocol NotificationSource: Sendable {
    /// Waits for at least one notification; throws when the connection is lost.
    func nextNotifications() async throws -> [PostgresNotification]
    func close()
}

extension NotificationConnection: NotificationSource {}

/// Turns PostgreSQL notifications into room messages. One dedicated LISTEN connection; a notification
/// carries the events a commit logged (when they fit in a payload: see `NotifiedEvents`), or only says
/// "something was committed", and then the listener reads the event log after the last id it
/// delivered, in commit order; either way it hands the events to the sink (the room registry). After a lost
/// connection it reconnects with jittered, capped backoff, LISTENs again, then catches up from the log:
/// nothing written during the outage is lost and nothing is delivered twice.
public actor DatabaseListener {
    public struct Configuration: Sendable {
        public var channel: String
        public var pageSize: Int
        public var initialBackoffMilliseconds: Int
        public var maximumBackoffMilliseconds: Int

        public init(channel: String = "campaign_events", pageSize: Int = 1000, initialBackoffMilliseconds: Int = 100, maximumBackoffMilliseconds: Int = 5_000) {
            self.channel = channel
            self.pageSize = pageSize
            self.initialBackoffMilliseconds = initialBackoffMilliseconds
            self.maximumBackoffMilliseconds = maximumBackoffMilliseconds
        }
    }

    public enum State: Equatable, Sendable {
        case starting
        case listening
        case reconnecting(attempt: Int)
        case stopped
    }

    let configuration: Configuration
    let connect: @Sendable () async throws -> any NotificationSource
    let store: any CampaignStore
    let sink: any CampaignEventSink
    let logger: Logger
    let observer: any RealtimeObserver
    let sleep: @Sendable (Int) async -> Void
    let random: @Sendable () -> Double

    public private(set) var state: State = .starting
    /// The newest event id handed to the sink.
    public private(set) var lastDeliveredId: Int64?
    /// How many times the connection was re-established after a loss.
    public private(set) var reconnects = 0

    /// `connect` opens a listening source; `sleep` and `random` are injectable so tests control time.
    public init(
        configuration: Configuration = .init(), store: any CampaignStore, sink: any CampaignEventSink, logger: Logger,
        observer: any RealtimeObserver = NoRealtimeObserver(),
        sleep: @escaping @Sendable (Int) async -> Void = { milliseconds in try? await Task.sleep(for: .milliseconds(milliseconds)) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        connect: @escaping @Sendable () async throws -> any NotificationSource
    ) {
        self.configuration = configuration
        self.store = store
        self.sink = sink
        self.logger = logger
        self.observer = observer
        self.sleep = sleep
        self.random = random
        self.connect = connect
    }

    /// Listens until the task is cancelled.
    public func run() async {
        var backoff = ReconnectBackoff(
            initialDelayMilliseconds: configuration.initialBackoffMilliseconds,
            maximumDelayMilliseconds: configuration.maximumBackoffMilliseconds)
        var hadConnection = false
        while !Task.isCancelled {
            var source: (any NotificationSource)? = nil
            do {
                let opened = try await connect()
                source = opened
                if lastDeliveredId == nil { lastDeliveredId = try await store.latestEventId() }
                state = .listening
                if hadConnection {
                    reconnects += 1
                    observer.listenerReconnected()
                    logger.notice("[DB] listener reconnected; catching up", metadata: ["event.lastId": "\(lastDeliveredId ?? 0)"])
                } else {
                    logger.info("[DB] listener started", metadata: ["db.channel": "\(configuration.channel)", "event.lastId": "\(lastDeliveredId ?? 0)"])
                }
                hadConnection = true
                backoff.reset()
                // LISTEN is active: whatever committed before it is in the log, whatever commits after it notifies.
                try await catchUp()
                while !Task.isCancelled {
                    let notifications = try await opened.nextNotifications()
                    if notifications.isEmpty && Task.isCancelled { break }
                    try await deliver(notifications)
                }
                opened.close()
            } catch {
                source?.close()
                if Task.isCancelled { break }
                let delay = backoff.nextDelayMilliseconds(random: random())
                state = .reconnecting(attempt: backoff.attempts)
                logger.warning("[DB] listener connection lost; reconnecting", metadata: [
                    "error": "\(error)", "retry.ms": "\(delay)", "attempt": "\(backoff.attempts)",
                ])
                await sleep(delay)
            }
        }
        state = .stopped
        logger.info("[DB] listener stopped")
    }

    /// Hands over the events the notifications carry, in order; a notification that carries none sends
    /// the listener to the log. Carried events are complete: ids increase in commit order and
    /// notifications arrive in commit order, so when one arrives every earlier event has arrived
    /// before it, or was read from the log (those are skipped here by id).
    private func deliver(_ notifications: [PostgresNotification]) async throws {
        var carried: [CampaignEvent] = []
        for notification in notifications {
            guard let events = NotifiedEvents.decode(notification.payload) else {
                if !carried.isEmpty { sink.publish(carried) }
                carried = []
                try await catchUp()
                continue
            }
            for event in events where event.id > lastDeliveredId ?? 0 {
                carried.append(event)
                lastDeliveredId = event.id
            }
        }
        if !carried.isEmpty { sink.publish(carried) }
    }

    /// Delivers every logged event after the last delivered one, page by page, in id order.
    private func catchUp() async throws {
        while true {
            let after = lastDeliveredId ?? 0
            let events = try await store.events(after: after, limit: configuration.pageSize)
            guard let last = events.last else { return }
            sink.publish(events)
            lastDeliveredId = last.id
            if events.count < configuration.pageSize { return }
        }
    }
}
