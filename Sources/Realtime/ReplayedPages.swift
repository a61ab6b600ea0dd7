/// The pages a store replay sent, kept for the room's memory (`RecentEvents.prepend`): only the
/// newest, as many as the memory could hold, so replaying a long history keeps no more than that.
struct ReplayedPages {
    let maximumCount: Int
    let maximumBytes: Int
    /// Every event of the campaign after this id, up to the newest page's last, is in `pages`.
    private(set) var after: Int64
    private(set) var pages: [EventFrames] = []
    private var count = 0
    private var byteCount = 0

    init(after: Int64, maximumCount: Int, maximumBytes: Int) {
        self.after = after
        self.maximumCount = maximumCount
        self.maximumBytes = maximumBytes
    }

    mutating func append(_ page: EventFrames) {
        guard !page.ids.isEmpty else { return }
        pages.append(page)
        count += page.ids.count
        byteCount += page.bytes.count
        // The oldest page goes once the newer ones alone would fill the memory.
        while let oldest = pages.first,
              count - oldest.ids.count >= maximumCount || byteCount - oldest.bytes.count >= maximumBytes {
            pages.removeFirst()
            count -= oldest.ids.count
            byteCount -= oldest.bytes.count
            after = oldest.lastId
        }
    }
}
