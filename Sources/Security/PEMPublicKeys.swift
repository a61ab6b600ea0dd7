import Crypto
import Foundation
import _CryptoExtras

/// `JWT_PUBLIC_KEYS_FILE`: one or more `-----BEGIN PUBLIC KEY-----` blocks (SubjectPublicKeyInfo), each an
/// RSA key of at least 2048 bits (RS256) or a P-256 key (ES256).
///
/// A block's `kid` is given by a line `kid: NAME` among the text before it (RFC 7468 §5.2 lets
/// explanatory text stand between blocks); without one it is the key's RFC 7638 thumbprint, which
/// `openssl`/`jose`/`PyJWT` users can compute and put into their tokens' headers.
enum PEMPublicKeys {
    static let begin = "-----BEGIN PUBLIC KEY-----"
    static let end = "-----END PUBLIC KEY-----"

    static func parse(_ bytes: [UInt8], path: String) throws(KeyFileError) -> [VerificationKey] {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw KeyFileError(path: path, reason: "is not UTF-8 text")
        }
        var keys: [VerificationKey] = []
        var givenID: String?
        var block: [Substring]?
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if var lines = block {
                lines.append(line)
                block = lines
                guard trimmed == end else { continue }
                let number = keys.count + 1
                let material = try material(lines.joined(separator: "\n"), number: number, path: path)
                guard let id = givenID ?? JWKThumbprint.of(material) else {
                    throw KeyFileError(path: path, reason: "key \(number): its thumbprint cannot be computed")
                }
                guard !keys.contains(where: { $0.id == id }) else {
                    throw KeyFileError(path: path, reason: "key \(number): the kid \(id) is used twice")
                }
                keys.append(VerificationKey(id: id, material: material))
                givenID = nil
                block = nil
            } else if trimmed == begin {
                block = [line]
            } else if trimmed.hasPrefix("kid:") {
                let id = trimmed.dropFirst(4).trimmingCharacters(in: .whitespaces)
                guard !id.isEmpty else { throw KeyFileError(path: path, reason: "a `kid:` line names no key id") }
                givenID = id
            } else if trimmed.hasPrefix("-----BEGIN") {
                throw KeyFileError(path: path, reason: "holds \(trimmed); only \(begin) blocks are read")
            }
        }
        guard block == nil else { throw KeyFileError(path: path, reason: "ends inside a PEM block") }
        guard givenID == nil else { throw KeyFileError(path: path, reason: "ends with a `kid:` line that no key follows") }
        guard !keys.isEmpty else { throw KeyFileError(path: path, reason: "holds no \(begin) block") }
        return keys
    }

    private static func material(_ pem: String, number: Int, path: String) throws(KeyFileError) -> VerificationKey.Material {
        switch SubjectPublicKeyInfo(pem: pem) {
        case .rsa(let modulus, let exponent):
            if let rsa = try? _RSA.Signing.PublicKey(n: modulus, e: exponent), rsa.keySizeInBits >= 2048 { return .rsa(rsa) }
        case .ellipticCurve:
            if let p256 = try? P256.Signing.PublicKey(pemRepresentation: pem) { return .p256(point: Array(p256.rawRepresentation)) }
        case .other:
            break
        }
        throw KeyFileError(path: path, reason: "key \(number) is neither an RSA key of at least 2048 bits nor a P-256 key")
    }
}
