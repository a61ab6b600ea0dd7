import CLibPQ
import Logging
import Sockets
import Synchronization

/// One dedicated LISTEN connection (the DatabaseListener actor owns one).
///
/// Waiting costs no thread: the session's socket is watched by the event loop, and only
/// non-blocking libpq calls (`PQconsumeInput`, `PQnotifies`) run on the caller's task.
/// After the connection drops it stays failed; the owner opens a new one (with `ReconnectBackoff`).
public final class NotificationConnection: Sendable {
    /// The channel this connection listens on (exactly as given; it is quoted as an identifier).
    public let channel: String
    /// The server process serving this session, as `pg_backend_pid()` reports it.
    public let backendProcessID: Int32
    // The session is only touched under this lock, so `close()` from another task cannot free it mid-call.
    private let session: Mutex<PostgresConnection?>
    private let watcher: ReadinessWatcher
    private let logger: Logger

    private init(connection: consuming sending PostgresConnection, channel: String, watcher: ReadinessWatcher, logger: Logger) {
        self.channel = channel
        self.backendProcessID = connection.backendProcessID
        self.watcher = watcher
        self.logger = logger
        session = Mutex(connection)
    }

    deinit {
        close()
    }

    /// Connects off the cooperative pool, LISTENs (channel name quoted safely as an identifier).
    public static func connect(connectionString: String, channel: String, loop: EventLoop, logger: Logger,
                               connectTimeoutSeconds: Int = 5) async throws -> NotificationConnection {
        let options = PostgresConnectionOptions(connectionString: connectionString,
                                                connectTimeoutSeconds: connectTimeoutSeconds,
                                                statementTimeoutMilliseconds: nil,
                                                applicationName: "campaign-realtime-listener")
        let connection = try await PostgresThread.run {
            let connection = try PostgresConnection.connect(options: options, logger: logger)
            try connection.execute("LISTEN " + connection.quotedIdentifier(channel))
            return try NotificationConnection(listening: connection, channel: channel, loop: loop, logger: logger)
        }
        logger.debug("[DB] listening", metadata: ["db.channel": "\(channel)",
                                                  "db.backend": "\(connection.backendProcessID)"])
        return connection
    }

    private convenience init(listening connection: consuming sending PostgresConnection, channel: String,
                             loop: EventLoop, logger: Logger) throws {
        let watcher = try ReadinessWatcher(fd: PQsocket(connection.handle), loop: loop)
        self.init(connection: connection, channel: channel, watcher: watcher, logger: logger)
    }

    /// Waits on the event loop until at least one notification arrived; returns all that are available, in order.
    /// Throws a connection `PostgresError` when the connection drops (or was closed); returns [] promptly when
    /// the task is cancelled. One caller at a time.
    public func nextNotifications() async throws -> [PostgresNotification] {
        while true {
            let taken = session.withLock { connection -> Result<[PostgresNotification], PostgresError> in
                guard let connection else { return .failure(PostgresConnection.closedError) }
                return connection.takeNotifications()
            }
            let notifications = try taken.get()
            if !notifications.isEmpty { return notifications }
            if Task.isCancelled { return [] }
            // Remembers readiness that arrived since the last drain, so nothing slips between the two.
            await watcher.waitReadable()
        }
    }

    /// Stops watching and closes the session; a pending `nextNotifications()` throws.
    public func close() {
        // Deregister before libpq closes the descriptor, which the kernel may then reuse.
        watcher.close()
        let closed = session.withLock { connection -> Bool in
            guard let open = connection else { return false }
            connection = nil
            open.close()
            return true
        }
        if closed {
            logger.debug("[DB] notification connection closed", metadata: ["db.channel": "\(channel)"])
        }
    }
}
