/// Where a multi-campaign stream stands in each of its campaigns: the `id:` of every event it sends, and
/// the `Last-Event-ID` a reconnecting browser sends back, so one header resumes every campaign at once.
///
/// Wire form: `m1.<fingerprint>.<position>.<position>…`: a version, 8 hex digits of FNV-1a over the
/// stream's campaign ids (sorted, comma-joined), then one decimal event id per campaign in that sorted
/// order, or `_` for a campaign the client has no position in yet. Clients treat it as opaque. The
/// fingerprint makes a cursor from another set of campaigns (or a garbled one) a clear refusal instead
/// of a silent resume at the wrong places. Standard library only: Fuzz/run compiles this file alone.
public struct StreamCursor: Equatable, Sendable {
    public enum Failure: Error, Equatable, Sendable {
        /// Not a cursor this server writes (bad syntax, a number out of range, too long).
        case malformed
        /// A well-formed cursor for a different set of campaigns.
        case otherCampaigns
    }

    /// The stream's campaigns, sorted and without duplicates.
    public let campaignIds: [String]
    /// The newest event id the client has of each campaign (same order); nil when it has none yet.
    public private(set) var positions: [Int64?]

    static let prefix = "m1."
    /// The longest cursor text looked at; anything longer is refused before it is read.
    public static func maximumLength(campaignCount: Int) -> Int { prefix.utf8.count + 9 + campaignCount * 20 }

    /// A cursor with no positions for `campaignIds` (sorted and de-duplicated here).
    public init(campaignIds: [String]) {
        self.campaignIds = Array(Set(campaignIds)).sorted()
        self.positions = Array(repeating: nil, count: self.campaignIds.count)
    }

    /// Reads a cursor this server wrote for the same campaigns.
    public init(parsing text: String, campaignIds: [String]) throws(Failure) {
        self.init(campaignIds: campaignIds)
        let bytes = Array(text.utf8)
        guard bytes.count <= Self.maximumLength(campaignCount: self.campaignIds.count) else { throw .malformed }
        let fields = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard fields.count >= 2, fields[0].elementsEqual("m1".utf8), let fingerprint = Self.hexValue(fields[1]) else {
            throw .malformed
        }
        var parsed: [Int64?] = []
        for field in fields.dropFirst(2) {
            if field.elementsEqual("_".utf8) {
                parsed.append(nil)
            } else if let id = Self.eventId(field) {
                parsed.append(id)
            } else {
                throw .malformed
            }
        }
        guard fingerprint == Self.fingerprint(self.campaignIds), parsed.count == self.campaignIds.count else {
            throw .otherCampaigns
        }
        positions = parsed
    }

    /// The position of the campaign at `index` (of `campaignIds`) moves to `eventId` (never back).
    public mutating func advance(campaignAt index: Int, to eventId: Int64) {
        positions[index] = max(positions[index] ?? eventId, eventId)
    }

    /// The index of a campaign in `campaignIds`, if the stream has it.
    public func index(of campaignId: String) -> Int? {
        var low = 0
        var high = campaignIds.count
        while low < high {
            let middle = (low + high) / 2
            if campaignIds[middle] < campaignId { low = middle + 1 } else { high = middle }
        }
        return low < campaignIds.count && campaignIds[low] == campaignId ? low : nil
    }

    /// The wire form, appended to `bytes` (the hot path writes it straight into the outgoing frame).
    public func append(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: Self.prefix.utf8)
        let fingerprint = Self.fingerprint(campaignIds)
        for shift in stride(from: 28, through: 0, by: -4) {
            bytes.append(Self.hexDigits[Int((fingerprint >> UInt32(shift)) & 0xF)])
        }
        for position in positions {
            bytes.append(UInt8(ascii: "."))
            if let position { bytes.append(contentsOf: String(position).utf8) } else { bytes.append(UInt8(ascii: "_")) }
        }
    }

    public var encoded: String {
        var bytes: [UInt8] = []
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// FNV-1a (32 bits) over the sorted ids joined by commas: tells sets apart, not a secret.
    static func fingerprint(_ sortedIds: [String]) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for (index, id) in sortedIds.enumerated() {
            if index > 0 { hash = (hash ^ UInt32(UInt8(ascii: ","))) &* 0x0100_0193 }
            for byte in id.utf8 { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
        }
        return hash
    }

    private static func hexValue(_ field: ArraySlice<UInt8>) -> UInt32? {
        guard field.count == 8 else { return nil }
        var value: UInt32 = 0
        for byte in field {
            guard let digit = hexDigits.firstIndex(of: byte) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// A non-negative decimal event id without sign or leading zeros, within Int64.
    private static func eventId(_ field: ArraySlice<UInt8>) -> Int64? {
        guard !field.isEmpty, field.count <= 19, field.count == 1 || field.first != UInt8(ascii: "0") else { return nil }
        var value: Int64 = 0
        for byte in field {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }
}
