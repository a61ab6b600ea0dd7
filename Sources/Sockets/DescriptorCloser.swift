import Synchronization

/// Closes descriptors on an `IdleWorker`: a thread of its own at the lowest scheduling priority.
///
/// Closing a refused connection is kernel work an event loop should not wait for. Over loopback the
/// reset reaches the peer in the closing thread's own time, and waking the peer (often the very
/// client that floods the server) can preempt the closer. Closed on the loop during a reconnect
/// storm, 16 of them took 1.6–3.7 ms, a wait for every connection the loop serves. Handed over here,
/// they cost the loop an append under a lock, and they run when nothing else wants the CPU.
///
/// `pendingCount` tells the owner how many are waiting, so that it can close at once instead when a
/// starved closer falls behind (the descriptors still count against the process's limit).
public final class DescriptorCloser: Sendable {
    private let worker: IdleWorker
    private let pending = Atomic<Int>(0)

    public init(name: String) throws {
        worker = try IdleWorker(name: name)
    }

    /// Descriptors handed over and not closed yet.
    public var pendingCount: Int { pending.load(ordering: .relaxed) }

    /// Closes `descriptors` soon, on the closer's thread; any thread. After `stop()`, closes them at once.
    public func close(_ descriptors: [Int32]) {
        guard !descriptors.isEmpty else { return }
        pending.add(descriptors.count, ordering: .relaxed)
        let handedOver = worker.submit { [self] in
            for fd in descriptors {
                Socket.close(fd)
                pending.subtract(1, ordering: .relaxed)
            }
        }
        guard handedOver else {
            pending.subtract(descriptors.count, ordering: .relaxed)
            for fd in descriptors { Socket.close(fd) }
            return
        }
    }

    /// Closes what is still waiting and ends the thread; returns once it has. Safe to call more than once.
    public func stop() {
        worker.stop()
    }
}
