@testable import Security

/// Secrets, claims and token builders shared by the JWT tests.
enum TokenFixtures {
    static let secret = "campaign-realtime-test-secret-0123456789"
    static let signer = JWTSigner(secret: secret)
    static let campaign = "6f1c2a4e-9b1d-4c3e-8f7a-0a1b2c3d4e5f"
    static let otherCampaign = "0b7e3c52-1d2f-4a6b-9c8d-7e6f5a4b3c2d"
    /// 2030-01-01T00:00:00Z: "now" for every verification unless a test says otherwise.
    static let now: Int64 = 1_893_456_000

    static let headerJSON = #"{"alg":"HS256","typ":"JWT"}"#

    static func claims(
        subject: String = "alice", expiresAt: Int64 = now + 3600, role: Role = .editor,
        campaigns: CampaignScope = .only([campaign]), issuedAt: Int64? = now
    ) -> TokenClaims {
        TokenClaims(subject: subject, expiresAt: expiresAt, role: role, campaigns: campaigns, issuedAt: issuedAt)
    }

    /// A correctly signed token with any header and payload text, to reach the checks after the signature.
    static func token(header: String = headerJSON, payload: String, signer: JWTSigner = signer) -> String {
        signer.sign(encodedHeader: Base64URL.encode(Array(header.utf8)), payload: Array(payload.utf8))
    }

    static func encode(_ text: String) -> String { Base64URL.encode(Array(text.utf8)) }
}
