import Crypto
import Foundation
import Testing
import _CryptoExtras
@testable import Security

/// A key file may hold RSA keys, P-256 keys, keys of kinds we do not read and broken blocks. Only
/// the P-256 ones reach a swift-crypto PEM parser: its RSA parser frees a key twice when it fails,
/// a heap corruption that aborted the test process in CI, later and elsewhere.
@Suite struct SubjectPublicKeyInfoTests {
    @Test func theKeyKindIsReadFromTheBlock() throws {
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey
        guard case .rsa(let modulus, let exponent) = SubjectPublicKeyInfo(pem: rsa.pemRepresentation) else {
            Issue.record("an RSA block was not read as RSA")
            return
        }
        #expect(exponent == [0x01, 0x00, 0x01])
        let rebuilt = try _RSA.Signing.PublicKey(n: modulus, e: exponent)
        #expect(rebuilt.derRepresentation == rsa.derRepresentation)

        #expect(SubjectPublicKeyInfo(pem: P256.Signing.PrivateKey().publicKey.pemRepresentation) == .ellipticCurve)
        #expect(SubjectPublicKeyInfo(pem: Self.ed25519PEM()) == .other)
        #expect(SubjectPublicKeyInfo(pem: Self.brokenRSAPEM) == .other)
        #expect(SubjectPublicKeyInfo(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----") == .other)
        #expect(SubjectPublicKeyInfo(pem: "not a key") == .other)
    }

    @Test func keysThatAreNotRSAOrAreBrokenAreRefusedWithoutCorruptingTheHeap() throws {
        // Each of these went through swift-crypto's RSA parser and its double free before. Under
        // ThreadSanitizer (scripts/test runs this suite so) the first double free aborts the process.
        let p256 = P256.Signing.PrivateKey().publicKey.pemRepresentation
        for _ in 0..<200 {
            #expect(try PEMPublicKeys.parse(Array(p256.utf8), path: "keys.pem").count == 1)
            #expect(throws: KeyFileError.self) { try PEMPublicKeys.parse(Array(Self.ed25519PEM().utf8), path: "keys.pem") }
            #expect(throws: KeyFileError.self) { try PEMPublicKeys.parse(Array(Self.brokenRSAPEM.utf8), path: "keys.pem") }
        }
    }

    /// An Ed25519 key as a SubjectPublicKeyInfo block (RFC 8410 §4): a kind we do not read.
    private static func ed25519PEM() -> String {
        let prefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
        let der = prefix + Array(Curve25519.Signing.PrivateKey().publicKey.rawRepresentation)
        return "-----BEGIN PUBLIC KEY-----\n" + Data(der).base64EncodedString() + "\n-----END PUBLIC KEY-----"
    }

    /// Declares rsaEncryption, but its key is three bytes that are no RSAPublicKey.
    private static let brokenRSAPEM: String = {
        let der: [UInt8] = [0x30, 0x16, 0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01,
                            0x05, 0x00, 0x03, 0x05, 0x00, 0x30, 0x03, 0x02, 0x01]
        return "-----BEGIN PUBLIC KEY-----\n" + Data(der).base64EncodedString() + "\n-----END PUBLIC KEY-----"
    }()
}
