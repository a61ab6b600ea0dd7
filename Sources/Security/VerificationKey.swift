import Crypto
import _CryptoExtras

/// One key a token may be signed with. Each key verifies exactly one algorithm, so the bytes of an
/// RSA key can never be taken as an HS256 secret (the `alg` confusion of RFC 8725 §2.1).
public struct VerificationKey: Sendable {
    public enum Material: Sendable {
        /// An HS256 secret's bytes (`SymmetricKey` is not `Sendable` in swift-crypto 3, so a key is made per use).
        case hmac([UInt8])
        case rsa(_RSA.Signing.PublicKey)
        /// A P-256 point as `x || y` (64 bytes); `P256.Signing.PublicKey` is not `Sendable` in swift-crypto 3,
        /// so the key is made per use from these already validated bytes.
        case p256(point: [UInt8])
    }

    /// The `kid` that selects this key; nil for a secret that any token without a known `kid` may try.
    public let id: String?
    public let material: Material
    /// Unix seconds after which this key is retired and its tokens refused (a rotated-out secret); nil: no end.
    public let validUntil: Int64?

    public init(id: String?, material: Material, validUntil: Int64? = nil) {
        self.id = id
        self.material = material
        self.validUntil = validUntil
    }

    /// An HS256 key from the UTF-8 bytes of `secret`.
    public static func hmac(_ secret: String, id: String? = nil, validUntil: Int64? = nil) -> VerificationKey {
        VerificationKey(id: id, material: .hmac(Array(secret.utf8)), validUntil: validUntil)
    }

    public var algorithm: SigningAlgorithm {
        switch material {
        case .hmac: .hs256
        case .rsa: .rs256
        case .p256: .es256
        }
    }

    func isRetired(at now: Int64) -> Bool {
        guard let validUntil else { return false }
        return now > validUntil
    }

    /// Whether `signature` signs `signingInput` under this key; the comparisons are swift-crypto's.
    func isValidSignature(_ signature: [UInt8], for signingInput: [UInt8]) -> Bool {
        switch material {
        case .hmac(let secret):
            guard signature.count == SHA256.byteCount else { return false }
            // swift-crypto compares authentication codes in constant time.
            return HMAC<SHA256>.isValidAuthenticationCode(
                signature, authenticating: signingInput, using: SymmetricKey(data: secret))
        case .rsa(let key):
            guard signature.count == key.keySizeInBits / 8 else { return false }
            let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
            return key.isValidSignature(rsaSignature, for: SHA256.hash(data: signingInput), padding: .insecurePKCS1v1_5)
        case .p256(let point):
            guard signature.count == 64, let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature),
                  let key = try? P256.Signing.PublicKey(rawRepresentation: point)
            else { return false }
            return key.isValidSignature(ecdsa, for: signingInput)
        }
    }
}
