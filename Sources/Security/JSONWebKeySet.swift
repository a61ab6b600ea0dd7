import CampaignModel
import Crypto
import _CryptoExtras

/// `JWT_JWKS_FILE`: a JWK Set (RFC 7517 §5) as an identity provider publishes it at its `jwks_uri`.
///
/// RSA keys (RS256) and P-256 keys (ES256) are used; keys for encryption (`use: enc`), other
/// algorithms or curves are skipped, since a provider's set often holds them too. A usable key without
/// `kid` gets its RFC 7638 thumbprint. A malformed usable key, or a set with no usable key, fails the load.
enum JSONWebKeySet {
    static func parse(_ bytes: [UInt8], path: String) throws(KeyFileError) -> [VerificationKey] {
        guard let document = try? JSONParser.parse(bytes) else { throw KeyFileError(path: path, reason: "is not JSON") }
        guard case .array(let entries)? = document["keys"] else {
            throw KeyFileError(path: path, reason: "has no `keys` array (a JWK Set, RFC 7517 §5)")
        }
        var keys: [VerificationKey] = []
        for (index, entry) in entries.enumerated() {
            guard case .object = entry else { throw KeyFileError(path: path, reason: "keys[\(index)] is not an object") }
            guard let material = try material(entry, index: index, path: path) else { continue }
            let id: String
            switch entry["kid"] {
            case .string(let given)?: id = given
            case nil: id = JWKThumbprint.of(material) ?? ""
            default: throw KeyFileError(path: path, reason: "keys[\(index)].kid is not a string")
            }
            guard !keys.contains(where: { $0.id == id }) else {
                throw KeyFileError(path: path, reason: "keys[\(index)]: the kid \(id) is used twice")
            }
            keys.append(VerificationKey(id: id, material: material))
        }
        guard !keys.isEmpty else { throw KeyFileError(path: path, reason: "holds no RS256 or ES256 signing key") }
        return keys
    }

    /// The key's material, nil for a key this server does not verify with.
    private static func material(_ jwk: JSONValue, index: Int, path: String) throws(KeyFileError) -> VerificationKey.Material? {
        if let use = jwk["use"], use != .string("sig") { return nil }
        let algorithm: SigningAlgorithm?
        switch jwk["alg"] {
        case nil: algorithm = nil
        case .string(let name)?: algorithm = SigningAlgorithm(rawValue: name)
            if algorithm == nil || algorithm == .hs256 { return nil }
        default: throw KeyFileError(path: path, reason: "keys[\(index)].alg is not a string")
        }
        func member(_ name: String) throws(KeyFileError) -> [UInt8] {
            guard case .string(let text)? = jwk[name], let bytes = Base64URL.decode(Substring(text)), !bytes.isEmpty else {
                throw KeyFileError(path: path, reason: "keys[\(index)].\(name) is missing or not base64url")
            }
            return bytes
        }
        switch jwk["kty"] {
        case .string("RSA")?:
            guard algorithm == nil || algorithm == .rs256 else { return nil }
            let n = try member("n"), e = try member("e")
            guard let key = try? _RSA.Signing.PublicKey(n: n, e: e), key.keySizeInBits >= 2048 else {
                throw KeyFileError(path: path, reason: "keys[\(index)] is not an RSA public key of at least 2048 bits")
            }
            return .rsa(key)
        case .string("EC")?:
            guard jwk["crv"] == .string("P-256"), algorithm == nil || algorithm == .es256 else { return nil }
            let x = try member("x"), y = try member("y")
            // Parsed once here so that a point off the curve fails the load, not each token.
            guard x.count == 32, y.count == 32, (try? P256.Signing.PublicKey(rawRepresentation: x + y)) != nil else {
                throw KeyFileError(path: path, reason: "keys[\(index)] is not a P-256 public key")
            }
            return .p256(point: x + y)
        default:
            return nil
        }
    }
}
