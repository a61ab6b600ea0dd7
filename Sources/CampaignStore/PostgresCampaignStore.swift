import CampaignModel
import Logging
import Postgres

/// The deployment's store: PostgreSQL through the `Postgres` pool, parameterised SQL only.
///
/// Writes only change `campaign_tasks` (and `campaigns`/`campaign_phases`); the triggers of the
/// migrations renumber positions, bump versions and record the history and the event log, so a
/// change made in psql and one made here produce the same rows. Each write sets `app.actor` and
/// `app.origin` for its transaction and takes the campaign's advisory lock before any row lock.
public final class PostgresCampaignStore: CampaignStore {
    public let pool: PostgresPool
    public let configuration: Configuration
    let logger: Logger

    /// A store on `pool`; the schema must be migrated first (`migrate(pool:logger:)`).
    public init(pool: PostgresPool, logger: Logger, configuration: Configuration) {
        self.pool = pool
        self.logger = logger
        self.configuration = configuration
    }

    /// Applies the bundled migrations that are pending; returns the versions applied.
    @discardableResult
    public static func migrate(pool: PostgresPool, logger: Logger) async throws(MigrationError) -> [Int] {
        try await MigrationRunner(pool: pool, migrations: try Migration.bundled(), logger: logger).run()
    }

    public func isReachable() async -> Bool {
        await pool.isReachable()
    }

    // MARK: Running statements

    /// Runs `body` in one transaction, retrying serialization failures and deadlocks; every failure
    /// leaves as a `StoreError` (a `StoreError` thrown by `body` rolls back and passes through).
    func transaction<T: Sendable>(
        _ operation: StaticString, isolation: IsolationLevel = .readCommitted,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws(StoreError) -> T {
        try await retryingConflicts(operation) { try await self.pool.withTransaction(isolation: isolation, body) }
    }

    /// Runs `statements` as one transaction in one round trip (see `pipelinedTransaction`), retried
    /// on a serialization failure or deadlock like `transaction`.
    /// `read` turns the statements' results into the answer (on the pool's thread, errors mapped alike).
    func pipelined<T: Sendable>(
        _ operation: StaticString, _ statements: [PostgresStatement],
        _ read: @escaping @Sendable ([PostgresResult]) throws -> T
    ) async throws(StoreError) -> T {
        try await retryingConflicts(operation) {
            try await self.pool.withConnection { connection in try read(try connection.pipelinedTransaction(statements)) }
        }
    }

    private func retryingConflicts<T: Sendable>(
        _ operation: StaticString, _ attemptOnce: () async throws -> T
    ) async throws(StoreError) -> T {
        var attempt = 1
        while true {
            do {
                return try await attemptOnce()
            } catch let error as StoreError {
                throw error
            } catch let error as PostgresError where error.isTransactionConflict && attempt < configuration.maximumAttempts {
                logger.debug("[DB] transaction conflict, retrying", metadata: [
                    "db.operation": "\(operation)", "db.sqlstate": "\(error.sqlState ?? "")", "db.attempt": "\(attempt)",
                ])
                attempt += 1
                await pause(beforeAttempt: attempt)
            } catch {
                throw storeError(error, operation: operation)
            }
        }
    }

    /// Runs `body` on a pooled connection without a transaction (one statement, one snapshot).
    func statement<T: Sendable>(
        _ operation: StaticString, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws(StoreError) -> T {
        do {
            return try await pool.withConnection(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw storeError(error, operation: operation)
        }
    }

    /// The first statement of every write: who writes (read by the triggers), then the campaign's lock,
    /// which orders this transaction after every earlier writer of the campaign.
    static func begin(_ connection: PostgresConnection, campaignId: String, context: WriteContext) throws {
        let statement = beginStatement(campaignId: campaignId, context: context)
        try connection.execute(statement.sql, statement.parameters)
    }

    static func beginStatement(campaignId: String, context: WriteContext) -> PostgresStatement {
        PostgresStatement(
            "SELECT set_config('app.actor', $1, true), set_config('app.origin', $2, true), campaign_lock($3::uuid)",
            [context.actor, context.origin ?? "", campaignId])
    }

    private func pause(beforeAttempt attempt: Int) async {
        let base = configuration.retryBaseDelayMilliseconds * (1 << min(attempt - 1, 6))
        guard base > 0 else { return }
        try? await Task.sleep(for: .milliseconds(Int.random(in: base / 2...base)))
    }

    /// What the API may say about a failure: never SQL text or row data, only its kind.
    private func storeError(_ error: any Error, operation: StaticString) -> StoreError {
        guard let error = error as? PostgresError else {
            if error is CancellationError { return .unavailable("the request was cancelled") }
            logger.error("[DB] unexpected failure", metadata: ["db.operation": "\(operation)", "db.error": "\(error)"])
            return .unavailable("the database could not complete the request")
        }
        let metadata: Logger.Metadata = [
            "db.operation": "\(operation)", "db.sqlstate": "\(error.sqlState ?? "")", "db.error": "\(error.message)",
        ]
        if error.isConnectionProblem || error.kind == .poolTimeout {
            logger.warning("[DB] database unavailable", metadata: metadata)
            return .unavailable("the database is unavailable")
        }
        if error.isTransactionConflict {
            logger.warning("[DB] transaction conflict persisted", metadata: metadata)
            return .unavailable("the database is busy; try again")
        }
        if error.isLockTimeout {
            // Another transaction holds this campaign's lock (or a row of it) past the lock timeout.
            logger.warning("[DB] campaign locked by another transaction", metadata: metadata)
            return .busy("another change to this campaign is holding it; try again shortly")
        }
        switch error.sqlState?.prefix(2) {
        case "23" where error.isUniqueViolation:
            // A create racing another campaign's create of the same id (each holds its own campaign lock).
            logger.info("[DB] unique violation", metadata: metadata)
            return .conflict("the id is already taken")
        case "23", "22":
            // Inputs are validated before any SQL, so this is a row a concurrent psql writer changed under us.
            logger.warning("[DB] statement rejected by a constraint", metadata: metadata)
            return .invalid(ValidationError(field: nil, "the change breaks a database constraint"))
        default:
            // 57014 statement timeout, 53xxx resources, or a defect: logged, reported as a 503.
            logger.error("[DB] statement failed", metadata: metadata)
            return .unavailable("the database could not complete the request")
        }
    }
}
