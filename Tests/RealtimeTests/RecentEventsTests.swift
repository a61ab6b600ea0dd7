import CampaignModel
import Testing
@testable import Realtime

/// The room's memory of its newest events: complete after a known id, bounded in count and bytes.
@Suite struct RecentEventsTests {
    static func events(_ ids: ClosedRange<Int64>, size: Int = 10) -> [CampaignEvent] {
        ids.map { CampaignEvent(id: $0, campaignId: "c", type: .historyUpdate, data: String(repeating: "x", count: size)) }
    }

    @Test func answersOnlyWhatItHoldsCompletely() {
        var recent = RecentEvents(maximumCount: 100, maximumBytes: 1 << 20)
        recent.append(EventFrames(Self.events(1...3)))
        #expect(recent.frames(after: 0, through: 3) == nil, "before it knows where it started, it cannot say")
        recent.start(after: 3)
        recent.append(EventFrames(Self.events(2...6)))  // 2 and 3 are older than its start: not kept again
        #expect(recent.count == 3)
        #expect(recent.frames(after: 3, through: 6) == EventFrames(Self.events(4...6)).bytes)
        #expect(recent.frames(after: 4, through: 5) == EventFrames(Self.events(5...5)).bytes)
        #expect(recent.frames(after: 6, through: 6) == [])
        #expect(recent.frames(after: 2, through: 6) == nil, "event 3 and before were never kept")
    }

    @Test func forgetsTheOldestPastItsCountOrBytes() {
        var byCount = RecentEvents(maximumCount: 4, maximumBytes: 1 << 20)
        byCount.start(after: 0)
        for id in Int64(1)...20 { byCount.append(EventFrames(Self.events(id...id))) }
        #expect(byCount.count == 4)
        #expect(byCount.completeAfter == 16)
        #expect(byCount.frames(after: 16, through: 20) == EventFrames(Self.events(17...20)).bytes)
        #expect(byCount.frames(after: 15, through: 20) == nil)

        let frameBytes = EventFrames(Self.events(1...1, size: 1000)).bytes.count
        var byBytes = RecentEvents(maximumCount: 1000, maximumBytes: frameBytes * 3 + 8)  // ids 8...10 are a byte longer
        byBytes.start(after: 0)
        byBytes.append(EventFrames(Self.events(1...10, size: 1000)))
        #expect(byBytes.count == 3)
        let newestThree = byBytes.frames(after: 7, through: 10) == EventFrames(Self.events(8...10, size: 1000)).bytes
        #expect(newestThree)

        byBytes.restart(after: 50)
        #expect(byBytes.count == 0)
        #expect(byBytes.frames(after: 50, through: 50) == [])
        #expect(byBytes.frames(after: 49, through: 50) == nil)
    }
}
