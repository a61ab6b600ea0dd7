/// The writes one drain of the hand-over queue has for one connection, joined so that they leave in
/// one send. One write (the usual case) is kept as it is: the broadcast's shared buffer, not a copy.
struct StagedWrites {
    private var bytes: [UInt8] = []
    private var count = 0

    /// Adds `chunk` after what is staged; returns true when it is the first.
    mutating func add(_ chunk: [UInt8]) -> Bool {
        count += 1
        if count == 1 {
            bytes = chunk
        } else {
            // The first join copies the shared buffer once; later ones append in place.
            bytes.append(contentsOf: chunk)
        }
        return count == 1
    }

    /// The staged bytes and how many writes they join; leaves nothing staged.
    mutating func take() -> (bytes: [UInt8], count: Int) {
        defer { self = StagedWrites() }
        return (bytes, count)
    }
}
