import Crypto
import Foundation

/// Hand-made JWTs: any header, any payload, signed with any key and algorithm, so the tests can
/// send exactly the tokens an attacker or a buggy client would.
enum TokenForge {
    enum Signature {
        case hs256(String)
        case hs512(String)
        case none
        case garbage
    }

    static func token(header: String = #"{"alg":"HS256","typ":"JWT"}"#, payload: String, signature: Signature) -> String {
        let input = base64URL(Array(header.utf8)) + "." + base64URL(Array(payload.utf8))
        switch signature {
        case .hs256(let secret):
            return input + "." + base64URL(Array(HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: Array(secret.utf8)))))
        case .hs512(let secret):
            return input + "." + base64URL(Array(HMAC<SHA512>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: Array(secret.utf8)))))
        case .none:
            return input + "."
        case .garbage:
            return input + "." + base64URL(Array(repeating: 0xAB, count: 32))
        }
    }

    /// A payload with the usual claims; pass nil to leave a claim out.
    static func payload(sub: String? = "mallory", role: String? = "admin", campaigns: String? = #"["*"]"#, exp: Int64? = now + 3600) -> String {
        var members: [String] = []
        if let sub { members.append(#""sub":"\#(sub)""#) }
        if let role { members.append(#""role":"\#(role)""#) }
        if let campaigns { members.append(#""campaigns":\#(campaigns)"#) }
        if let exp { members.append(#""exp":\#(exp)"#) }
        return "{" + members.joined(separator: ",") + "}"
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
