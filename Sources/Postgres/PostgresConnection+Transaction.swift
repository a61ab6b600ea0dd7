extension PostgresConnection {
    /// BEGIN … COMMIT around `body`; ROLLBACK when `body` throws, and an error when the commit
    /// did not commit. The first error is the one rethrown.
    func transaction<T>(isolation: IsolationLevel, _ body: (PostgresConnection) throws -> T) throws -> T {
        try execute(isolation.beginStatement)
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackQuietly()
            throw error
        }
        let commit: PostgresResult
        do {
            commit = try query("COMMIT")
        } catch {
            rollbackQuietly()
            throw error
        }
        // COMMIT of a transaction that already failed (a statement error the body swallowed) succeeds
        // with the tag ROLLBACK: nothing was written, which the caller must learn.
        guard commit.commandTag == "COMMIT" else {
            throw PostgresError(kind: .query, sqlState: "25P02",
                                message: "the transaction was rolled back because a statement in it failed")
        }
        return value
    }

    /// Ends a failed transaction. When even that fails the session is unusable, and the pool drops it.
    func rollbackQuietly() {
        guard !isBroken, isInTransaction else { return }
        _ = try? execute("ROLLBACK")
    }
}
