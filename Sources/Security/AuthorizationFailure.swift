/// Why a valid token may not do what it asked (403).
public enum AuthorizationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The campaign is outside the token's `campaigns` claim (answered whether or not it exists).
    case campaignNotAllowed
    /// The token's role is below the one the operation needs.
    case roleTooLow(required: Role)

    /// A short message that is safe to send to the client.
    public var clientMessage: String {
        switch self {
        case .campaignNotAllowed: "the access token does not allow this campaign"
        case .roleTooLow(let required): "this operation needs the \(required.rawValue) role"
        }
    }

    public var description: String { clientMessage }
}
