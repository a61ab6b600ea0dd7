/// Why a valid token may not do what it asked (403).
public enum AuthorizationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The campaign is outside the token's `campaigns` claim (answered whether or not it exists).
    case campaignNotAllowed
    /// The token's role is below the one the operation needs.
    case roleTooLow(required: Role)
    /// The operation concerns every campaign (creating one), and the token is limited to some.
    case needsEveryCampaign

    /// A short message that is safe to send to the client.
    public var clientMessage: String {
        switch self {
        case .campaignNotAllowed: "this token is not allowed this campaign"
        case .roleTooLow(let required): "this needs the \(required.rawValue) role"
        case .needsEveryCampaign: "this needs a token for every campaign (campaigns [\"*\"]); this one is limited to some"
        }
    }

    public var description: String { clientMessage }
}
