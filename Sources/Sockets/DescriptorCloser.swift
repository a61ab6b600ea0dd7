import CLinux
import Glibc
import Synchronization

/// Closes descriptors on a thread of its own that runs at the lowest scheduling priority (SCHED_IDLE).
///
/// Closing a refused connection is kernel work an event loop should not wait for. Over loopback the
/// reset reaches the peer in the closing thread's own time, and waking the peer (often the very
/// client that floods the server) can preempt the closer. Closed on the loop during a reconnect
/// storm, 16 of them took 1.6–3.7 ms, a wait for every connection the loop serves. Handed over here,
/// they cost the loop an append under a lock, and they run when nothing else wants the CPU.
///
/// `pendingCount` tells the owner how many are waiting, so that it can close at once instead when a
/// starved closer falls behind (the descriptors still count against the process's limit).
public final class DescriptorCloser: @unchecked Sendable {
    private struct State {
        var descriptors: [Int32] = []
        var stopped = false
    }

    private let state = Mutex(State())
    private let pending = Atomic<Int>(0)
    /// A blocking eventfd: the closer thread sleeps in `read` until descriptors or a stop arrive.
    private let wakeFD: Int32
    private let thread = Mutex<pthread_t?>(nil)
    private let name: String

    public init(name: String) throws {
        self.name = name
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else { throw SocketError("eventfd", code: errno) }
        let box = Unmanaged.passRetained(self)
        var handle = pthread_t()
        let result = pthread_create(&handle, nil, { argument in
            let closer = Unmanaged<DescriptorCloser>.fromOpaque(argument!).takeRetainedValue()
            _ = pthread_setname_np(pthread_self(), String(closer.name.prefix(15)))
            IdlePriority.applyToCallingThread()
            closer.run()
            return nil
        }, box.toOpaque())
        guard result == 0 else {
            box.release()
            // Not closed here: every property is set, so the throw runs `deinit`, which closes it.
            throw SocketError("pthread_create", code: result)
        }
        thread.withLock { $0 = handle }
    }

    deinit {
        Glibc.close(wakeFD)
    }

    /// Descriptors handed over and not closed yet.
    public var pendingCount: Int { pending.load(ordering: .relaxed) }

    /// Closes `descriptors` soon, on the closer's thread; any thread. After `stop()`, closes them at once.
    public func close(_ descriptors: [Int32]) {
        guard !descriptors.isEmpty else { return }
        let accepted = state.withLock { state -> Bool in
            guard !state.stopped else { return false }
            state.descriptors.append(contentsOf: descriptors)
            return true
        }
        guard accepted else {
            for fd in descriptors { Socket.close(fd) }
            return
        }
        pending.add(descriptors.count, ordering: .relaxed)
        wake()
    }

    /// Closes what is still waiting and ends the thread; returns once it has. Safe to call more than once.
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

    private func run() {
        while true {
            var value: UInt64 = 0
            let count = Glibc.read(wakeFD, &value, 8)
            if count < 0 && errno == EINTR { continue }
            let (descriptors, stopped) = state.withLock { state -> ([Int32], Bool) in
                defer { state.descriptors.removeAll() }
                return (state.descriptors, state.stopped)
            }
            for fd in descriptors {
                Socket.close(fd)
                pending.subtract(1, ordering: .relaxed)
            }
            if stopped { return }
        }
    }
}
