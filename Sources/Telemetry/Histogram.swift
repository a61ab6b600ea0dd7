import Synchronization

/// Observations counted into fixed buckets (latencies), with their sum; lock-free.
public final class Histogram: Sendable {
    /// Inclusive upper bounds (`le`), ascending and finite; `+Inf` is implicit.
    let upperBounds: [Double]
    /// Per-bucket (not cumulative) counts; the last cell counts values above every bound.
    private let cells: [AtomicCell]
    /// The bit pattern of the running sum, updated by compare-and-swap.
    private let sumBits = Atomic<UInt64>(0.0.bitPattern)

    init(upperBounds: [Double]) {
        self.upperBounds = upperBounds
        cells = (0...upperBounds.count).map { _ in AtomicCell() }
    }

    /// Counts `value` in the first bucket whose bound is ≥ it; NaN is ignored (it would poison the sum).
    public func observe(_ value: Double) {
        guard !value.isNaN else { return }
        var low = 0, high = upperBounds.count
        while low < high {
            let middle = (low + high) / 2
            if value <= upperBounds[middle] { high = middle } else { low = middle + 1 }
        }
        cells[low].value.wrappingAdd(1, ordering: .relaxed)
        var current = sumBits.load(ordering: .relaxed)
        while true {
            let updated = (Double(bitPattern: current) + value).bitPattern
            let (exchanged, original) = sumBits.compareExchange(
                expected: current, desired: updated, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
    }

    /// Observations so far.
    public var count: Int { bucketCounts().reduce(0, +) }

    /// The sum of every observation.
    public var sum: Double { Double(bitPattern: sumBits.load(ordering: .relaxed)) }

    /// Per-bucket counts, one more than `upperBounds` (the last is the `+Inf` overflow).
    func bucketCounts() -> [Int] {
        cells.map { $0.value.load(ordering: .relaxed) }
    }
}
