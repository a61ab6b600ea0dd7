/// One caller waiting for, or being served by, a pooled connection.
///
/// Exactly one of `run` and `fail` is called, by whoever takes the job out of the queue:
/// a worker (run), the acquire timer (fail with `.poolTimeout`), cancellation or shutdown.
struct PostgresJob: Sendable {
    let id: UInt64
    let run: @Sendable (PostgresWorker) -> Void
    let fail: @Sendable (any Error) -> Void
    /// Fires `.poolTimeout` when the job waits too long; cancelled when it is taken out.
    var timer: Task<Void, Never>?
}
