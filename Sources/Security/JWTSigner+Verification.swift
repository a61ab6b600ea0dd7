import CampaignModel
import Crypto

extension JWTSigner {
    /// Verifies `token` at `now` (unix seconds) and returns its claims, or why it is refused.
    ///
    /// The header is checked before the signature and the payload only after it, so nothing an
    /// unauthenticated party wrote is interpreted beyond what choosing the algorithm requires.
    public func verify(_ token: String, now: Int64, leewaySeconds: Int64 = 30) -> Result<TokenClaims, TokenError> {
        let utf8 = token.utf8
        if utf8.isEmpty { return .failure(.missing) }
        guard utf8.count <= Self.maximumTokenLength else { return .failure(.malformed) }

        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.malformed) }

        guard let headerBytes = Base64URL.decode(parts[0]), let header = try? JSONParser.parse(headerBytes) else {
            return .failure(.malformed)
        }
        if let failure = Self.checkHeader(header) { return .failure(failure) }

        guard let signature = Base64URL.decode(parts[2]) else { return .failure(.malformed) }
        guard signature.count == SHA256.byteCount else { return .failure(.badSignature) }
        let signingInput = token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count)
        // swift-crypto compares authentication codes in constant time.
        guard HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Array(signingInput), using: key) else {
            return .failure(.badSignature)
        }

        guard let payloadBytes = Base64URL.decode(parts[1]), let payload = try? JSONParser.parse(payloadBytes) else {
            return .failure(.malformed)
        }
        return TokenClaims.from(payload: payload, now: now, leewaySeconds: max(0, leewaySeconds))
    }

    /// Accepts only `alg: HS256` with the informational `typ` and `kid`; any other header parameter
    /// (`crit`, `jku`, `jwk`, `x5u`, `b64`, `zip`, `enc`, …) changes how a token must be processed,
    /// and a parameter we do not understand must not be silently ignored.
    private static func checkHeader(_ header: JSONValue) -> TokenError? {
        guard case .object(let object) = header else { return .malformed }
        guard case .string("HS256")? = header["alg"] else { return .unsupportedAlgorithm }
        for (name, value) in object.members {
            switch (name, value) {
            case ("alg", _): continue
            case ("typ", .string(let type)) where type.lowercased() == "jwt" || type.lowercased() == "at+jwt": continue
            case ("kid", .string): continue
            default: return .unsupportedAlgorithm
            }
        }
        return nil
    }
}
