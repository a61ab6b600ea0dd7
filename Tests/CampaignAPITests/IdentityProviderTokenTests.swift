import APITestSupport
import CampaignModel
import Security
import Testing
import TestSupport

/// Issue 15, item 7, over real sockets: a server configured with an identity provider's public keys
/// (JWT_PUBLIC_KEYS_FILE, JWT_ISSUER, JWT_AUDIENCE) serves a PyJWT-minted RS256 token, and answers a
/// forged one with the RFC 6750 challenge.
@Suite struct IdentityProviderTokenTests {
    @Test func anRS256TokenFromPyJWTCreatesReadsAndStreamsACampaign() async throws {
        let minted = try await IndependentTokens.mint()
        let keys = try TokenKeys(loadingFrom: TokenKeySource(
            secrets: [.init(minted.currentSecret)], publicKeysFile: minted.publicKeysFile,
            policy: TokenPolicy(issuer: minted.issuer, audience: minted.audience)))
        try await withServer(.memory, configure: { $0.api.tokenKeys = keys }) { app in
            let client = APIClient(port: app.port, token: try minted["rs256_admin_all"])
            let created = try await client.createCampaign()
            let campaignId = try #require(created["id"]?.stringValue)
            let read = try await client.request("GET", "/api/campaigns/\(campaignId)")
            #expect(read.status == 200)
            #expect(read.json["id"]?.stringValue == campaignId)

            let stream = try await SSEClient(port: app.port, campaignId: campaignId, token: try minted["rs256_admin_all"])
            defer { stream.close() }
            #expect(stream.status == 200)
            #expect(try await stream.next().event == "connected")

            for forged in ["alg_confusion", "wrong_kid", "wrong_iss", "wrong_aud", "none"] {
                let refused = try await APIClient(port: app.port, token: try minted[forged]).request("GET", "/api/campaigns/\(campaignId)")
                #expect(refused.status == 401, "\(forged)")
                #expect(refused.errorCode == "unauthorized", "\(forged)")
                #expect(refused.header("WWW-Authenticate")?.contains(#"error="invalid_token""#) == true, "\(forged)")
            }
        }
    }
}
