// libFuzzer target for the multi-campaign stream's cursor (Sources/Realtime/StreamCursor.swift): the
// `Last-Event-ID` a browser sends back to GET /api/events?campaign=…, which anyone can forge.
//
// Input layout: byte 0 picks the number of campaigns (1-16), bytes 1… are the header's value, as UTF-8
// (lossily decoded, as the server's header text is).
// Invariants: parsing never traps; a cursor that parses is exactly what `encoded` writes back (one
// spelling per position, so no two cursors mean the same place), with a position per campaign; the
// same text for a set with one more campaign is refused as another set's; and any positions drawn from
// the input survive encode → parse unchanged.

let fuzzTargetName = "stream cursor"

let campaignPool = (0..<17).map { index in
    let hex = String(index, radix: 16)
    return "3f2c8a4e-1b7d-4c9e-8f0a-6d5b4e3c2a" + String(repeating: "0", count: 2 - hex.count) + hex
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStreamCursor(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 1 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let count = Int(input[0] % 16) + 1
    let campaigns = Array(campaignPool.prefix(count))
    let text = String(decoding: input[1...], as: UTF8.self)

    do {
        let cursor = try StreamCursor(parsing: text, campaignIds: campaigns)
        if printOutcomes { report("\(count) campaigns, \(text) → \(cursor.positions)") }
        check(cursor.positions.count == count, "a cursor with \(cursor.positions.count) positions for \(count) campaigns")
        check(cursor.encoded == text, "parsed \(text) but writes it as \(cursor.encoded)")
        check(cursor.positions.allSatisfy { ($0 ?? 0) >= 0 }, "a negative position from \(text)")
        do {
            _ = try StreamCursor(parsing: text, campaignIds: Array(campaignPool.prefix(count + 1)))
            check(false, "\(text) was accepted for a set with one more campaign")
        } catch {
            check(error == .otherCampaigns, "\(text) for one more campaign: \(error), not otherCampaigns")
        }
    } catch {
        if printOutcomes { report("\(count) campaigns, \(text) → \(error)") }
    }

    // Positions drawn from the input (8 bytes each, unset when the top bit is set) round-trip.
    var cursor = StreamCursor(campaignIds: campaigns.reversed())
    for index in 0..<count {
        let start = 1 + index * 8
        guard start + 8 <= input.count else { break }
        let raw = input[start..<(start + 8)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        if raw >> 63 == 0 { cursor.advance(campaignAt: index, to: Int64(raw)) }
    }
    do {
        let again = try StreamCursor(parsing: cursor.encoded, campaignIds: campaigns)
        check(again == cursor, "\(cursor.encoded) parses back as \(again.positions), not \(cursor.positions)")
    } catch {
        check(false, "the server's own cursor \(cursor.encoded) was refused: \(error)")
    }
    return 0
}
