/// Why a token was refused; every case answers 401 and its message never contains token text.
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case malformed
    case unsupportedAlgorithm
    case badSignature
    /// The header names a `kid` no configured key has (and no key without an id exists for its `alg`).
    case unknownKey
    case expired
    case missingExpiry
    /// A claim is absent or has the wrong shape; the associated value names the claim, never its value.
    case invalidClaims(String)

    /// A short message that is safe to send to the client.
    public var clientMessage: String {
        switch self {
        case .missing: "an access token is required"
        case .malformed: "the access token is malformed"
        case .unsupportedAlgorithm: "the access token uses an unsupported algorithm or header"
        case .badSignature: "the access token signature is invalid"
        case .unknownKey: "the access token names a key (kid) this server does not know"
        case .expired: "the access token has expired"
        case .missingExpiry: "the access token has no expiry (exp)"
        case .invalidClaims(let claim): "the access token claim '\(claim)' is missing or invalid"
        }
    }

    public var description: String { clientMessage }
}
