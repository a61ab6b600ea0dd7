import DequeModule
import Sockets
import Synchronization

/// Writes that other threads (a room's broadcast, a handler's stream) hand to the event loop, which
/// performs them: every socket write happens on the loop thread.
///
/// Many producers append under one short lock; the loop takes the whole queue at once. The loop is
/// woken (one job, one eventfd write) only when the queue goes from empty to not empty, so a
/// broadcast to a thousand clients, handed over in one piece (`StreamBroadcast`), costs one wake-up.
///
/// A loop that falls behind (events arriving faster than their fan-out is written) finds several
/// writes per connection in one drain: they go out as one send each, so the backlog costs fewer
/// system calls the longer it is, and the loop catches up instead of writing every event on its own.
///
/// A connection whose staged bytes reach `bulkWriteBytes` (a resumed stream's replay, a slow
/// client's backlog) is bulk: it waits in a queue, oldest first, and each later turn of the loop
/// sends `bulkBytesPerTurn` of the queue. Why: forty streams resuming at once from the start of a
/// long history handed over 8-10 MB in one drain, which held the loop for 1.5-2.6 ms while every
/// other client's request and event waited (`campaign-bench abuse --scenario reconnect-storm`).
/// A connection's writes keep their order: one that is queued collects what comes after in its
/// staged writes and leaves with them.
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
    /// Writes that went out joined to an earlier one of the same drain, in the same send.
    let coalescedWrites = Atomic<Int>(0)
    /// The array the loop drained last, emptied and kept for the next hand-over (no allocation per drain).
    private var spare: LoopBound<[QueuedWrite]>
    /// The connections a drain staged bytes for, in order of their first write (kept, like `spare`).
    private var staged: LoopBound<[HTTPConnection]>
    /// Connections with bulk staged, oldest first.
    private var bulk: LoopBound<Deque<HTTPConnection>>
    private let bulkContinuation: TurnContinuation
    private let bulkWriteBytes: Int
    private let bulkBytesPerTurn: Int

    init(loop: EventLoop, bulkWriteBytes: Int, bulkBytesPerTurn: Int) {
        self.loop = loop
        self.spare = LoopBound([], loop: loop)
        self.staged = LoopBound([], loop: loop)
        self.bulk = LoopBound([], loop: loop)
        self.bulkContinuation = TurnContinuation(loop: loop)
        self.bulkWriteBytes = bulkWriteBytes
        self.bulkBytesPerTurn = bulkBytesPerTurn
    }

    /// Turns into which bulk writes were continued (tests).
    var deferredBulkTurns: Int { bulkContinuation.deferredTurns }

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

    /// Performs every queued write, each connection's in the order handed over, with one send per
    /// connection; bulk ones are queued and sent within the turn's budget. Loop thread only. Every
    /// recipient is an `HTTPConnection` of this server: only its `send` hands writes over.
    private func drain() {
        loop.preconditionInEventLoop()
        drains.add(1, ordering: .relaxed)
        var writes: [QueuedWrite] = []
        swap(&writes, &spare.value)
        pending.withLock { pending in
            swap(&pending.writes, &writes)
            pending.drainScheduled = false
        }
        var connections: [HTTPConnection] = []
        swap(&connections, &staged.value)
        for write in writes {
            let connection = unsafeDowncast(write.recipient, to: HTTPConnection.self)
            if connection.stage(write.bytes) { connections.append(connection) }
        }
        writes.removeAll(keepingCapacity: true)
        swap(&writes, &spare.value)
        var coalesced = 0
        for connection in connections {
            if connection.stagedByteCount >= bulkWriteBytes {
                bulk.value.append(connection)
            } else {
                coalesced += connection.writeStaged() - 1
            }
        }
        if coalesced > 0 { coalescedWrites.add(coalesced, ordering: .relaxed) }
        connections.removeAll(keepingCapacity: true)
        swap(&connections, &staged.value)
        if !bulk.value.isEmpty { bulkContinuation.continueNextTurn { [self] in sendBulk() } }
    }

    /// Sends queued bulk writes until the turn's budget is spent (at least one connection's, however
    /// large), and continues in the next turn if some are left. Runs once per turn (a drain only queues
    /// bulk), so the budget is the turn's whatever the drains in it. Loop thread only.
    private func sendBulk() {
        var budget = bulkBytesPerTurn
        var coalesced = 0
        while budget > 0, let connection = bulk.value.popFirst() {
            let bytes = connection.stagedByteCount
            guard bytes > 0 else { continue }  // closed while queued: its bytes were dropped then
            budget -= bytes
            coalesced += connection.writeStaged() - 1
        }
        if coalesced > 0 { coalescedWrites.add(coalesced, ordering: .relaxed) }
        if !bulk.value.isEmpty { bulkContinuation.continueNextTurn { [self] in sendBulk() } }
    }
}
