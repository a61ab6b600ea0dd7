import Testing
@testable import Security

/// Tokens computed outside this code base, so a bug shared by `sign` and `verify` cannot hide.
///
/// Produced with Python 3 at test-writing time:
/// ```
/// import hmac, hashlib, base64, json
/// b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
/// secret = b"campaign-realtime-test-secret-0123456789"
/// def tok(header, payload, alg=hashlib.sha256, sig=True):
///     h = b64(json.dumps(header, separators=(",", ":")).encode())
///     p = b64(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())
///     s = b64(hmac.new(secret, f"{h}.{p}".encode(), alg).digest()) if sig else ""
///     return f"{h}.{p}.{s}"
/// payload = {"sub": "alice", "role": "editor", "campaigns": ["6f1c2a4e-9b1d-4c3e-8f7a-0a1b2c3d4e5f"],
///            "iat": 1700000000, "exp": 4102444800}
/// tok({"alg": "HS256", "typ": "JWT"}, payload)                   # editorToken
/// tok({"alg": "HS512", "typ": "JWT"}, payload, hashlib.sha512)   # hs512Token
/// tok({"alg": "none", "typ": "JWT"}, payload, sig=False)         # noneToken
/// tok({"alg": "HS256", "typ": "JWT"}, {"sub": "Zoë \"ops\"", "role": "admin", "campaigns": ["*"], "exp": 4102444800})  # adminToken
/// ```
@Suite struct KnownTokenTests {
    static let editorToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJlZGl0b3IiLCJjYW1wYWlnbnMiOlsiNmYxYzJhNGUtOWIxZC00YzNlLThmN2EtMGExYjJjM2Q0ZTVmIl0sImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.3NNyX7yMcXH3N0Vb2ziZOY0x8tzFSfSHrbgHPQ5zuV8"
    static let hs512Token = "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJlZGl0b3IiLCJjYW1wYWlnbnMiOlsiNmYxYzJhNGUtOWIxZC00YzNlLThmN2EtMGExYjJjM2Q0ZTVmIl0sImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAyNDQ0ODAwfQ.MPkB6MxpE2VP7ArfzsGHhsE39fvdsC2mJgImrj0uyIwK5djN8ANcDj81zVe-67pzPq9zSoXhdGrbu9Bf-L174g"
    static let noneToken = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhbGljZSIsInJvbGUiOiJlZGl0b3IiLCJjYW1wYWlnbnMiOlsiNmYxYzJhNGUtOWIxZC00YzNlLThmN2EtMGExYjJjM2Q0ZTVmIl0sImlhdCI6MTcwMDAwMDAwMCwiZXhwIjo0MTAyNDQ0ODAwfQ."
    static let adminToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJab8OrIFwib3BzXCIiLCJyb2xlIjoiYWRtaW4iLCJjYW1wYWlnbnMiOlsiKiJdLCJleHAiOjQxMDI0NDQ4MDB9.R0uWb5Yzl1ti9JDHPVScy43KNE1CO8Br2llwRrM2Cf4"

    static let editorClaims = TokenClaims(
        subject: "alice", expiresAt: 4_102_444_800, role: .editor,
        campaigns: .only(["6f1c2a4e-9b1d-4c3e-8f7a-0a1b2c3d4e5f"]), issuedAt: 1_700_000_000)

    @Test func verifiesATokenSignedByPython() {
        let result = TokenFixtures.signer.verify(Self.editorToken, now: TokenFixtures.now)
        #expect(result == .success(Self.editorClaims))
    }

    @Test func signsTheSameBytesAsPython() {
        #expect(TokenFixtures.signer.sign(Self.editorClaims) == Self.editorToken)
        let admin = TokenClaims(subject: "Zoë \"ops\"", expiresAt: 4_102_444_800, role: .admin, campaigns: .all)
        #expect(TokenFixtures.signer.sign(admin) == Self.adminToken)
    }

    @Test func readsEscapedAndNonASCIISubjects() {
        let result = TokenFixtures.signer.verify(Self.adminToken, now: TokenFixtures.now)
        #expect(result == .success(TokenClaims(subject: "Zoë \"ops\"", expiresAt: 4_102_444_800, role: .admin, campaigns: .all)))
    }

    @Test func refusesHS512EvenWithTheRightSecret() {
        #expect(TokenFixtures.signer.verify(Self.hs512Token, now: TokenFixtures.now) == .failure(.unsupportedAlgorithm))
    }

    @Test func refusesAlgNone() {
        #expect(TokenFixtures.signer.verify(Self.noneToken, now: TokenFixtures.now) == .failure(.unsupportedAlgorithm))
    }

    @Test func refusesThePythonTokenUnderAnotherSecret() {
        let other = JWTSigner(secret: "another-secret-of-at-least-32-bytes!!")
        #expect(other.verify(Self.editorToken, now: TokenFixtures.now) == .failure(.badSignature))
    }
}
