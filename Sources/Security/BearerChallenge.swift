/// The `WWW-Authenticate` value of every 401 (RFC 6750 §3).
public enum BearerChallenge {
    /// The protection space named in every challenge (docs/API.md).
    public static let realm = "campaigns"

    /// `Bearer realm="campaigns"`, plus `error="invalid_token"` only when a token was sent and refused:
    /// a request that sent no credentials is told only how to authenticate, with no error code (§3.1).
    public static func header(tokenRefused: Bool) -> String {
        let challenge = "Bearer realm=\"\(realm)\""
        return tokenRefused ? challenge + ", error=\"invalid_token\"" : challenge
    }
}
