// libFuzzer target for HS256 token verification (Sources/Security: JWTSigner+Verification,
// TokenClaims+JSON, Base64URL, and the JSON parser under them).
//
// Input layout: 1 control byte, then the rest.
//   byte 0: bits 0-1 how the rest becomes a token:
//             0 the rest is the payload, signed with the test secret under the standard header;
//             1 the rest is header JSON, an LF, then payload, both signed with the test secret;
//             2 the rest is the token text itself (raw: almost always a bad signature);
//             3 the rest is the signing input text (`header.payload`, anything), signed with the test secret;
//           bits 2-4 pick `now`, bits 5-7 the leeway (both include the extremes of Int64).
//
// Signing with the test secret gets the fuzzer past the signature, into the claims code. The harness
// signs with swift-crypto's HMAC directly, not with JWTSigner, so the verifier is checked against a
// signer it does not share code with.

@testable import CampaignAPI
import CampaignModel
import Crypto
import HTTP
@testable import Security

let fuzzTargetName = "JWT"
let nows: [Int64] = [0, 1_700_000_000, 1_893_456_000, 253_402_300_799, .max, .min, -1, 4_102_444_800]
let leeways: [Int64] = [0, 1, 30, 300, -5, .max, .min, 86_400]
let standardHeader = Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)

func signature(of signingInput: String) -> [UInt8] {
    Array(HMAC<SHA256>.authenticationCode(for: Array(signingInput.utf8), using: SymmetricKey(data: Array(secret.utf8))))
}

func signed(_ signingInput: String) -> String {
    signingInput + "." + Base64URL.encode(signature(of: signingInput))
}

/// The token the input describes.
func token(mode: UInt8, _ rest: ArraySlice<UInt8>) -> String {
    switch mode {
    case 0:
        return signed(Base64URL.encode(standardHeader) + "." + Base64URL.encode(rest))
    case 1:
        let split = rest.firstIndex(of: 0x0A) ?? rest.endIndex
        let payload = split < rest.endIndex ? rest[(split + 1)...] : []
        return signed(Base64URL.encode(rest[..<split]) + "." + Base64URL.encode(payload))
    case 2:
        return String(decoding: rest, as: UTF8.self)
    default:
        return signed(String(decoding: rest, as: UTF8.self))
    }
}

func checkClaims(_ claims: TokenClaims, token: String, now: Int64, leeway: Int64) {
    check(TokenClaims.numericDateRange.contains(claims.expiresAt), "exp \(claims.expiresAt) outside the accepted range")
    if let issuedAt = claims.issuedAt {
        check(TokenClaims.numericDateRange.contains(issuedAt), "iat \(issuedAt) outside the accepted range")
    }
    let (deadline, overflow) = claims.expiresAt.addingReportingOverflow(max(0, leeway))
    check(overflow || now < deadline, "accepted at \(now) a token that expired at \(claims.expiresAt) (leeway \(leeway))")
    check(!claims.subject.isEmpty, "an empty subject")
    if case .only(let ids) = claims.campaigns {
        for id in ids { check(Identifier.normalized(id) == id, "campaign \(id.debugDescription) is not a normalized UUID") }
    }
    // Only a token carrying our signature is accepted (the raw mode forges nothing).
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    check(parts.count == 3 && Base64URL.decode(parts[2]) == signature(of: "\(parts[0]).\(parts[1])"),
        "accepted a token whose signature is not the test secret's")
    // What the stream handler does with `exp`: milliseconds and RFC 3339 text, exact within the range.
    let expiry = Timestamp(secondsSinceEpoch: claims.expiresAt)
    check(expiry.millisecondsSinceEpoch == claims.expiresAt * 1000, "exp in milliseconds is wrong")
    check(Timestamp(rfc3339: expiry.rfc3339) == expiry, "exp \(claims.expiresAt) does not survive RFC 3339 (\(expiry.rfc3339))")
    // The claims, signed again by the server's own signer, verify to the same claims.
    switch signer.verify(signer.sign(claims), now: now, leewaySeconds: leeway) {
    case .success(let again): check(again == claims, "re-signed claims verify to \(again), not \(claims)")
    case .failure(let error): check(false, "re-signed claims \(claims) are refused: \(error)")
    }
}

func checkRefusal(_ error: TokenError, token: String) {
    let response = APIError.unauthorized(error).response()
    check(response.status.code == 401, "\(error) answers \(response.status.code), not 401")
    check(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true, "\(error) has no Bearer challenge")
    guard case .bytes(let body) = response.body else { return check(false, "\(error) answers with a stream") }
    checkErrorShape(body, "\(error)")
    // Token text is never echoed (a message is fixed text plus, at most, a claim's name). Compared as
    // bytes: Foundation's `contains`, which the imports bring in, stops at a NUL.
    let message = Array(error.clientMessage.utf8)
    for part in token.split(separator: ".") where part.utf8.count >= 12 {
        check(!containsBytes(message, Array(part.utf8)), "the message of \(error) contains token text")
    }
}

func containsBytes(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    return (0...(haystack.count - needle.count)).contains { start in haystack[start..<(start + needle.count)].elementsEqual(needle) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJWT(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 1 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let control = input[0]
    let now = nows[Int(control >> 2 & 7)]
    let leeway = leeways[Int(control >> 5 & 7)]
    let text = token(mode: control & 3, input[1...])
    let result = signer.verify(text, now: now, leewaySeconds: leeway)
    if printOutcomes { report("token: \(text)\nnow \(now), leeway \(leeway): \(result)") }
    switch result {
    case .success(let claims): checkClaims(claims, token: text, now: now, leeway: leeway)
    case .failure(let error): checkRefusal(error, token: text)
    }
    return 0
}
