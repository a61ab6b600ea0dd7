import Testing
@testable import Security

/// The `token` command signs with the server's policy, so its tokens pass the server's checks.
@Suite struct TokenPolicySigningTests {
    static let policy = TokenPolicy(
        issuer: "https://id.example.test/", audience: "campaign-api", roleClaim: "https://app.example/role",
        campaignsClaim: "https://app.example/campaigns")

    @Test func aTokenSignedWithAPolicyPassesThatPolicyOnly() {
        let claims = TokenFixtures.claims()
        let token = TokenFixtures.signer.sign(claims, policy: Self.policy)
        let verifier = TokenVerifier(keys: [.hmac(TokenFixtures.secret)], policy: Self.policy)
        #expect(verifier.verify(token, now: TokenFixtures.now) == .success(claims))
        // The default claim names are not in it.
        #expect(TokenFixtures.signer.verify(token, now: TokenFixtures.now) == .failure(.invalidClaims("role")))
        // A token without iss and aud fails the policy.
        #expect(verifier.verify(TokenFixtures.signer.sign(claims), now: TokenFixtures.now) == .failure(.invalidClaims("iss")))
    }
}
