import Crypto

/// Signs and verifies HS256 JSON Web Tokens (RFC 7519) with one shared secret.
public struct JWTSigner: Sendable {
    /// The secret's bytes; `SymmetricKey` is not `Sendable` in swift-crypto 3, so a key is made per use.
    let secret: [UInt8]

    var key: SymmetricKey { SymmetricKey(data: secret) }

    /// `{"alg":"HS256","typ":"JWT"}`, the only header this signer writes.
    static let encodedHeader = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    /// Tokens longer than this are refused before any work (a header line cannot usefully hold more).
    public static let maximumTokenLength = 8192

    /// A signer whose key is the UTF-8 bytes of `secret`.
    public init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// A compact HS256 token carrying `claims`, in the claim names and with the issuer and audience of
    /// `policy`, so that a server configured with that policy accepts it.
    public func sign(_ claims: TokenClaims, policy: TokenPolicy = TokenPolicy()) -> String {
        sign(encodedHeader: Self.encodedHeader, payload: claims.jsonBytes(policy: policy))
    }

    /// `header.payload.signature` for an already encoded header and raw payload bytes.
    func sign(encodedHeader: String, payload: [UInt8]) -> String {
        signed(encodedHeader + "." + Base64URL.encode(payload))
    }

    /// `signingInput` followed by `.` and its HS256 signature.
    func signed(_ signingInput: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: key)
        return signingInput + "." + Base64URL.encode(Array(mac))
    }
}
