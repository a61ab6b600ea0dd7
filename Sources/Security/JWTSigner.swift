import Crypto

/// Signs and verifies HS256 JSON Web Tokens (RFC 7519) with one shared secret.
public struct JWTSigner: Sendable {
    /// The secret's bytes; `SymmetricKey` is not `Sendable` in swift-crypto 3, so a key is made per use.
    private let secret: [UInt8]

    var key: SymmetricKey { SymmetricKey(data: secret) }

    /// `{"alg":"HS256","typ":"JWT"}`, the only header this signer writes.
    static let encodedHeader = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    /// Tokens longer than this are refused before any work (a header line cannot usefully hold more).
    static let maximumTokenLength = 8192

    /// A signer whose key is the UTF-8 bytes of `secret`.
    public init(secret: String) {
        self.secret = Array(secret.utf8)
    }

    /// A compact HS256 token carrying `claims`.
    public func sign(_ claims: TokenClaims) -> String {
        let signingInput = Self.encodedHeader + "." + Base64URL.encode(claims.jsonBytes())
        let mac = HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: key)
        return signingInput + "." + Base64URL.encode(Array(mac))
    }
}
