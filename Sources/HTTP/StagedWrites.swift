/// The writes one drain of the hand-over queue has for one connection, kept so that they leave in
/// one vectored send. Nothing is copied: a broadcast's shared buffer stays shared, and a replay of
/// a few hundred kilobytes behind a `connected` event is not joined into a new array on the loop.
struct StagedWrites {
    private var first: [UInt8] = []
    /// The writes after the first; empty (no allocation) in the usual case of one.
    private var more: [[UInt8]] = []
    private var count = 0
    /// The bytes staged, over every write.
    private(set) var byteCount = 0

    /// Adds `chunk` after what is staged; returns true when it is the first.
    mutating func add(_ chunk: [UInt8]) -> Bool {
        count += 1
        byteCount += chunk.count
        if count == 1 {
            first = chunk
        } else {
            more.append(chunk)
        }
        return count == 1
    }

    /// The staged writes in order (the first, then the rest) and how many there are; leaves nothing staged.
    mutating func take() -> (first: [UInt8], more: [[UInt8]], count: Int) {
        defer { self = StagedWrites() }
        return (first, more, count)
    }
}
