import CampaignModel
import Testing
@testable import Realtime

/// A room's wire bytes for a batch of events: one frame per event, never broken by a line break in its data.
@Suite struct EventFramesTests {
    @Test func plainDataIsOneDataLine() {
        let event = CampaignEvent(id: 7, campaignId: "c", type: .historyUpdate, data: #"{"a":"é"}"#)
        #expect(String(decoding: EventFrames([event]).bytes, as: UTF8.self) == "id: 7\nevent: history-update\ndata: {\"a\":\"é\"}\n\n")
    }

    @Test(arguments: ["a\nb", "a\rb", "a\r\nb", "\n", "ab\r"])
    func aLineBreakAnywhereInTheDataSplitsItIntoDataLines(_ data: String) {
        let event = CampaignEvent(id: 1, campaignId: "c", type: .historyUpdate, data: data)
        let text = String(decoding: EventFrames([event]).bytes, as: UTF8.self)
        #expect(EventFrames.hasLineBreak(data))
        #expect(text.hasPrefix("id: 1\nevent: history-update\ndata: "))
        #expect(text.hasSuffix("\n\n"))
        // Every line of the frame is a field: no raw CR survives, and each data line has its prefix.
        #expect(!text.utf8.contains(0x0D))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(lines.allSatisfy { $0.hasPrefix("id: ") || $0.hasPrefix("event: ") || $0.hasPrefix("data: ") || $0 == "data:" })
    }

    @Test func noLineBreakIsFoundInTextWithout() {
        #expect(!EventFrames.hasLineBreak(""))
        #expect(!EventFrames.hasLineBreak(String(repeating: "x", count: 10_000)))
        #expect(!EventFrames.hasLineBreak("\u{2028}\u{85}é"))  // other Unicode separators do not end an SSE line
    }
}
