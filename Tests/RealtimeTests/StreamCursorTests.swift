import Realtime
import Testing

@Suite struct StreamCursorTests {
    let a = "11111111-1111-4111-8111-111111111111"
    let b = "22222222-2222-4222-8222-222222222222"

    @Test func itRoundTripsWhateverOrderTheCampaignsAreNamedIn() throws {
        var cursor = StreamCursor(campaignIds: [b, a, b])
        #expect(cursor.campaignIds == [a, b])
        cursor.advance(campaignAt: 1, to: 42)
        let text = cursor.encoded
        #expect(text.hasPrefix("m1.") && text.hasSuffix("._.42"))
        let parsed = try StreamCursor(parsing: text, campaignIds: [a, b])
        #expect(parsed == cursor)
        #expect(parsed.positions == [nil, 42])
    }

    @Test func positionsNeverMoveBack() {
        var cursor = StreamCursor(campaignIds: [a])
        cursor.advance(campaignAt: 0, to: 9)
        cursor.advance(campaignAt: 0, to: 3)
        #expect(cursor.positions == [9])
    }

    @Test func aCursorOfOtherCampaignsIsToldApartFromAGarbledOne() {
        let other = StreamCursor(campaignIds: [a]).encoded
        #expect(throws: StreamCursor.Failure.otherCampaigns) { try StreamCursor(parsing: other, campaignIds: [a, b]) }
        for garbled in ["", "m1", "m2.00000000._._", "m1.0000000g._._", "m1.00000000.x._", "m1.00000000.-1._", "m1.00000000.+1._",
                        "m1.00000000.9223372036854775808._", "m1.00000000..", String(repeating: "m1.", count: 100)] {
            #expect(throws: StreamCursor.Failure.malformed) { try StreamCursor(parsing: garbled, campaignIds: [a, b]) }
        }
        #expect((try? StreamCursor(parsing: "m1.00000000.9223372036854775807._", campaignIds: [a, b])) == nil, "valid syntax, other set")
    }

    @Test func indexFindsOnlyTheStreamsCampaigns() {
        let cursor = StreamCursor(campaignIds: [b, a])
        #expect(cursor.index(of: a) == 0)
        #expect(cursor.index(of: b) == 1)
        #expect(cursor.index(of: "33333333-3333-4333-8333-333333333333") == nil)
    }
}
