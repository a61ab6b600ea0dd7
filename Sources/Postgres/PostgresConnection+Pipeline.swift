import CLibPQ

/// One statement of a pipelined transaction: SQL with `$1…$n` and its parameters (text; nil is NULL).
public struct PostgresStatement: Sendable {
    public var sql: String
    public var parameters: [String?]

    public init(_ sql: String, _ parameters: [String?] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

extension PostgresConnection {
    /// Runs `statements` as one transaction in a single round trip (libpq pipeline mode): BEGIN, the
    /// statements, COMMIT and one Sync go out together, and their results come back together.
    ///
    /// For writes whose statements do not depend on each other's results, this spares the three
    /// round trips of BEGIN, a separate statement and COMMIT; on a busy server each round trip is
    /// two more wake-ups (this thread and the server process) waiting for a core. When a statement
    /// fails, PostgreSQL skips the rest, the transaction is rolled back and that error is thrown;
    /// nothing is committed.
    public func pipelinedTransaction(isolation: IsolationLevel = .readCommitted,
                                     _ statements: [PostgresStatement]) throws -> [PostgresResult] {
        for statement in statements { try Self.refuseNUL(in: statement.parameters) }
        guard !isClosed else { throw Self.closedError }
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresDiagnostics.error(result: nil, handle: handle, options: options)
        }
        var expected: [PipelineStep] = []
        do {
            try send(isolation.beginStatement, [], as: .control, into: &expected)
            for statement in statements {
                try send(statement.sql, statement.parameters, as: .statement, into: &expected)
            }
            try send("COMMIT", [], as: .commit, into: &expected)
            guard PQpipelineSync(handle) == 1 else {
                throw PostgresDiagnostics.error(result: nil, handle: handle, options: options)
            }
        } catch {
            // Half a pipeline was sent and cannot be taken back: the session is not reusable.
            close()
            throw error
        }
        roundTrips += 1
        let outcome = readResults(of: expected)
        // Leaving pipeline mode fails only with results still unread: such a session cannot be reused.
        if !isClosed && PQexitPipelineMode(handle) != 1 { close() }
        switch outcome {
        case .success(let results):
            return results
        case .failure(let error):
            rollbackQuietly()
            throw error
        }
    }

    /// What a result read back from the pipeline answers.
    enum PipelineStep {
        case control
        case prepare(sql: String, name: String)
        /// One of the caller's statements (their results come back in the order they were sent).
        case statement
        case commit
    }

    /// Queues one statement: prepared (and, on its first use on this session, prepared in the same
    /// pipeline) when statements are prepared, otherwise sent with its text.
    private func send(_ sql: String, _ parameters: [String?], as step: PipelineStep,
                      into expected: inout [PipelineStep]) throws {
        let values = PostgresCStrings(parameters)
        let count = Int32(parameters.count)
        var name = preparedNames[sql]
        if name == nil, case .statement = step, let fresh = nextPreparedName() {
            guard PQsendPrepare(handle, fresh, sql, count, nil) == 1 else {
                throw PostgresDiagnostics.error(result: nil, handle: handle, options: options)
            }
            expected.append(.prepare(sql: sql, name: fresh))
            name = fresh
        }
        let sent = values.withPointers { pointers in
            if let name { return PQsendQueryPrepared(handle, name, count, pointers, nil, nil, 0) }
            return PQsendQueryParams(handle, sql, count, nil, pointers, nil, nil, 0)
        }
        guard sent == 1 else { throw PostgresDiagnostics.error(result: nil, handle: handle, options: options) }
        expected.append(step)
    }

    /// Reads one result per queued step, then the Sync. The first error is the outcome; the steps
    /// after it come back as aborted.
    private func readResults(of steps: [PipelineStep]) -> Result<[PostgresResult], PostgresError> {
        var results: [PostgresResult] = []
        var failure: PostgresError? = nil
        var committed = false
        for step in steps {
            guard let result = PQgetResult(handle) else {
                close()
                return .failure(failure ?? PostgresError(kind: .connection, message: "the connection was lost during a pipeline"))
            }
            let status = PQresultStatus(result)
            if status == PGRES_PIPELINE_ABORTED {
                PQclear(result)
            } else if status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR || status == PGRES_BAD_RESPONSE {
                if failure == nil { failure = PostgresDiagnostics.error(result: result, handle: handle, options: options) }
                PQclear(result)
            } else {
                do {
                    let decoded = try consume(result)
                    switch step {
                    case .control: break
                    case .prepare(let sql, let name): preparedNames[sql] = name
                    case .statement: results.append(decoded)
                    case .commit: committed = decoded.commandTag == "COMMIT"
                    }
                } catch let error as PostgresError {
                    if failure == nil { failure = error }
                } catch {
                    if failure == nil { failure = PostgresError(kind: .query, message: "\(error)") }
                }
            }
            // Each step's results end with a null result.
            while let extra = PQgetResult(handle) { PQclear(extra) }
        }
        guard let sync = PQgetResult(handle) else {
            close()
            return .failure(failure ?? PostgresError(kind: .connection, message: "the connection was lost during a pipeline"))
        }
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        guard synced else {
            close()
            return .failure(failure ?? PostgresError(kind: .query, message: "the pipeline did not end where expected"))
        }
        if let failure { return .failure(failure) }
        // COMMIT of a transaction that failed answers ROLLBACK: nothing was written.
        guard committed else {
            return .failure(PostgresError(kind: .query, sqlState: "25P02",
                                          message: "the transaction was rolled back because a statement in it failed"))
        }
        // No failure: every statement answered, so there is one result per statement.
        return .success(results)
    }
}
