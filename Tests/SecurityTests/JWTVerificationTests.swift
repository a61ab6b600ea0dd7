import Testing
@testable import Security

@Suite struct JWTVerificationTests {
    let signer = TokenFixtures.signer
    let now = TokenFixtures.now

    // MARK: round trip

    @Test(arguments: [Role.viewer, .editor, .admin])
    func roundTripsEveryRole(role: Role) {
        let claims = TokenFixtures.claims(role: role)
        #expect(signer.verify(signer.sign(claims), now: now) == .success(claims))
    }

    @Test func roundTripsScopesAndOptionalIssuedAt() {
        for claims in [
            TokenFixtures.claims(campaigns: .all, issuedAt: nil),
            TokenFixtures.claims(campaigns: .only([TokenFixtures.campaign, TokenFixtures.otherCampaign])),
            TokenFixtures.claims(campaigns: .only([])),
            TokenFixtures.claims(subject: "line\nbreak \\ \u{01} ✓"),
        ] {
            #expect(signer.verify(signer.sign(claims), now: now) == .success(claims))
        }
    }

    // MARK: signature

    @Test func refusesAForgedSignature() {
        let forger = JWTSigner(secret: "not-the-secret-not-the-secret-not-the-secret")
        let token = forger.sign(TokenFixtures.claims(role: .admin, campaigns: .all))
        #expect(signer.verify(token, now: now) == .failure(.badSignature))
    }

