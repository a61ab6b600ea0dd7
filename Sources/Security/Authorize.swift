/// What an operation acts on, as far as access is concerned.
public enum AccessTarget: Sendable, Equatable {
    /// One campaign (any letter case): the token's scope must hold it.
    case campaign(String)
    /// No one campaign but all of them, as creating one does: a campaign-scoped token could not read or
    /// use what it made (outside its scope), so only a token for every campaign may.
    case everyCampaign
}

/// Answers whether a token of `role` and `scope` may act on `target` with at least `needs`; nil means
/// allowed. For a campaign, scope is checked first, so a foreign campaign is refused the same way for
/// every role (and whether or not it exists).
public func authorize(role: Role, scope: CampaignScope, target: AccessTarget, needs: Role) -> AuthorizationFailure? {
    switch target {
    case .campaign(let campaignID):
        if !scope.allows(campaignID) { return .campaignNotAllowed }
        if role < needs { return .roleTooLow(required: needs) }
    case .everyCampaign:
        if role < needs { return .roleTooLow(required: needs) }
        if scope != .all { return .needsEveryCampaign }
    }
    return nil
}
