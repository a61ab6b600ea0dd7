import Logging

/// A fixed-size pool of libpq sessions, each used on a dedicated worker thread so that blocking
/// libpq calls never run on Swift's cooperative threads.
///
/// Sessions open lazily and are replaced on the next use after they break, so a server restart
/// needs no action: calls fail fast with a connection error while it is down and succeed again once
/// it is back. Callers waiting for a free session are served first come, first served.
public final class PostgresPool: Sendable {
    public let configuration: Configuration
    private let options: PostgresConnectionOptions
    private let queue: PostgresJobQueue
    private let logger: Logger

    /// Creates the pool; no session or thread is opened until the first call (or `openSessions()`).
    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        options = PostgresConnectionOptions(
            connectionString: configuration.connectionString,
            connectTimeoutSeconds: configuration.connectTimeoutSeconds,
            statementTimeoutMilliseconds: configuration.statementTimeoutMilliseconds,
            lockTimeoutMilliseconds: configuration.lockTimeoutMilliseconds,
            idleInTransactionTimeoutMilliseconds: configuration.idleInTransactionTimeoutMilliseconds,
            preparesStatements: configuration.preparesStatements)
        queue = PostgresJobQueue(size: max(1, configuration.size))
    }

    deinit {
        // Idle workers exit on their own; `shutdown()` is the way to also wait for them.
        for job in queue.shutDown() { job.fail(Self.shutDownError) }
    }

    /// Runs `body` with a pooled connection on a dedicated worker thread (never on Swift's cooperative threads).
    @discardableResult
    public func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await submit { worker in try worker.withConnection(body) }
    }

    /// BEGIN (with the isolation level) … COMMIT; ROLLBACK when `body` throws or the commit fails. Errors are rethrown.
    @discardableResult
    public func withTransaction<T: Sendable>(isolation: IsolationLevel = .readCommitted,
                                             _ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        try await submit { worker in
            try worker.withConnection { connection in try connection.transaction(isolation: isolation, body) }
        }
    }

    /// A cheap `SELECT 1` (health checks).
    public func isReachable() async -> Bool {
        do {
            return try await withConnection { connection in
                try connection.query("SELECT 1 AS ok").first?.int("ok") == 1
            }
        } catch {
            return false
        }
    }

    /// The pool's current state (open sessions, busy sessions, waiting callers).
    public func statistics() -> Statistics {
        queue.statistics()
    }

    /// Close every connection, stop the worker threads; later calls fail with a connection error.
    public func shutdown() async {
        for job in queue.shutDown() { job.fail(Self.shutDownError) }
        await queue.waitForWorkers()
        logger.debug("[DB] pool shut down")
    }

    static let shutDownError = PostgresError(kind: .connection, message: "the connection pool is shut down")

    /// Queues `work` for the next free worker and suspends until it has run, the acquire timeout
    /// expires, or the task is cancelled while still waiting (work that started runs to the end).
    private func submit<T: Sendable>(_ work: @escaping @Sendable (PostgresWorker) throws -> T) async throws -> T {
        let id = queue.makeID()
        let queue = self.queue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let job = PostgresJob(
                    id: id,
                    run: { worker in continuation.resume(with: Result { try work(worker) }) },
                    fail: { error in continuation.resume(throwing: error) })
                switch queue.enqueue(job) {
                case .rejected:
                    continuation.resume(throwing: Self.shutDownError)
                    return
                case .queued(let spawnWorker, let mustTime):
                    if let spawnWorker { startWorker(index: spawnWorker, for: id) }
                    if mustTime { startAcquireTimer(for: id) }
                }
                // The cancellation handler may have run before the job was queued.
                if Task.isCancelled { Self.cancelWaiting(id, in: queue) }
            }
        } onCancel: {
            Self.cancelWaiting(id, in: queue)
        }
    }

    private static func cancelWaiting(_ id: UInt64, in queue: PostgresJobQueue) {
        guard let job = queue.remove(id: id) else { return }
        job.timer?.cancel()
        job.fail(CancellationError())
    }

    private func startWorker(index: Int, for id: UInt64) {
        let queue = self.queue
        startWorker(index: index, opensAtOnce: nil) { error in
            // Without the thread this job might wait for nobody; fail it now rather than at the timeout.
            queue.remove(id: id)?.fail(error)
        }
    }

    /// Starts a worker thread; with `opensAtOnce`, it opens its session before serving jobs and
    /// calls it then (or at once, if the thread cannot start).
    private func startWorker(index: Int, opensAtOnce: (@Sendable () -> Void)?, onStartFailure: (any Error) -> Void) {
        let queue = self.queue
        let options = self.options
        let logger = self.logger
        let setup = configuration.sessionSetup
        do {
            try PostgresThread.detach {
                PostgresWorker(index: index, options: options, sessionSetup: setup, queue: queue, logger: logger)
                    .run(openingFirst: opensAtOnce)
            }
        } catch {
            queue.workerFailedToStart()
            logger.error("[DB] could not start a pool worker thread", metadata: ["db.error": "\(error)"])
            onStartFailure(error)
            opensAtOnce?()
        }
    }

    /// Opens every session of the pool now, each on its worker thread and through `sessionSetup`,
    /// instead of on first use: the first requests after a start then pay neither for connecting nor
    /// for a new server process's cold caches. Returns once each worker has tried; a session that
    /// could not open (the database is down) opens on first use, as always.
    public func openSessions() async {
        let indices = queue.reserveRemainingWorkers()
        await withTaskGroup(of: Void.self) { group in
            for index in indices {
                group.addTask {
                    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                        self.startWorker(index: index, opensAtOnce: { continuation.resume() }, onStartFailure: { _ in })
                    }
                }
            }
        }
    }

    private func startAcquireTimer(for id: UInt64) {
        let queue = self.queue
        let seconds = max(0, configuration.acquireTimeoutSeconds)
        let timer = Task {
            try? await Task.sleep(for: .seconds(seconds))
            guard !Task.isCancelled, let job = queue.remove(id: id) else { return }
            job.fail(PostgresError(kind: .poolTimeout,
                                   message: "no database connection became free within \(seconds) s"))
        }
        if !queue.attach(timer: timer, to: id) { timer.cancel() }
    }
}
