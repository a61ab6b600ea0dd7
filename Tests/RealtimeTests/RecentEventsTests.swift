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

    @Test func takesInAStoreReplayThatEndsWhereItBegins() {
        var recent = RecentEvents(maximumCount: 100, maximumBytes: 1 << 20)
        recent.start(after: 10)
        recent.append(EventFrames(Self.events(11...12)))
        // Read from the store in two pages, past where memory begins (11 and 12 are kept already).
        let pages = [EventFrames(Self.events(3...6)), EventFrames(Self.events(7...12))]
        recent.prepend(pages, after: 2, through: 12)
        #expect(recent.completeAfter == 2)
        #expect(recent.count == 10)
        #expect(recent.frames(after: 2, through: 12) == EventFrames(Self.events(3...12)).bytes)
        #expect(recent.frames(after: 5, through: 8) == EventFrames(Self.events(6...8)).bytes)
        #expect(recent.frames(after: 1, through: 12) == nil)
        // Later broadcasts still follow on.
        recent.append(EventFrames(Self.events(13...13)))
        #expect(recent.frames(after: 2, through: 13) == EventFrames(Self.events(3...13)).bytes)
    }

    @Test func aReplayWithNoEventsBeforeMemoryStillTellsItIsComplete() {
        var recent = RecentEvents(maximumCount: 100, maximumBytes: 1 << 20)
        recent.start(after: 10)
        // The campaign's log holds nothing between 0 and 10 (other campaigns' ids).
        recent.prepend([EventFrames(Self.events(11...11))], after: 0, through: 11)
        #expect(recent.completeAfter == 0)
        #expect(recent.frames(after: 0, through: 10) == [])
    }

    @Test func keepsOnlyTheNewestOfAReplayThatDoesNotFit() {
        var recent = RecentEvents(maximumCount: 5, maximumBytes: 1 << 20)
        recent.start(after: 20)
        recent.append(EventFrames(Self.events(21...22)))
        recent.prepend([EventFrames(Self.events(1...20))], after: 0, through: 22)
        #expect(recent.count == 5)
        #expect(recent.completeAfter == 17)
        #expect(recent.frames(after: 17, through: 22) == EventFrames(Self.events(18...22)).bytes)
        #expect(recent.frames(after: 16, through: 22) == nil)

        let frameBytes = EventFrames(Self.events(1...1, size: 1000)).bytes.count
        var byBytes = RecentEvents(maximumCount: 1000, maximumBytes: frameBytes * 2 + 2)  // ids 1...9: one digit
        byBytes.start(after: 9)
        byBytes.prepend([EventFrames(Self.events(1...9, size: 1000))], after: 0, through: 9)
        #expect(byBytes.count == 2)
        #expect(byBytes.completeAfter == 7)
    }

    @Test func ignoresAReplayThatStopsShortOfMemoryOrStartsInsideIt() {
        var recent = RecentEvents(maximumCount: 100, maximumBytes: 1 << 20)
        recent.prepend([EventFrames(Self.events(1...3))], after: 0, through: 3)
        #expect(recent.completeAfter == nil, "before it knows where it started, it cannot say")
        recent.start(after: 10)
        recent.prepend([EventFrames(Self.events(1...3))], after: 0, through: 3)  // 4...10 unread
        #expect(recent.completeAfter == 10)
        recent.prepend([EventFrames(Self.events(11...12))], after: 10, through: 12)
        #expect(recent.completeAfter == 10)
        #expect(recent.count == 0)
    }
}

/// A store replay's pages, kept only as far back as the room's memory could take them.
@Suite struct ReplayedPagesTests {
    @Test func dropsTheOldestPagesOnceTheNewerOnesFillTheMemory() {
        var replayed = ReplayedPages(after: 0, maximumCount: 5, maximumBytes: 1 << 20)
        replayed.append(EventFrames(RecentEventsTests.events(1...3)))
        replayed.append(EventFrames(RecentEventsTests.events(4...6)))
        #expect(replayed.pages.count == 2, "the newer page alone holds 3 of 5")
        replayed.append(EventFrames(RecentEventsTests.events(7...8)))
        #expect(replayed.pages.map(\.firstId) == [4, 7])
        #expect(replayed.after == 3)
        replayed.append(EventFrames(RecentEventsTests.events(9...14)))
        #expect(replayed.pages.map(\.firstId) == [9])
        #expect(replayed.after == 8)
    }
}
