import Security

/// Who is making a request: the verified token's claims, or everyone-as-admin when auth is disabled.
struct Principal: Sendable {
    /// The token's `sub`: recorded as the history actor.
    let subject: String
    let role: Role
    let scope: CampaignScope
    /// Unix seconds; nil when auth is disabled.
    let expiresAt: Int64?

    init(claims: TokenClaims) {
        subject = claims.subject
        role = claims.role
        scope = claims.campaigns
        expiresAt = claims.expiresAt
    }

    init(subject: String, role: Role, scope: CampaignScope, expiresAt: Int64?) {
        self.subject = subject
        self.role = role
        self.scope = scope
        self.expiresAt = expiresAt
    }

    /// The principal of every request when `AUTH_DISABLED=true`.
    static let authDisabled = Principal(subject: "anonymous", role: .admin, scope: .all, expiresAt: nil)
}

/// What a route requires of the caller.
enum AccessRule: Sendable {
    /// No token needed (health, the dashboard's static files).
    case open
    /// Any valid token.
    case authenticated
    /// A token of at least this role; the campaign in the path must be in its scope.
    case campaign(Role)
    /// A token of at least this role for every campaign (`campaigns: ["*"]`); no campaign in the path.
    /// Creating a campaign is such a route: a campaign-scoped admin could not read or use the campaign
    /// it made (outside its scope), so it may not make one.
    case role(Role)
}
