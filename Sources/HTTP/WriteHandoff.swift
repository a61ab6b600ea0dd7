import Sockets
import Synchronization

/// Writes that other threads (a room's broadcast, a handler's stream) hand to the event loop, which
/// performs them: every socket write happens on the loop thread.
///
/// Many producers append under one short lock; the loop takes the whole queue at once. The loop is
/// woken (one job, one eventfd write) only when the queue goes from empty to not empty, so a
/// broadcast to a thousand clients, handed over in one piece (`StreamBroadcast`), costs one wake-up.
final class WriteHandoff: @unchecked Sendable {
    struct Write {
        let connection: HTTPConnection
        let bytes: [UInt8]
    }

    private struct Pending {
        var writes: [Write] = []
        var drainScheduled = false
    }

    private let loop: EventLoop
    private let pending = Mutex(Pending())
    /// Hand-overs and drains so far: what a broadcast costs in locks and wake-ups (tests).
    let handOvers = Atomic<Int>(0)
    let drains = Atomic<Int>(0)
    /// The array the loop drained last, emptied and kept for the next hand-over (no allocation per drain).
    private var spare: LoopBound<[Write]>

    init(loop: EventLoop) {
        self.loop = loop
        self.spare = LoopBound([], loop: loop)
    }

    /// Queues one write; any thread.
    func hand(_ write: Write) {
        handOvers.add(1, ordering: .relaxed)
        let schedule = pending.withLock { pending -> Bool in
            pending.writes.append(write)
            return Self.claimDrain(&pending)
        }
        if schedule { loop.execute { [self] in drain() } }
    }

    /// Queues a batch of writes (leaving `writes` empty); any thread.
    func hand(_ writes: inout [Write]) {
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

    /// Performs every queued write, in the order handed over. Loop thread only.
    private func drain() {
        loop.preconditionInEventLoop()
        drains.add(1, ordering: .relaxed)
        var writes: [Write] = []
        swap(&writes, &spare.value)
        pending.withLock { pending in
            swap(&pending.writes, &writes)
            pending.drainScheduled = false
        }
        for write in writes { write.connection.write(write.bytes) }
        writes.removeAll(keepingCapacity: true)
        swap(&writes, &spare.value)
    }
}

/// The writes of one broadcast, collected while the sender walks its clients and handed to the
/// event loop in one piece by `commit()`: one lock and one wake-up per loop, not per client.
/// Streams that are not sockets of this server just send at once (see `ResponseStream.send(_:in:)`).
public struct StreamBroadcast: ~Copyable {
    var writes: [WriteHandoff.Write] = []
    var handoff: WriteHandoff?

    /// `expectedCount`: about how many writes will be added (one allocation for all of them).
    public init(expectedCount: Int) {
        writes.reserveCapacity(expectedCount)
    }

    mutating func add(_ write: WriteHandoff.Write, via handoff: WriteHandoff) {
        if let current = self.handoff, current !== handoff { commit() }
        self.handoff = handoff
        writes.append(write)
    }

    /// Hands the collected writes to their loop.
    public mutating func commit() {
        handoff?.hand(&writes)
        handoff = nil
    }

    deinit {
        assert(writes.isEmpty, "a StreamBroadcast was dropped without commit()")
    }
}
