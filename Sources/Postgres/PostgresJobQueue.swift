import Glibc

/// The pool's FIFO of waiting callers and the bookkeeping of its worker threads.
///
/// Worker threads block in `next()` on a condition variable (they are OS threads, not tasks);
/// callers never block: they enqueue a job holding their continuation and await it.
final class PostgresJobQueue: @unchecked Sendable {
    /// What the caller of `enqueue` must do next.
    enum Admission {
        case rejected
        /// `spawnWorker`: start a worker with this index. `mustTime`: every worker is busy, so
        /// start the acquire timer.
        case queued(spawnWorker: Int?, mustTime: Bool)
    }

    let size: Int
    // @unchecked: every field below is guarded by `mutex`.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var pending: [PostgresJob] = []
    private var threadCount = 0
    private var busyCount = 0
    private var openConnections = 0
    private var isShutDown = false
    private var shutdownWaiters: [CheckedContinuation<Void, Never>] = []
    private var lastID: UInt64 = 0

    init(size: Int) {
        self.size = size
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private func locked<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    func makeID() -> UInt64 {
        locked {
            lastID &+= 1
            return lastID
        }
    }

    func enqueue(_ job: PostgresJob) -> Admission {
        locked {
            guard !isShutDown else { return .rejected }
            pending.append(job)
            pthread_cond_signal(condition)
            var spawn: Int?
            if pending.count > threadCount - busyCount && threadCount < size {
                spawn = threadCount
                threadCount += 1
            }
            return .queued(spawnWorker: spawn, mustTime: pending.count > threadCount - busyCount)
        }
    }

    /// Takes the job out if it is still waiting (timeout, cancellation), so the caller may fail it.
    func remove(id: UInt64) -> PostgresJob? {
        locked {
            guard let index = pending.firstIndex(where: { $0.id == id }) else { return nil }
            return pending.remove(at: index)
        }
    }

    /// Attaches the acquire timer; false when the job was already taken out (cancel the timer).
    func attach(timer: Task<Void, Never>, to id: UInt64) -> Bool {
        locked {
            guard let index = pending.firstIndex(where: { $0.id == id }) else { return false }
            pending[index].timer = timer
            return true
        }
    }

    /// Blocks the worker thread until a job arrives; nil once the pool shuts down.
    /// `finishedJob` tells that the worker just completed its previous job.
    func next(finishedJob: Bool) -> PostgresJob? {
        let job: PostgresJob? = locked {
            if finishedJob { busyCount -= 1 }
            while pending.isEmpty && !isShutDown {
                pthread_cond_wait(condition, mutex)
            }
            guard !pending.isEmpty else { return nil }
            busyCount += 1
            return pending.removeFirst()
        }
        job?.timer?.cancel()
        return job
    }

    /// Reserves every worker not started yet (for opening all sessions up front); returns their indices.
    func reserveRemainingWorkers() -> Range<Int> {
        locked {
            guard !isShutDown else { return threadCount..<threadCount }
            defer { threadCount = size }
            return threadCount..<size
        }
    }

    /// Undoes the `threadCount` reservation of a worker that could not be started.
    func workerFailedToStart() {
        workerExited()
    }

    func workerExited() {
        let waiters: [CheckedContinuation<Void, Never>] = locked {
            threadCount -= 1
            guard threadCount == 0 && isShutDown else { return [] }
            defer { shutdownWaiters.removeAll() }
            return shutdownWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func connectionOpened() { locked { openConnections += 1 } }
    func connectionClosed() { locked { openConnections -= 1 } }

    /// Stops admitting jobs and wakes every idle worker so it exits; returns the jobs still
    /// waiting, for the caller to fail.
    func shutDown() -> [PostgresJob] {
        locked {
            isShutDown = true
            pthread_cond_broadcast(condition)
            defer { pending.removeAll() }
            return pending
        }
    }

    /// Returns once every worker thread has exited (after `shutDown()`).
    func waitForWorkers() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done: Bool = locked {
                if threadCount == 0 { return true }
                shutdownWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    func statistics() -> PostgresPool.Statistics {
        locked {
            PostgresPool.Statistics(size: size, workerThreads: threadCount, openConnections: openConnections,
                                    busyConnections: busyCount, waitingRequests: pending.count)
        }
    }
}
