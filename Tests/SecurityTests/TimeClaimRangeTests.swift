import Testing
@testable import Security

/// Issue 12: time claims outside 1970-01-01 … 9999-12-31T23:59:59Z are refused, so no later use of
/// them (milliseconds, deadlines, RFC 3339 text) can overflow.
@Suite struct TimeClaimRangeTests {
    let signer = TokenFixtures.signer
    let now = TokenFixtures.now

    static func payload(exp: String = "4102444800", extra: String = "") -> String {
        #"{"sub":"a","role":"admin","campaigns":["*"],"exp":\#(exp)\#(extra)}"#
    }

    @Test(arguments: [
        "100000000000000000", "253402300800", "9223372036854775807", "-9223372036854775808", "-1", "1e300",
        "253402300800.5", "-0.5", "1.7e308",
    ])
    func refusesAnExpOutsideTheRange(exp: String) {
        let token = TokenFixtures.token(payload: Self.payload(exp: exp))
        #expect(signer.verify(token, now: now) == .failure(.invalidClaims("exp")))
        #expect(signer.verify(token, now: .max, leewaySeconds: .max) == .failure(.invalidClaims("exp")))
    }

    @Test func acceptsTheLastSecondOfYear9999() {
        let token = TokenFixtures.token(payload: Self.payload(exp: "253402300799"))
        #expect(signer.verify(token, now: now) == .success(TokenClaims(
            subject: "a", expiresAt: TokenClaims.latestNumericDate, role: .admin, campaigns: .all)))
    }

    @Test(arguments: ["100000000000000000", "-9223372036854775808", "-1", "1e19"])
    func refusesAnNbfOrIatOutsideTheRange(value: String) {
        let notBefore = TokenFixtures.token(payload: Self.payload(extra: #","nbf":\#(value)"#))
        #expect(signer.verify(notBefore, now: now) == .failure(.invalidClaims("nbf")))
        let issuedAt = TokenFixtures.token(payload: Self.payload(extra: #","iat":\#(value)"#))
        #expect(signer.verify(issuedAt, now: now) == .failure(.invalidClaims("iat")))
    }
}

/// `campaign-server token --ttl`: whatever is typed is a lifetime or a clear refusal, never a trap.
@Suite struct TokenLifetimeTests {
    @Test func readsDurations() {
        #expect(TokenLifetime.seconds("90s") == 90)
        #expect(TokenLifetime.seconds("30m") == 1800)
        #expect(TokenLifetime.seconds("8h") == 28_800)
        #expect(TokenLifetime.seconds("7d") == 604_800)
        #expect(TokenLifetime.seconds("3600") == 3600)
    }

    @Test(arguments: ["", "0", "-5m", "0d", "h", "1e3", "8 h", "8w", "99999999999999999999"])
    func refusesMalformedOrNonPositiveDurations(text: String) {
        #expect(TokenLifetime.seconds(text) == nil)
    }

    /// Multiplying by the unit trapped before (`9223372036854775807d` and the like).
    @Test(arguments: ["9223372036854775807d", "999999999999999999h", "153722867280912931m", "-9223372036854775808d"])
    func refusesADurationTooLargeToCount(text: String) {
        #expect(TokenLifetime.seconds(text) == nil)
    }

    /// Adding the lifetime to the issue time trapped before.
    @Test func refusesAnExpiryAfterYear9999() {
        let now: Int64 = 1_893_456_000
        #expect(TokenLifetime.expiry(issuedAt: now, lifetime: 3600) == now + 3600)
        #expect(TokenLifetime.expiry(issuedAt: now, lifetime: TokenClaims.latestNumericDate - now) == TokenClaims.latestNumericDate)
        #expect(TokenLifetime.expiry(issuedAt: now, lifetime: TokenClaims.latestNumericDate - now + 1) == nil)
        #expect(TokenLifetime.expiry(issuedAt: now, lifetime: .max) == nil)
        #expect(TokenLifetime.expiry(issuedAt: now, lifetime: TokenLifetime.seconds("9223372036854775807s")!) == nil)
    }
}
