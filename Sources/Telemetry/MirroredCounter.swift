import Prometheus
import Synchronization

/// A Prometheus counter that follows a total kept elsewhere (the transport's own statistics, the
/// kernel's CPU time), brought up to it at scrape time. Concurrent scrapes add each difference once.
public final class MirroredCounter: Sendable {
    let counter: Counter
    private let exported = Mutex<Double>(0)

    public init(_ counter: Counter) {
        self.counter = counter
    }

    /// Adds what `total` gained since the last call; a total that went down (it should not) adds nothing,
    /// so the counter never decreases.
    public func advance(to total: Double) {
        exported.withLock { exported in
            guard total > exported else { return }
            let gained = total - exported
            exported = total
            if gained == gained.rounded(), gained < 9e15 {
                counter.increment(by: Int64(gained))
            } else {
                counter.increment(by: gained)
            }
        }
    }

    public func advance(to total: Int) { advance(to: Double(total)) }
}
