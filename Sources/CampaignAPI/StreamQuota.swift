import Synchronization

/// Counts the event streams each token subject (`sub`) holds open in this process, across all
/// campaigns, and refuses one past `limit`. Per subject rather than per address, so it works behind a
/// proxy where every client shares one address.
public final class StreamQuota: Sendable {
    /// Streams one subject may hold at once; 0 = no cap (nothing is counted).
    public let limit: Int
    private let openBySubject = Mutex<[String: Int]>([:])

    init(limit: Int) {
        self.limit = max(0, limit)
    }

    /// A slot for one more stream of `subject`; nil when the subject already holds `limit`.
    func claim(_ subject: String) -> StreamSlot? {
        let claimed = openBySubject.withLock { open -> Bool in
            let held = open[subject] ?? 0
            guard held < limit else { return false }
            open[subject] = held + 1
            return true
        }
        return claimed ? StreamSlot(quota: self, subject: subject) : nil
    }

    fileprivate func release(_ subject: String) {
        openBySubject.withLock { open in
            let held = (open[subject] ?? 0) - 1
            // Forget a subject with nothing open, so the table holds only subjects with open streams.
            open[subject] = held > 0 ? held : nil
        }
    }

    /// Streams `subject` holds open now.
    public func openStreams(of subject: String) -> Int {
        openBySubject.withLock { $0[subject] ?? 0 }
    }

    /// Subjects holding at least one stream now.
    public var subjectCount: Int {
        openBySubject.withLock { $0.count }
    }
}

/// One counted stream: released exactly once, when its stream closes for any reason, or when the
/// response that would have opened it is dropped unsent (the connection closed first, or a HEAD).
final class StreamSlot: Sendable {
    private let quota: StreamQuota
    private let subject: String
    private let released = Atomic<Bool>(false)

    fileprivate init(quota: StreamQuota, subject: String) {
        self.quota = quota
        self.subject = subject
    }

    func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        quota.release(subject)
    }

    deinit { release() }
}
