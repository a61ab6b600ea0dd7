/// Token lifetimes as written on the command line (`campaign-server token --ttl`), with checked
/// arithmetic: whatever is typed gives a lifetime or nil, never an overflow trap.
public enum TokenLifetime {
    /// `30m`, `8h`, `7d`, `90s` or a bare number of seconds; nil when malformed, not positive, or too
    /// large to count in seconds.
    public static func seconds(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let value: Int64?
        if let unit = text.last, let multiplier = units[unit], let count = Int64(text.dropLast()) {
            let (product, overflow) = count.multipliedReportingOverflow(by: multiplier)
            value = overflow ? nil : product
        } else {
            value = Int64(text)
        }
        guard let value, value > 0 else { return nil }
        return value
    }

    /// The `exp` of a token issued at `now` for `lifetime` seconds; nil when it would fall after
    /// `TokenClaims.latestNumericDate` (such a token would be refused by every verifier here).
    public static func expiry(issuedAt now: Int64, lifetime: Int64) -> Int64? {
        let (expiresAt, overflow) = now.addingReportingOverflow(lifetime)
        guard !overflow, TokenClaims.numericDateRange.contains(expiresAt) else { return nil }
        return expiresAt
    }
}
