import Foundation
import Testing
import TestSupport
@testable import Security

/// Issue 15, item 7: tokens minted by PyJWT (an independent implementation) are accepted for every
/// algorithm and key source, and each forgery is refused with its own reason.
@Suite struct IndependentTokenTests {
    static let now: Int64 = 1_893_456_000  // 2030-01-01: before every minted token's exp (2100)

    let minted: IndependentTokens

    init() async throws { minted = try await IndependentTokens.mint() }

    /// Every key source at once, with the issuer and audience the tokens carry.
    func verifier(previousValidUntil: Int64? = nil, policy: TokenPolicy? = nil) throws -> TokenVerifier {
        let source = TokenKeySource(
            secrets: [.init(minted.currentSecret), .init(minted.previousSecret, validUntil: previousValidUntil)],
            publicKeysFile: minted.publicKeysFile, jwksFile: minted.jwksFile(1),
            policy: policy ?? TokenPolicy(issuer: minted.issuer, audience: minted.audience))
        return try source.load()
    }

    func verify(_ name: String, with verifier: TokenVerifier) throws -> Result<TokenClaims, TokenError> {
        verifier.verify(try minted[name], now: Self.now)
    }

    @Test func acceptsEveryAlgorithmAndKeySource() throws {
        let verifier = try verifier()
        for name in ["rs256", "rs256_no_kid", "es256", "hs256_current", "hs256_previous", "aud_array", "jwks_1"] {
            let claims = try verify(name, with: verifier).get()
            #expect(claims.subject == "alice", "\(name)")
            #expect(claims.role == .editor, "\(name)")
            #expect(claims.campaigns == .only([minted.campaign]), "\(name)")
        }
    }

    @Test func aPEMKeyWithoutAKidLineIsNamedByItsThumbprint() throws {
        let keys = try verifier().keys
        #expect(keys.contains { $0.algorithm == .es256 && $0.id == minted.ecKeyID })
        #expect(keys.contains { $0.algorithm == .rs256 && $0.id == minted.rsaKeyID })
    }

    @Test func refusesAKidNoKeyHas() throws {
        #expect(try verify("wrong_kid", with: verifier()) == .failure(.unknownKey))
    }

    /// The RSA public key's PEM bytes as an HS256 secret: the HS256 path only knows the configured secrets.
    @Test func refusesAnRSAPublicKeyUsedAsAnHMACSecret() throws {
        #expect(try verify("alg_confusion", with: verifier()) == .failure(.badSignature))
        // Without any HS256 secret the algorithm itself is not accepted.
        let publicOnly = try TokenKeySource(secrets: [], publicKeysFile: minted.publicKeysFile).load()
        #expect(try verify("alg_confusion", with: publicOnly) == .failure(.unsupportedAlgorithm))
    }

    @Test func refusesAPreviousSecretPastItsValidUntil() throws {
        #expect(try verify("hs256_previous", with: verifier(previousValidUntil: Self.now + 60)).map(\.subject) == .success("alice"))
        #expect(try verify("hs256_previous", with: verifier(previousValidUntil: Self.now - 1)) == .failure(.badSignature))
        // The current secret has no end.
        #expect(try verify("hs256_current", with: verifier(previousValidUntil: Self.now - 1)).map(\.subject) == .success("alice"))
    }

    @Test func refusesAWrongIssuerOrAudience() throws {
        let verifier = try verifier()
        #expect(try verify("wrong_iss", with: verifier) == .failure(.invalidClaims("iss")))
        #expect(try verify("wrong_aud", with: verifier) == .failure(.invalidClaims("aud")))
        #expect(try verify("no_aud", with: verifier) == .failure(.invalidClaims("aud")))
        // Unchecked when not configured.
        let lenient = try self.verifier(policy: TokenPolicy())
        #expect(try verify("wrong_iss", with: lenient).map(\.subject) == .success("alice"))
        #expect(try verify("wrong_aud", with: lenient).map(\.subject) == .success("alice"))
    }

    @Test func refusesAlgNone() throws {
        #expect(try verify("none", with: verifier()) == .failure(.unsupportedAlgorithm))
    }

    @Test func readsRoleAndCampaignsFromConfiguredClaimNames() throws {
        let named = TokenPolicy(roleClaim: "https://app.example/role", campaignsClaim: "https://app.example/campaigns")
        let claims = try verify("custom_claims", with: verifier(policy: named)).get()
        #expect(claims.role == .admin)
        #expect(claims.campaigns == .all)
        #expect(try verify("custom_claims", with: verifier()) == .failure(.invalidClaims("role")))
        #expect(try verify("rs256", with: verifier(policy: named)) == .failure(.invalidClaims("https://app.example/role")))
    }

    /// The SIGHUP handler calls `TokenKeys.reload()`: a provider's rotated set replaces the old one,
    /// and a broken file keeps the keys in use.
    @Test func reloadsTheJWKSAndKeepsTheOldKeysWhenTheNewFileIsBad() throws {
        let path = minted.directory + "/jwks.json"
        try FileManager.default.copyItem(atPath: minted.jwksFile(1), toPath: path)
        let keys = try TokenKeys(loadingFrom: TokenKeySource(secrets: [], jwksFile: path))
        #expect(keys.verifier.verify(try minted["jwks_1"], now: Self.now).map(\.subject) == .success("alice"))
        #expect(keys.verifier.verify(try minted["jwks_2"], now: Self.now) == .failure(.unknownKey))

        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: minted.jwksFile(2), toPath: path)
        #expect(try keys.reload() == 1)
        #expect(keys.verifier.verify(try minted["jwks_2"], now: Self.now).map(\.subject) == .success("alice"))
        #expect(keys.verifier.verify(try minted["jwks_1"], now: Self.now) == .failure(.unknownKey))

        try Data(#"{"keys": [{"kty": "RSA", "kid": "x", "n": "!", "e": "AQAB"}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: KeyFileError.self) { try keys.reload() }
        #expect(keys.verifier.verify(try minted["jwks_2"], now: Self.now).map(\.subject) == .success("alice"))
    }
}
