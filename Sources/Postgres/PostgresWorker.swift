import Logging

/// One pool slot: a dedicated thread and the session it owns, created on first use and
/// re-created on the next use after it is found broken.
///
/// Lives and is used on its own thread only, so the non-Sendable connection never leaves it.
final class PostgresWorker {
    private let index: Int
    private let options: PostgresConnectionOptions
    private let queue: PostgresJobQueue
    private var logger: Logger
    private var connection: PostgresConnection?
    /// Logging a failed connect once per outage (not once per request) keeps an outage readable.
    private var lastConnectFailed = false

    private let sessionSetup: PostgresPool.SessionSetup?

    init(index: Int, options: PostgresConnectionOptions, sessionSetup: PostgresPool.SessionSetup? = nil,
         queue: PostgresJobQueue, logger: Logger) {
        self.index = index
        self.options = options
        self.sessionSetup = sessionSetup
        self.queue = queue
        self.logger = logger
        self.logger[metadataKey: "db.worker"] = "\(index)"
    }

    /// Serves jobs until the pool shuts down, then closes the session. With `openingFirst`, opens the
    /// session before the first job (a failure is logged; the next job tries again) and calls it.
    func run(openingFirst: (() -> Void)? = nil) {
        if let openingFirst {
            _ = try? usableConnection()
            openingFirst()
        }
        var finishedJob = false
        while let job = queue.next(finishedJob: finishedJob) {
            job.run(self)
            finishedJob = true
        }
        drop(reason: nil)
        queue.workerExited()
    }

    /// Runs `body` with a healthy session, connecting first if needed.
    func withConnection<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        let connection = try usableConnection()
        defer { settle(connection) }
        return try body(connection)
    }

    private func usableConnection() throws -> PostgresConnection {
        if let connection {
            if connection.isUsable { return connection }
            drop(reason: "the connection was found broken before use")
        }
        do {
            let opened = try PostgresConnection.connect(options: options, logger: logger)
            queue.connectionOpened()
            connection = opened
            setUp(opened)
            if lastConnectFailed {
                logger.info("[DB] connection re-established")
            } else {
                logger.debug("[DB] connection opened")
            }
            lastConnectFailed = false
            return opened
        } catch let error as PostgresError {
            logger.log(level: lastConnectFailed ? .debug : .warning, "[DB] connect failed",
                       metadata: ["db.error": "\(error.message)"])
            lastConnectFailed = true
            throw error
        }
    }

    /// Runs the pool's `sessionSetup` on a new session. A failure only costs the warm-up: it is logged,
    /// and the session is left idle (or, if that is impossible, found broken by its first user).
    private func setUp(_ opened: PostgresConnection) {
        guard let sessionSetup else { return }
        do {
            try sessionSetup(opened)
        } catch {
            logger.info("[DB] session set-up failed", metadata: ["db.error": "\(error)"])
        }
        if !opened.isBroken && opened.isInTransaction { opened.rollbackQuietly() }
    }

    /// Returns the session to an idle state for the next caller, or drops it when that is not possible.
    private func settle(_ used: PostgresConnection) {
        guard connection === used else { return }
        if used.isBroken {
            drop(reason: "the connection broke during use")
            return
        }
        if used.isInTransaction {
            // The body left a transaction open (or failed inside one): never hand that to the next caller.
            used.rollbackQuietly()
            if used.isBroken || used.isInTransaction {
                drop(reason: "a transaction could not be ended")
            }
        }
    }

    private func drop(reason: String?) {
        guard let connection else { return }
        self.connection = nil
        connection.close()
        queue.connectionClosed()
        if let reason {
            logger.info("[DB] connection dropped", metadata: ["db.reason": "\(reason)"])
        }
    }
}
