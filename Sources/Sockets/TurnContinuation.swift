import Synchronization

/// Work the loop does a bounded amount of per turn (accepts, timeouts, bulk writes), continued in the
/// loop's next turn while some is left. The events that arrived meanwhile (an ordinary client's
/// request) are handled in between, so a burst that lands at once costs nobody a long wait.
///
/// Loop thread only, but for `deferredTurns`, which any thread may read.
public final class TurnContinuation: @unchecked Sendable {
    private var queued: LoopBound<Bool>
    private let continued = Atomic<Int>(0)

    public init(loop: EventLoop) {
        queued = LoopBound(false, loop: loop)
    }

    /// Turns the work was continued into so far.
    public var deferredTurns: Int { continued.load(ordering: .relaxed) }

    /// Runs `work` in the loop's next turn, after that turn's events. Once: until it has run, later
    /// calls do nothing (each owner always passes the same work, which takes whatever is left then).
    public func continueNextTurn(_ work: @escaping @Sendable () -> Void) {
        guard !queued.value else { return }
        queued.value = true
        continued.add(1, ordering: .relaxed)
        // Queued from a job or an event of this turn, it runs in the next: `runJobs` takes one batch.
        queued.loop.execute { [self] in
            queued.value = false
            work()
        }
    }
}
