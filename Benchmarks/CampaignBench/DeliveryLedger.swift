/// The event ids one client has received, kept as merged ranges so a long in-order stream costs one range.
struct DeliveryLedger {
    enum Verdict {
        case inOrder, duplicate, outOfOrder
    }

    /// When the client's `connected` event arrived (monotonic ns), 0 before; on a multi-campaign stream,
    /// when the last of its campaigns' `connected` events did.
    var connectedAt: UInt64 = 0
    /// `connected` events seen (one per campaign of the stream).
    var connectedCount = 0
    private var seen: [ClosedRange<Int64>] = []

    /// Records `id` and says whether it came in order, again, or after a larger id.
    mutating func record(_ id: Int64) -> Verdict {
        guard let last = seen.last, id <= last.upperBound else {
            if let last = seen.last, id == last.upperBound + 1 {
                seen[seen.count - 1] = last.lowerBound...id
            } else {
                seen.append(id...id)
            }
            return .inOrder
        }
        // Binary search for the first range ending at or after `id`.
        var low = 0
        var high = seen.count - 1
        while low < high {
            let middle = (low + high) / 2
            if seen[middle].upperBound < id { low = middle + 1 } else { high = middle }
        }
        if seen[low].contains(id) { return .duplicate }
        seen.insert(id...id, at: low)
        return .outOfOrder
    }
}
