// Fuzzes TRUSTED_PROXIES parsing and the client address taken from X-Forwarded-For
// (Sources/CampaignAPI/TrustedProxies.swift, compiled into this target; the one CampaignModel
// file it imports, String+Whitespace.swift, is built as a module of its own by Fuzz/run).
//
// Input: byte 0 chooses the peer (low 2 bits: 127.0.0.1, 10.1.2.3, 203.0.113.9, none); the rest is
// "<TRUSTED_PROXIES text>\n<X-Forwarded-For value>".
// Invariants: nothing crashes; a parsed list prints back to itself; the client address is the peer
// when the peer is untrusted, otherwise the peer or one of the header's entries; an address that
// parses never spans a comma.

import CampaignModel

let fuzzTargetName = "trusted proxies"

let peers: [UInt32?] = [0x7F00_0001, 0x0A01_0203, 0xCB00_7109, nil]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrustedProxies(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 1 else { return 0 }
    let input = UnsafeBufferPointer(start: data, count: size)
    let peer = peers[Int(input[0] & 3)]
    let text = String(decoding: input[1...], as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let listText = String(parts[0])
    let header = parts.count > 1 ? String(parts[1]) : nil

    guard let proxies = TrustedProxies.parse(listText) else {
        if printOutcomes { report("list refused: \(listText.debugDescription)") }
        return 0
    }
    for range in proxies.ranges {
        check((0...32).contains(range.prefixLength), "prefix length \(range.prefixLength)")
        check(range.contains(range.network), "\(range.description) does not contain its own network")
    }
    let printed = proxies.ranges.map(\.description).joined(separator: ",")
    check(TrustedProxies.parse(printed) == proxies, "\(printed.debugDescription) does not parse back to the same list")

    let client = proxies.clientAddress(peer: peer, forwardedFor: header)
    if printOutcomes { report("list \(printed) peer \(peer.map(TrustedProxies.text) ?? "none") → \(client)") }
    guard let peer else {
        check(client == "unknown", "no peer but client \(client)")
        return 0
    }
    let peerText = TrustedProxies.text(peer)
    if !proxies.contains(peer) || header == nil {
        check(client == peerText, "untrusted peer \(peerText) but client \(client)")
        return 0
    }
    check(!client.contains(","), "client \(client.debugDescription) spans a comma")
    let entries = header!.split(separator: ",").map { String($0).trimmingWhitespace() }
    check(client == peerText || entries.contains(client) || entries.contains { $0.lowercased() == client },
          "client \(client.debugDescription) is neither the peer nor a header entry")
    return 0
}
