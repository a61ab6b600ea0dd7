import Foundation
import Testing
@testable import Security

@Suite struct Base64URLTests {
    /// Foundation's base64, translated to the URL alphabet without padding, as an independent reference.
    func reference(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    @Test func agreesWithFoundationForEveryLength() {
        var generator = SystemRandomNumberGenerator()
        for length in 0...64 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let encoded = Base64URL.encode(bytes)
            #expect(encoded == reference(bytes))
            #expect(Base64URL.decode(Substring(encoded)) == bytes)
        }
    }

    @Test func refusesEverythingButCanonicalUnpaddedText() {
        #expect(Base64URL.decode("QQ") == [0x41])
        #expect(Base64URL.decode("QQ==") == nil)
        #expect(Base64URL.decode("QR") == nil)
        #expect(Base64URL.decode("Q") == nil)
        #expect(Base64URL.decode("QUJD+w") == nil)
        #expect(Base64URL.decode("QUJD/w") == nil)
        #expect(Base64URL.decode("QUJD-w") == [0x41, 0x42, 0x43, 0xFB])
        #expect(Base64URL.decode("QU JD") == nil)
        #expect(Base64URL.decode("") == [])
    }
}
