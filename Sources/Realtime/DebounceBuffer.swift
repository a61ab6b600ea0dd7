/// When a room should write: at once when idle, and while a flush is under way (or within the debounce
/// window after one) everything arriving is held and coalesced into the next flush, so a burst costs
/// one write per client instead of one per event. A plain value: the room supplies the time and does
/// the writing; tests drive it with a manual clock.
public struct DebounceBuffer<Element>: Sendable where Element: Sendable {
    public enum Action: Equatable, Sendable {
        /// Take `drain()` and write it now.
        case flushNow
        /// Nothing to do until this time (milliseconds); then call `tick(now:)`.
        case wait(untilMilliseconds: UInt64)
        /// Nothing pending.
        case idle
    }

    public let windowMilliseconds: UInt64
    private var pending: [Element] = []
    private var flushing = false
    private var lastFlushEnd: UInt64? = nil

    public init(windowMilliseconds: UInt64) {
        self.windowMilliseconds = windowMilliseconds
    }

    public var pendingCount: Int { pending.count }

    /// New elements arrived at `now`.
    public mutating func add(_ elements: [Element], now: UInt64) -> Action {
        pending.append(contentsOf: elements)
        return decide(now: now)
    }

    /// The pending elements, handed over for a flush that starts now.
    public mutating func drain() -> [Element] {
        flushing = true
        defer { pending = [] }
        return pending
    }

    /// The flush that `drain()` started has finished at `now`.
    public mutating func flushFinished(now: UInt64) -> Action {
        flushing = false
        lastFlushEnd = now
        return decide(now: now)
    }

    /// A `wait` deadline passed.
    public mutating func tick(now: UInt64) -> Action { decide(now: now) }

    private func decide(now: UInt64) -> Action {
        if pending.isEmpty { return .idle }
        if flushing { return .wait(untilMilliseconds: now &+ windowMilliseconds) }
        guard let lastFlushEnd, windowMilliseconds > 0 else { return .flushNow }
        let due = lastFlushEnd &+ windowMilliseconds
        return now >= due ? .flushNow : .wait(untilMilliseconds: due)
    }
}
