import SwiftASN1

/// What a `PUBLIC KEY` PEM block (a SubjectPublicKeyInfo, RFC 5280 §4.1) holds, read with
/// swift-asn1 before any of it reaches swift-crypto.
///
/// Why not `_RSA.Signing.PublicKey(pemRepresentation:)`: in swift-crypto 3.12 its parser frees
/// its key twice when the block is not a well-formed RSA key (once in its failure path, again in
/// its deinit). Trying a P-256 key as RSA first corrupted the heap, and the process aborted later,
/// elsewhere. An RSA key is therefore built from its modulus and exponent, which is safe.
enum SubjectPublicKeyInfo: Equatable {
    /// RSAPublicKey's modulus and public exponent, big-endian (RFC 8017 appendix A.1.1).
    case rsa(modulus: [UInt8], exponent: [UInt8])
    /// An id-ecPublicKey key; swift-crypto's P-256 parser reads these safely.
    case ellipticCurve
    /// Another algorithm, or not a well-formed SubjectPublicKeyInfo.
    case other

    /// rsaEncryption (RFC 8017 appendix A.1).
    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 1]
    /// id-ecPublicKey (RFC 5480 §2.1.1).
    static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10045, 2, 1]

    init(pem: String) {
        guard let document = try? PEMDocument(pemString: pem), document.discriminator == "PUBLIC KEY",
              let info = try? Self.parse(der: document.derBytes)
        else {
            self = .other
            return
        }
        self = info
    }

    /// SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
    /// AlgorithmIdentifier ::= SEQUENCE { algorithm OBJECT IDENTIFIER, parameters ANY OPTIONAL }
    private static func parse(der: [UInt8]) throws -> SubjectPublicKeyInfo {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { fields in
            guard let algorithmNode = fields.next() else {
                throw ASN1Error.invalidASN1Object(reason: "no AlgorithmIdentifier")
            }
            let algorithm = try DER.sequence(algorithmNode, identifier: .sequence) { parts in
                let identifier = try ASN1ObjectIdentifier(derEncoded: &parts)
                _ = parts.next()
                return identifier
            }
            let key = try ASN1BitString(derEncoded: &fields)
            switch algorithm {
            case rsaEncryption: return try rsaPublicKey(der: Array(key.bytes))
            case ecPublicKey: return .ellipticCurve
            default: return .other
            }
        }
    }

    /// RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
    private static func rsaPublicKey(der: [UInt8]) throws -> SubjectPublicKeyInfo {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { fields in
            let modulus = try ArraySlice<UInt8>(derEncoded: &fields)
            let exponent = try ArraySlice<UInt8>(derEncoded: &fields)
            return .rsa(modulus: Array(modulus), exponent: Array(exponent))
        }
    }
}
