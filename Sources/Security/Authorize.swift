/// Answers whether `claims` may act on `campaignID` (nil: no particular campaign) with at least `needs`;
/// nil means allowed. Scope is checked first, so a foreign campaign is refused the same way for every role.
public func authorize(_ claims: TokenClaims, campaignID: String?, needs: Role) -> AuthorizationFailure? {
    if let campaignID, !claims.campaigns.allows(campaignID) { return .campaignNotAllowed }
    if claims.role < needs { return .roleTooLow(required: needs) }
    return nil
}
