import Logging
import Postgres

/// Where notifications come from: a LISTEN connection in production, a scripted source in unit tests.
public protocol NotificationSource: Sendable {
    /// Waits for at least one notification; throws when the connection is lost.
    func nextNotifications() async throws -> [PostgresNotification]
    func close()
}

extension NotificationConnection: NotificationSource {}

/// The PostgreSQL event feed: turns notifications into "this campaign's log has news" for its
/// subscriber (the rooms). One dedicated LISTEN connection; the rooms then read the event log
/// themselves, so a notification is a hint, never a source of truth: anything may NOTIFY on the
/// channel, and only what the log holds is delivered. After a lost connection it reconnects with
/// jittered, capped backoff, LISTENs again, then tells the subscriber that every log may have news:
/// nothing written during the outage is lost, and nothing is delivered twice (each room reads after
/// its own cursor).
public actor DatabaseListener: CampaignEventFeed {
    public struct Configuration: Sendable {
        public var channel: String
        public var initialBackoffMilliseconds: Int
        public var maximumBackoffMilliseconds: Int

        public init(channel: String = "campaign_events", initialBackoffMilliseconds: Int = 100, maximumBackoffMilliseconds: Int = 5_000) {
            self.channel = channel
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
    let subscriber: any EventFeedSubscriber
    let logger: Logger
    let observer: any EventFeedObserver
    let sleep: @Sendable (Int) async -> Void
    let random: @Sendable () -> Double

    public private(set) var state: State = .starting
    /// How many times the connection was re-established after a loss.
    public private(set) var reconnects = 0

    public var isConnected: Bool { state == .listening }

    /// `connect` opens a listening source; `sleep` and `random` are injectable so tests control time.
    public init(
        configuration: Configuration = .init(), subscriber: any EventFeedSubscriber, logger: Logger,
        observer: any EventFeedObserver = NoEventFeedObserver(),
        sleep: @escaping @Sendable (Int) async -> Void = { milliseconds in try? await Task.sleep(for: .milliseconds(milliseconds)) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        connect: @escaping @Sendable () async throws -> any NotificationSource
    ) {
        self.configuration = configuration
        self.subscriber = subscriber
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
                state = .listening
                observer.feedConnectionChanged(connected: true)
                if hadConnection {
                    reconnects += 1
                    observer.feedReconnected()
                    logger.notice("[DB] listener reconnected; rooms catch up from the log")
                } else {
                    logger.info("[DB] listener started", metadata: ["db.channel": "\(configuration.channel)"])
                }
                hadConnection = true
                backoff.reset()
                // LISTEN is active: whatever committed before it is in the log, whatever commits after it notifies.
                subscriber.logMayHaveChangedEverywhere()
                while !Task.isCancelled {
                    let notifications = try await opened.nextNotifications()
                    if notifications.isEmpty && Task.isCancelled { break }
                    hint(notifications)
                }
                opened.close()
            } catch {
                source?.close()
                if source != nil { observer.feedConnectionChanged(connected: false) }
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
        observer.feedConnectionChanged(connected: false)
        logger.info("[DB] listener stopped")
    }

    /// Each notification names the campaign whose log has news; one that names none (or cannot be
    /// read) sends every room to its log.
    private func hint(_ notifications: [PostgresNotification]) {
        var campaigns = Set<String>()
        for notification in notifications {
            guard let campaignId = NotificationPayload.campaignId(notification.payload) else {
                subscriber.logMayHaveChangedEverywhere()
                return
            }
            campaigns.insert(campaignId)
        }
        for campaignId in campaigns { subscriber.logChanged(campaignId: campaignId) }
    }
}
