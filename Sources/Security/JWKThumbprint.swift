import Crypto
import _CryptoExtras

/// RFC 7638 JWK thumbprints: the `kid` of a PEM key that is not given one, and of a JWKS key without `kid`.
enum JWKThumbprint {
    /// base64url(SHA-256) of the key's required members in lexicographic order, without white space.
    static func of(_ material: VerificationKey.Material) -> String? {
        let canonical: String
        switch material {
        case .hmac:
            return nil
        case .rsa(let key):
            guard let primitives = try? key.getKeyPrimitives() else { return nil }
            let e = Base64URL.encode(withoutLeadingZeros(Array(primitives.publicExponent)))
            let n = Base64URL.encode(withoutLeadingZeros(Array(primitives.modulus)))
            canonical = #"{"e":"\#(e)","kty":"RSA","n":"\#(n)"}"#
        case .p256(let raw):  // x || y, 32 bytes each
            let x = Base64URL.encode(raw.prefix(32)), y = Base64URL.encode(raw.suffix(32))
            canonical = #"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#
        }
        return Base64URL.encode(Array(SHA256.hash(data: Array(canonical.utf8))))
    }

    /// RFC 7518 §6.3.1: `n` and `e` are unsigned big-endian integers in their shortest form.
    private static func withoutLeadingZeros(_ bytes: [UInt8]) -> [UInt8] {
        let trimmed = Array(bytes.drop { $0 == 0 })
        return trimmed.isEmpty ? [0] : trimmed
    }
}
