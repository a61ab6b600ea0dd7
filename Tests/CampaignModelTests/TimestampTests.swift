import CampaignModel
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (Int64(951_782_400_123), "2000-02-29T00:00:00.123Z"),
        (Int64(1_795_741_878_005), "2026-11-27T01:11:18.005Z"),
        (Int64(-1), "1969-12-31T23:59:59.999Z"),
        (Int64(253_402_300_799_999), "9999-12-31T23:59:59.999Z"),
    ])
    func formatsRFC3339WithMilliseconds(milliseconds: Int64, text: String) {
        #expect(Timestamp(millisecondsSinceEpoch: milliseconds).rfc3339 == text)
        #expect(Timestamp(rfc3339: text)?.millisecondsSinceEpoch == milliseconds)
    }

    @Test func parsesOtherFractionLengths() {
        #expect(Timestamp(rfc3339: "2026-11-27T01:11:18Z")?.millisecondsSinceEpoch == 1_795_741_878_000)
        #expect(Timestamp(rfc3339: "2026-11-27T01:11:18.5Z")?.millisecondsSinceEpoch == 1_795_741_878_500)
        #expect(Timestamp(rfc3339: "2026-11-27T01:11:18.123456Z")?.millisecondsSinceEpoch == 1_795_741_878_123)
        #expect(Timestamp(rfc3339: "2026-11-27T01:11:18.123+00:00")?.millisecondsSinceEpoch == 1_795_741_878_123)
    }

    @Test(arguments: ["", "2026-02-30T00:00:00Z", "2026-11-27 01:11:18Z", "2026-11-27T25:00:00Z", "2026-11-27T01:11:18.Z", "2026-11-27T01:11:18+02:00"])
    func rejectsMalformedTimes(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test func validatesDueDates() {
        #expect(CivilDate.isValidDateString("2024-02-29"))
        #expect(!CivilDate.isValidDateString("2023-02-29"))
        #expect(!CivilDate.isValidDateString("2024-13-01"))
        #expect(!CivilDate.isValidDateString("24-01-01"))
    }
}

/// Issue 12: seconds from outside (a token's `exp`) become a timestamp without trapping.
@Suite struct TimestampFromSecondsTests {
    @Test func convertsSecondsExactlyWithinTheRange() {
        #expect(Timestamp(secondsSinceEpoch: 1_893_456_000).millisecondsSinceEpoch == 1_893_456_000_000)
        #expect(Timestamp(secondsSinceEpoch: 253_402_300_799).rfc3339 == "9999-12-31T23:59:59.000Z")
        #expect(Timestamp(secondsSinceEpoch: -1).millisecondsSinceEpoch == -1000)
    }

    /// `seconds * 1000` trapped here before (the stream handler's expiry text).
    @Test(arguments: [Int64(100_000_000_000_000_000), .max, .min, Int64.max / 1000 + 1])
    func saturatesInsteadOfTrapping(seconds: Int64) {
        let timestamp = Timestamp(secondsSinceEpoch: seconds)
        #expect(timestamp.millisecondsSinceEpoch == (seconds < 0 ? .min : .max))
        #expect(timestamp.rfc3339.utf8.count == 24)
    }
}
