import Sockets
import Synchronization

/// Writes that other threads (a room's broadcast, a handler's stream) hand to the event loop, which
/// performs them: every socket write happens on the loop thread.
///
/// Many producers append under one short lock; the loop takes the whole queue at once. The loop is
/// woken (one job, one eventfd write) only when the queue goes from empty to not empty, so a
/// broadcast to a thousand clients, handed over in one piece (`StreamBroadcast`), costs one wake-up.
final class WriteHandoff: WriteHandOver, @unchecked Sendable {
    private struct Pending {
        var writes: [QueuedWrite] = []
        var drainScheduled = false
    }

    private let loop: EventLoop
    private let pending = Mutex(Pending())
    /// Hand-overs and drains so far: what a broadcast costs in locks and wake-ups (tests).
    let handOvers = Atomic<Int>(0)
    let drains = Atomic<Int>(0)
    /// The array the loop drained last, emptied and kept for the next hand-over (no allocation per drain).
    private var spare: LoopBound<[QueuedWrite]>

    init(loop: EventLoop) {
        self.loop = loop
        self.spare = LoopBound([], loop: loop)
    }

    /// Queues one write; any thread.
    func hand(_ write: QueuedWrite) {
        handOvers.add(1, ordering: .relaxed)
        let schedule = pending.withLock { pending -> Bool in
            pending.writes.append(write)
            return Self.claimDrain(&pending)
        }
        if schedule { loop.execute { [self] in drain() } }
    }

    /// Queues a batch of writes (leaving `writes` empty); any thread.
    func hand(_ writes: inout [QueuedWrite]) {
        guard !writes.isEmpty else { return }
        handOvers.add(1, ordering: .relaxed)
        let schedule = pending.withLock { pending -> Bool in
            if pending.writes.isEmpty {
                swap(&pending.writes, &writes)
            } else {
                pending.writes.append(contentsOf: writes)
                writes.removeAll()
            }
            return Self.claimDrain(&pending)
        }
        if schedule { loop.execute { [self] in drain() } }
    }

    private static func claimDrain(_ pending: inout Pending) -> Bool {
        if pending.drainScheduled { return false }
        pending.drainScheduled = true
        return true
    }

    /// Performs every queued write, in the order handed over. Loop thread only. Every recipient is
    /// an `HTTPConnection` of this server: only its `send` hands writes over.
    private func drain() {
        loop.preconditionInEventLoop()
        drains.add(1, ordering: .relaxed)
        var writes: [QueuedWrite] = []
        swap(&writes, &spare.value)
        pending.withLock { pending in
            swap(&pending.writes, &writes)
            pending.drainScheduled = false
        }
        for write in writes { unsafeDowncast(write.recipient, to: HTTPConnection.self).write(write.bytes) }
        writes.removeAll(keepingCapacity: true)
        swap(&writes, &spare.value)
    }
}
