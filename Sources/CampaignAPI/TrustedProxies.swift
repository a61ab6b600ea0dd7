import CampaignModel

/// TRUSTED_PROXIES: the IPv4 ranges (CIDR) of the proxies in front of the server. A request's client
/// address comes from `X-Forwarded-For` only when its peer is one of them; anyone else could write
/// any address there. Standard library and CampaignModel's `trimmingWhitespace` only, which the fuzz target
/// compiles on its own.
public struct TrustedProxies: Sendable, Equatable {
    /// One `a.b.c.d/len` range, host byte order.
    public struct Range: Sendable, Equatable {
        public let network: UInt32
        public let prefixLength: Int

        var mask: UInt32 { prefixLength == 0 ? 0 : UInt32.max << UInt32(32 - prefixLength) }

        public func contains(_ address: UInt32) -> Bool { address & mask == network }

        public var description: String { "\(TrustedProxies.text(network))/\(prefixLength)" }
    }

    public let ranges: [Range]

    public init(ranges: [Range] = []) { self.ranges = ranges }

    /// A comma-separated list of `a.b.c.d/len` or bare `a.b.c.d` (a /32); nil when an entry is neither
    /// or has host bits set past its prefix (`10.0.0.1/8` is a typo more often than not).
    public static func parse(_ text: String) -> TrustedProxies? {
        var ranges: [Range] = []
        for rawEntry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = String(rawEntry).trimmingWhitespace()
            if entry.isEmpty { continue }
            let parts = entry.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2, let address = ipv4(parts[0]) else { return nil }
            var length = 32
            if parts.count == 2 {
                guard !parts[1].isEmpty, parts[1].count <= 2, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
                    let given = Int(parts[1]), given <= 32
                else { return nil }
                length = given
            }
            let range = Range(network: address, prefixLength: length)
            guard address & range.mask == address else { return nil }
            if !ranges.contains(range) { ranges.append(range) }
        }
        return TrustedProxies(ranges: ranges)
    }

    public var isEmpty: Bool { ranges.isEmpty }

    public func contains(_ address: UInt32) -> Bool { ranges.contains { $0.contains(address) } }

    /// The client's address as text: the peer's, unless the peer is trusted; then, walking
    /// `X-Forwarded-For` from the right (the hop nearest to us), the first address that is not a
    /// trusted proxy. An entry that is not an address ends the walk at the last good one, except a
    /// well-formed IPv6 address, which is taken as the client (proxies are listed as IPv4 only).
    /// `peer` is in host byte order; nil (not IPv4) is "unknown" and trusts nothing.
    public func clientAddress(peer: UInt32?, forwardedFor: String?) -> String {
        guard let peer else { return "unknown" }
        var client = Self.text(peer)
        guard contains(peer), let forwardedFor else { return client }
        for rawEntry in forwardedFor.split(separator: ",").reversed() {
            let entry = String(rawEntry).trimmingWhitespace()
            guard let address = Self.ipv4(Substring(entry)) else {
                return Self.isIPv6(entry) ? entry.lowercased() : client
            }
            client = Self.text(address)
            if !contains(address) { return client }
        }
        return client
    }

    /// Strict dotted quad (no leading zeros beyond "0", no spaces), host byte order.
    static func ipv4(_ text: Substring) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var address: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part == "0" || part.first != "0", let value = UInt32(part), value <= 255
            else { return nil }
            address = address << 8 | value
        }
        return address
    }

    public static func text(_ address: UInt32) -> String {
        "\(address >> 24).\(address >> 16 & 0xFF).\(address >> 8 & 0xFF).\(address & 0xFF)"
    }

    /// Hex digits, colons and (for an embedded IPv4 tail) dots, with at least two colons.
    static func isIPv6(_ text: String) -> Bool {
        text.utf8.count <= 45 && text.filter { $0 == ":" }.count >= 2
            && text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
    }
}
