/// A set of the newest `capacity` identifiers inserted: past it, the oldest are forgotten first.
/// Memory stays bounded however many are inserted.
struct RecentIdentifiers {
    let capacity: Int
    private var members: Set<String> = []
    /// Insertion order, oldest first; `order[start...]` are members (the prefix is dropped lazily).
    private var order: [String] = []
    private var start = 0

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    var count: Int { members.count }

    func contains(_ id: String) -> Bool { members.contains(id) }

    mutating func insert(_ id: String) {
        guard capacity > 0, members.insert(id).inserted else { return }
        order.append(id)
        if members.count > capacity {
            members.remove(order[start])
            start += 1
        }
        if start > 1024 && start * 2 > order.count {
            order.removeFirst(start)
            start = 0
        }
    }
}
