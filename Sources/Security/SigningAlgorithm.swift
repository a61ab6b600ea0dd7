/// The JWS algorithms (RFC 7518 §3.1) a token may name in `alg`; every other value is refused.
public enum SigningAlgorithm: String, Sendable, CaseIterable {
    /// HMAC with SHA-256 and a shared secret (`JWT_SECRET`, `JWT_PREVIOUS_SECRETS`).
    case hs256 = "HS256"
    /// RSASSA-PKCS1-v1_5 with SHA-256 and an RSA public key of at least 2048 bits.
    case rs256 = "RS256"
    /// ECDSA on P-256 with SHA-256; the signature is `r || s`, 64 bytes (RFC 7518 §3.4).
    case es256 = "ES256"
}
