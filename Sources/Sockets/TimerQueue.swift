/// One-shot timers of an event loop, earliest first: a binary min-heap on the deadline (monotonic
/// milliseconds), ties in the order they were set. A pure value owned by the loop thread.
struct TimerQueue {
    private struct Entry {
        let deadline: UInt64
        let sequence: UInt64
        let work: () -> Void

        func precedes(_ other: Entry) -> Bool {
            deadline != other.deadline ? deadline < other.deadline : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []
    private var nextSequence: UInt64 = 0

    var count: Int { heap.count }

    /// The earliest deadline, if any timer is set.
    var nextDeadline: UInt64? { heap.first?.deadline }

    mutating func schedule(at deadline: UInt64, _ work: @escaping () -> Void) {
        heap.append(Entry(deadline: deadline, sequence: nextSequence, work: work))
        nextSequence &+= 1
        siftUp(heap.count - 1)
    }

    /// Removes and returns the work of every timer due by `now`, earliest first.
    mutating func takeDue(now: UInt64) -> [() -> Void] {
        var due: [() -> Void] = []
        while let first = heap.first, first.deadline <= now {
            due.append(first.work)
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                siftDown(0)
            }
        }
        return due
    }

    /// Drops every timer (a stopped loop runs nothing again).
    mutating func removeAll() { heap.removeAll() }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { return }
            let right = left + 1
            let earlier = right < heap.count && heap[right].precedes(heap[left]) ? right : left
            guard heap[earlier].precedes(heap[parent]) else { return }
            heap.swapAt(earlier, parent)
            parent = earlier
        }
    }
}
