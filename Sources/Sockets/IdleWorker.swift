import CLinux
import Glibc
import Synchronization

/// A thread of its own at the lowest scheduling priority (SCHED_IDLE) that runs, in order, the work
/// other threads hand it: work that must never keep a core from anything else.
///
/// Why a thread and not a low task priority: Swift's pool runs every priority at the same OS priority.
/// A pool thread parsing a 1 MiB body at `.low` was not preempted when the pool woke another thread on
/// its CPU for an ordinary write; that write waited 1.5 ms behind the parse while the other CPU was idle
/// (`perf sched` during `campaign-bench abuse --scenario large-writes`). The kernel runs a SCHED_IDLE
/// thread when ordinary threads leave it the CPU (not strictly: EEVDF sometimes lets it finish its slice).
///
/// Work here holds no lock or actor that ordinary threads wait for: starved, it only delays itself.
public final class IdleWorker: @unchecked Sendable {
    public typealias Work = @Sendable () -> Void

    private struct State {
        var work: [Work] = []
        var stopped = false
    }

    private let state = Mutex(State())
    /// A blocking eventfd: the thread sleeps in `read` until work or a stop arrives.
    private let wakeFD: Int32
    private let thread = Mutex<pthread_t?>(nil)

    /// The process's worker for work that has no owner to stop it (parsing large request bodies);
    /// nil if its thread could not be started, and then callers do the work themselves.
    public static let shared: IdleWorker? = try? IdleWorker(name: "idle-worker")

    public init(name: String) throws {
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw SocketError("eventfd", code: errno) }
        // If this throws, `wakeFD` is not closed here: every property is set, so `deinit` closes it.
        let handle = try NamedThread.start(name: name) {
            IdlePriority.applyToCallingThread()
            self.serve()
        }
        thread.withLock { $0 = handle }
    }

    deinit {
        Glibc.close(wakeFD)
    }

    /// Runs `work` soon on the worker's thread; any thread. Returns false, and does not run it, after `stop()`.
    @discardableResult
    public func submit(_ work: @escaping Work) -> Bool {
        let accepted = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.work.append(work)
            return true
        }
        if accepted { wake() }
        return accepted
    }

    /// Runs `body` on the worker's thread and returns what it returns; after `stop()`, on the caller's.
    public func run<Value: Sendable, Failure: Error>(
        _ body: @escaping @Sendable () throws(Failure) -> Value
    ) async throws(Failure) -> Value {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Value, Failure>, Never>) in
            let work: Work = { continuation.resume(returning: Result { () throws(Failure) -> Value in try body() }) }
            if !submit(work) { work() }
        }
        return try result.get()
    }

    /// Runs what is still waiting and ends the thread; returns once it has. Safe to call more than once.
    public func stop() {
        state.withLock { $0.stopped = true }
        wake()
        if let handle = thread.withLock({ value -> pthread_t? in defer { value = nil }; return value }) {
            pthread_join(handle, nil)
        }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = Glibc.write(wakeFD, &one, 8)
    }

    /// The thread's loop: sleeps until work or a stop arrives, runs what came, in order.
    private func serve() {
        while true {
            var value: UInt64 = 0
            let count = Glibc.read(wakeFD, &value, 8)
            if count < 0 && errno == EINTR { continue }
            let (work, stopped) = state.withLock { state -> ([Work], Bool) in
                defer { state.work.removeAll() }
                return (state.work, state.stopped)
            }
            for piece in work { piece() }
            if stopped { return }
        }
    }
}
