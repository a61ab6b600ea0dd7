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

    /// 9999-12-31T23:59:59Z: the latest `exp`, `nbf` or `iat` a token may carry.
    public static let latestNumericDate: Int64 = 253_402_300_799

    /// The time claims a token may carry, in Unix seconds; anything else is refused as invalid.
    public static let numericDateRange: ClosedRange<Int64> = 0...latestNumericDate
}
