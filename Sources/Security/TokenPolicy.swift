/// What a verified token's payload must say beyond its signature and time claims.
public struct TokenPolicy: Sendable, Equatable {
    /// `iss` must equal this when set (`JWT_ISSUER`).
    public var issuer: String?
    /// `aud` (a string or an array of strings) must contain this when set (`JWT_AUDIENCE`).
    public var audience: String?
    /// The claim holding `viewer`, `editor` or `admin` (`JWT_ROLE_CLAIM`).
    public var roleClaim: String
    /// The claim holding the campaign ids or `["*"]` (`JWT_CAMPAIGNS_CLAIM`).
    public var campaignsClaim: String

    public static let defaultRoleClaim = "role"
    public static let defaultCampaignsClaim = "campaigns"

    public init(
        issuer: String? = nil, audience: String? = nil, roleClaim: String = defaultRoleClaim,
        campaignsClaim: String = defaultCampaignsClaim
    ) {
        self.issuer = issuer
        self.audience = audience
        self.roleClaim = roleClaim
        self.campaignsClaim = campaignsClaim
    }
}