    @Test func refusesATamperedPayload() {
        let token = signer.sign(TokenFixtures.claims(role: .viewer))
        let parts = token.split(separator: ".").map(String.init)
        let promoted = TokenFixtures.encode(
            #"{"sub":"alice","role":"admin","campaigns":["*"],"iat":\#(now),"exp":\#(now + 3600)}"#)
        #expect(signer.verify([parts[0], promoted, parts[2]].joined(separator: "."), now: now) == .failure(.badSignature))
    }

    @Test func refusesATamperedHeader() {
        let token = signer.sign(TokenFixtures.claims())
        let parts = token.split(separator: ".").map(String.init)
        let header = TokenFixtures.encode(#"{"typ":"JWT","alg":"HS256"}"#)
        #expect(signer.verify([header, parts[1], parts[2]].joined(separator: "."), now: now) == .failure(.badSignature))
    }

    @Test func refusesASignatureOfTheWrongLengthOrFlippedBit() {
        let token = signer.sign(TokenFixtures.claims())
        let parts = token.split(separator: ".").map(String.init)
        let short = Base64URL.encode(Base64URL.decode(Substring(parts[2]))!.dropLast())
        #expect(signer.verify([parts[0], parts[1], short].joined(separator: "."), now: now) == .failure(.badSignature))
        var flipped = Array(parts[2].utf8)
        flipped[0] = flipped[0] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let tampered = [parts[0], parts[1], String(decoding: flipped, as: UTF8.self)].joined(separator: ".")
        #expect(signer.verify(tampered, now: now) == .failure(.badSignature))
        #expect(signer.verify([parts[0], parts[1], ""].joined(separator: "."), now: now) == .failure(.badSignature))
    }

    // MARK: algorithm and header

    @Test(arguments: [
        #"{"alg":"none","typ":"JWT"}"#, #"{"alg":"None"}"#, #"{"alg":"HS512"}"#, #"{"alg":"RS256","typ":"JWT"}"#,
        #"{"alg":"hs256"}"#, #"{"typ":"JWT"}"#, #"{"alg":null}"#, #"{"alg":["HS256"]}"#,
        #"{"alg":"HS256","crit":["exp"]}"#, #"{"alg":"HS256","jku":"https://evil.example/keys"}"#,
        #"{"alg":"HS256","jwk":{"kty":"oct","k":"AAAA"}}"#, #"{"alg":"HS256","b64":false}"#,
        #"{"alg":"HS256","zip":"DEF"}"#, #"{"alg":"HS256","typ":"JWE"}"#, #"{"alg":"HS256","kid":7}"#,
    ])
    func refusesUnsupportedHeaders(header: String) {
        // Correctly signed with HS256 and the real secret: only the header is wrong.
        let token = TokenFixtures.token(header: header, payload: #"{"sub":"a","role":"admin","campaigns":["*"],"exp":4102444800}"#)
        #expect(signer.verify(token, now: now) == .failure(.unsupportedAlgorithm))
    }

    @Test(arguments: [#"{"alg":"HS256"}"#, #"{"alg":"HS256","typ":"jwt"}"#, #"{"alg":"HS256","typ":"at+jwt","kid":"k1"}"#])
    func acceptsInformationalHeaders(header: String) {
        let token = TokenFixtures.token(header: header, payload: #"{"sub":"a","role":"admin","campaigns":["*"],"exp":4102444800}"#)
        #expect(signer.verify(token, now: now) == .success(TokenClaims(subject: "a", expiresAt: 4_102_444_800, role: .admin, campaigns: .all)))
    }

    @Test func refusesAnRS256TokenWithAnyKindOfSignature() {
        let header = TokenFixtures.encode(#"{"alg":"RS256","typ":"JWT"}"#)
        let payload = TokenFixtures.encode(#"{"sub":"a","role":"admin","campaigns":["*"],"exp":4102444800}"#)
        let signature = String(repeating: "A", count: 342)
        #expect(signer.verify("\(header).\(payload).\(signature)", now: now) == .failure(.unsupportedAlgorithm))
    }

    // MARK: shape

    @Test(arguments: [
        "abc", "a.b", "a.b.c.d", "..", ".", "not a token at all",
        // Padded base64url, standard-alphabet symbols and white space are not base64url.
        "eyJhbGciOiJIUzI1NiJ9=.e30.AAAA", "eyJhbGciOiJIUzI1NiJ9.e30.AA+/", "eyJhbGciOiJIUzI1NiJ9.e30.AAAAA",
        " eyJhbGciOiJIUzI1NiJ9.e30.AAAA", "eyJhbGciOiJIUzI1NiJ9.e30.AAAA ",
    ])
    func refusesMalformedTokens(token: String) {
        #expect(signer.verify(token, now: now) == .failure(.malformed))
    }

    @Test(arguments: [
        "eyJzdWIiOiJhIiwicm9sZSI6ImFkbWluIiwiY2FtcGFpZ25zIjpbIioiXSwiZXhwIjo0MTAyNDQ0ODAwfQ==",
        "eyJzdWIiOiJhIiwicm9sZSI6ImFkbWluIiwiY2FtcGFpZ25zIjpbIioiXSwiZXhwIjo0MTAyNDQ0ODAwfQ+/",
        "eyJzdWIiOiJhIiwicm9sZSI6ImFkbWl uIiwiY2FtcGFpZ25zIjpbIioiXSwiZXhwIjo0MTAyNDQ0ODAwfQ",
        // The last symbol carries non-zero unused bits: a second spelling of the same bytes.
        "eyJzdWIiOiJhIiwicm9sZSI6ImFkbWluIiwiY2FtcGFpZ25zIjpbIioiXSwiZXhwIjo0MTAyNDQ0ODAwfR",
    ])
    func refusesACorrectlySignedPayloadThatIsNotBase64URL(payload: String) {
        let token = signer.signed(TokenFixtures.encode(TokenFixtures.headerJSON) + "." + payload)
        #expect(signer.verify(token, now: now) == .failure(.malformed))
    }

    @Test func refusesPaddingOnTheSignature() {
        let token = signer.sign(TokenFixtures.claims())
        #expect(signer.verify(token + "=", now: now) == .failure(.malformed))
    }

    @Test func refusesAHeaderThatIsNotAJSONObject() {
        for header in ["[]", "\"HS256\"", "{", #"{"alg":"HS256""#, #"{"alg":"HS256"} x"#, #"{"alg":"HS256","alg":"none"}"#] {
            let token = TokenFixtures.encode(header) + ".e30.AAAA"
            #expect(signer.verify(token, now: now) == .failure(.malformed), "header \(header)")
        }
    }

    @Test(arguments: [
        "not json", "[1,2]", #"{"sub":"a","role":"admin","campaigns":["*"],"exp":4102444800"#,
        #"{"sub":"a","role":"viewer","role":"admin","campaigns":["*"],"exp":4102444800}"#,
        #"{"sub":"a\ud800","role":"admin","campaigns":["*"],"exp":4102444800}"#,
        "{\"sub\":\"a\u{01}\",\"role\":\"admin\",\"campaigns\":[\"*\"],\"exp\":4102444800}",
        #"{"sub":"a","role":"admin","campaigns":["*"],"exp":04102444800}"#,
        #"{"sub":"a","role":"admin","campaigns":["*"],"exp":1e400}"#,
    ])
    func refusesASignedPayloadThatIsNotAValidJSONObject(payload: String) {
        #expect(signer.verify(TokenFixtures.token(payload: payload), now: now) == .failure(.malformed))
    }

    @Test func refusesASignedPayloadThatIsNotUTF8() {
        let bytes: [UInt8] = Array(#"{"sub":""#.utf8) + [0xC3, 0x28] + Array(#"","role":"admin","campaigns":["*"],"exp":4102444800}"#.utf8)
        let token = signer.sign(encodedHeader: TokenFixtures.encode(TokenFixtures.headerJSON), payload: bytes)
        #expect(signer.verify(token, now: now) == .failure(.malformed))
    }

    @Test func refusesAnEmptyTokenAsMissing() {
        #expect(signer.verify("", now: now) == .failure(.missing))
    }

    @Test func refusesAnOversizedToken() {
        let payload = #"{"sub":"\#(String(repeating: "x", count: 9000))","role":"admin","campaigns":["*"],"exp":4102444800}"#
        #expect(signer.verify(TokenFixtures.token(payload: payload), now: now) == .failure(.malformed))
    }

    // MARK: expiry

    @Test func refusesAnExpiredToken() {
        let token = signer.sign(TokenFixtures.claims(expiresAt: now - 3600))
        #expect(signer.verify(token, now: now) == .failure(.expired))
    }

    @Test func appliesTheLeewayAroundExp() {
        let token = signer.sign(TokenFixtures.claims(expiresAt: now - 10))
        #expect(signer.verify(token, now: now, leewaySeconds: 30) == .success(TokenFixtures.claims(expiresAt: now - 10)))
        #expect(signer.verify(token, now: now, leewaySeconds: 10) == .failure(.expired))
        #expect(signer.verify(token, now: now, leewaySeconds: 11) == .success(TokenFixtures.claims(expiresAt: now - 10)))
        #expect(signer.verify(token, now: now, leewaySeconds: 0) == .failure(.expired))
        #expect(signer.verify(token, now: now, leewaySeconds: -100) == .failure(.expired))
    }

    @Test func treatsExpAsTheFirstInvalidSecond() {
        let token = signer.sign(TokenFixtures.claims(expiresAt: now))
        #expect(signer.verify(token, now: now - 1, leewaySeconds: 0) == .success(TokenFixtures.claims(expiresAt: now)))
        #expect(signer.verify(token, now: now, leewaySeconds: 0) == .failure(.expired))
    }

    @Test func requiresExp() {
        let token = TokenFixtures.token(payload: #"{"sub":"a","role":"admin","campaigns":["*"]}"#)
        #expect(signer.verify(token, now: now) == .failure(.missingExpiry))
    }

    @Test(arguments: [#""4102444800""#, "null", "true", "[4102444800]", "9.3e18"])
    func refusesANonNumericExp(exp: String) {
        let token = TokenFixtures.token(payload: #"{"sub":"a","role":"admin","campaigns":["*"],"exp":\#(exp)}"#)
        #expect(signer.verify(token, now: now) == .failure(.invalidClaims("exp")))
    }

    @Test func acceptsAFractionalExp() {
        let token = TokenFixtures.token(payload: #"{"sub":"a","role":"admin","campaigns":["*"],"exp":4102444800.75}"#)
        #expect(signer.verify(token, now: now) == .success(TokenClaims(subject: "a", expiresAt: 4_102_444_800, role: .admin, campaigns: .all)))
    }

    @Test func honoursNotBefore() {
        let payload = #"{"sub":"a","role":"admin","campaigns":["*"],"nbf":\#(now + 100),"exp":\#(now + 3600)}"#
        let token = TokenFixtures.token(payload: payload)
        #expect(signer.verify(token, now: now, leewaySeconds: 30) == .failure(.invalidClaims("nbf")))
        #expect(signer.verify(token, now: now + 80, leewaySeconds: 30) == .success(TokenClaims(
            subject: "a", expiresAt: now + 3600, role: .admin, campaigns: .all)))
    }

    // MARK: claims

    @Test(arguments: [#""role":"superuser""#, #""role":"Admin""#, #""role":null"#, #""role":2"#, #""roles":"admin""#])
    func refusesABadRole(role: String) {
        let token = TokenFixtures.token(payload: #"{"sub":"a",\#(role),"campaigns":["*"],"exp":4102444800}"#)
        #expect(signer.verify(token, now: now) == .failure(.invalidClaims("role")))
    }

    @Test(arguments: [
        #""campaigns":"*""#, #""campaigns":["*","6f1c2a4e-9b1d-4c3e-8f7a-0a1b2c3d4e5f"]"#, #""campaigns":["all"]"#,
        #""campaigns":[42]"#, #""campaigns":["6f1c2a4e9b1d4c3e8f7a0a1b2c3d4e5f"]"#, #""campaigns":["6f1c2a4e-9b1d-4c3e-8f7a-0a1b2c3d4e5g"]"#,
        #""campaigns":{"id":"6f1c2a4e-9b1d-4c3e-8f7a-0a1b2c3d4e5f"}"#, #""campaigns":null"#, #""campaign":["*"]"#, #""campaigns":[["*"]]"#,
    ])
    func refusesABadCampaignsClaim(campaigns: String) {
        let token = TokenFixtures.token(payload: #"{"sub":"a","role":"viewer",\#(campaigns),"exp":4102444800}"#)
        #expect(signer.verify(token, now: now) == .failure(.invalidClaims("campaigns")))
    }

    @Test(arguments: [#""sub":"""#, #""sub":null"#, #""sub":7"#, #""user":"a""#])
    func refusesABadSubject(subject: String) {
        let token = TokenFixtures.token(payload: #"{\#(subject),"role":"viewer","campaigns":["*"],"exp":4102444800}"#)
        #expect(signer.verify(token, now: now) == .failure(.invalidClaims("sub")))
    }

    @Test func refusesANonNumericIssuedAt() {
        let token = TokenFixtures.token(payload: #"{"sub":"a","role":"viewer","campaigns":["*"],"iat":"yesterday","exp":4102444800}"#)
        #expect(signer.verify(token, now: now) == .failure(.invalidClaims("iat")))
    }

    @Test func readsTheWildcardAndLowerCasesCampaignIds() {
        let payload = #"{"sub":"a","role":"viewer","campaigns":["6F1C2A4E-9B1D-4C3E-8F7A-0A1B2C3D4E5F"],"exp":4102444800,"aud":"ignored"}"#
        guard case .success(let claims) = signer.verify(TokenFixtures.token(payload: payload), now: now) else {
            Issue.record("token refused")
            return
        }
        #expect(claims.campaigns == .only([TokenFixtures.campaign]))
        #expect(claims.campaigns.allows(TokenFixtures.campaign))
        #expect(claims.campaigns.allows(TokenFixtures.campaign.uppercased()))
        #expect(!claims.campaigns.allows(TokenFixtures.otherCampaign))
        let wildcard = TokenFixtures.token(payload: #"{"sub":"a","role":"viewer","campaigns":["*"],"exp":4102444800}"#)
        guard case .success(let all) = signer.verify(wildcard, now: now) else {
            Issue.record("wildcard token refused")
            return
        }
        #expect(all.campaigns == .all)
        #expect(all.campaigns.allows(TokenFixtures.otherCampaign))
    }

    // MARK: messages

    @Test func errorMessagesNeverContainTokenText() {
        let token = signer.sign(TokenFixtures.claims(subject: "secret-subject-name", expiresAt: now - 3600))
        let errors: [TokenError] = [.missing, .malformed, .unsupportedAlgorithm, .badSignature, .expired, .missingExpiry, .invalidClaims("role")]
        let parts = token.split(separator: ".").map(String.init)
        for error in errors {
            #expect(!error.clientMessage.isEmpty)
            for part in parts { #expect(!error.clientMessage.contains(part)) }
            #expect(!error.description.contains("secret-subject-name"))
        }
        if case .failure(let error) = signer.verify(token, now: now) {
            #expect(!"\(error)".contains(parts[1]) && !"\(error)".contains(parts[2]))
        } else {
            Issue.record("an expired token was accepted")
        }
    }
}
