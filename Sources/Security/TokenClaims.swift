/// The verified content of a token: who (`sub`), until when (`exp`), with which role and campaigns.
public struct TokenClaims: Sendable, Equatable {
    /// The actor recorded in history (`sub`).
    public var subject: String
    /// Unix seconds after which the token is refused (`exp`).
    public var expiresAt: Int64
    public var role: Role
    public var campaigns: CampaignScope
    /// Unix seconds the token was issued at (`iat`), when it says.
    public var issuedAt: Int64?

    public init(subject: String, expiresAt: Int64, role: Role, campaigns: CampaignScope, issuedAt: Int64? = nil) {
        self.subject = subject
        self.expiresAt = expiresAt
        self.role = role
        self.campaigns = campaigns
        self.issuedAt = issuedAt
    }
}
