import CampaignModel

/// Verifies compact JWS tokens (RFC 7515, RFC 7519) against a set of keys and a payload policy.
/// The one verification path: `JWTSigner.verify` and the server both come here.
public struct TokenVerifier: Sendable {
    public let keys: [VerificationKey]
    public let policy: TokenPolicy

    public init(keys: [VerificationKey], policy: TokenPolicy = TokenPolicy()) {
        self.keys = keys
        self.policy = policy
    }

    /// Verifies `token` at `now` (unix seconds) and returns its claims, or why it is refused.
    ///
    /// The header is checked before the signature and the payload only after it, so nothing an
    /// unauthenticated party wrote is interpreted beyond what choosing the algorithm and key requires.
    public func verify(_ token: String, now: Int64, leewaySeconds: Int64 = 30) -> Result<TokenClaims, TokenError> {
        let utf8 = token.utf8
        if utf8.isEmpty { return .failure(.missing) }
        guard utf8.count <= JWTSigner.maximumTokenLength else { return .failure(.malformed) }

        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return .failure(.malformed) }

        guard let headerBytes = Base64URL.decode(parts[0]), let header = try? JSONParser.parse(headerBytes) else {
            return .failure(.malformed)
        }
        let algorithm: SigningAlgorithm, keyID: String?
        switch Self.readHeader(header) {
        case .success(let read): (algorithm, keyID) = read
        case .failure(let error): return .failure(error)
        }
        guard keys.contains(where: { $0.algorithm == algorithm }) else { return .failure(.unsupportedAlgorithm) }
        let candidates = candidateKeys(algorithm: algorithm, keyID: keyID)
        if candidates.isEmpty { return .failure(.unknownKey) }

        guard let signature = Base64URL.decode(parts[2]) else { return .failure(.malformed) }
        let signingInput = Array(utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        // A retired rotation secret is skipped: its tokens fail exactly like a wrong signature.
        let verified = candidates.contains { !$0.isRetired(at: now) && $0.isValidSignature(signature, for: signingInput) }
        guard verified else { return .failure(.badSignature) }

        guard let payloadBytes = Base64URL.decode(parts[1]), let payload = try? JSONParser.parse(payloadBytes) else {
            return .failure(.malformed)
        }
        return TokenClaims.from(payload: payload, now: now, leewaySeconds: max(0, leewaySeconds), policy: policy)
    }

    /// The keys of `algorithm` a token may be checked against: with a `kid`, the keys of that id, or, when
    /// no key has it, the keys without an id (a `kid` is informational for them, as it was for HS256 before
    /// key ids existed here); without a `kid`, every key of the algorithm.
    func candidateKeys(algorithm: SigningAlgorithm, keyID: String?) -> [VerificationKey] {
        let ofAlgorithm = keys.filter { $0.algorithm == algorithm }
        guard let keyID else { return ofAlgorithm }
        let named = ofAlgorithm.filter { $0.id == keyID }
        return named.isEmpty ? ofAlgorithm.filter { $0.id == nil } : named
    }

    /// Accepts only a supported `alg` with the informational `typ`, `kid`, `x5t` and `x5t#S256`; any
    /// other header parameter (`crit`, `jku`, `jwk`, `x5u`, `x5c`, `b64`, `zip`, `enc`, …) changes how a
    /// token must be processed or where its key comes from, and must not be silently ignored.
    private static func readHeader(_ header: JSONValue) -> Result<(SigningAlgorithm, String?), TokenError> {
        guard case .object(let object) = header else { return .failure(.malformed) }
        guard case .string(let name)? = header["alg"], let algorithm = SigningAlgorithm(rawValue: name) else {
            return .failure(.unsupportedAlgorithm)
        }
        var keyID: String?
        for (name, value) in object.members {
            switch (name, value) {
            case ("alg", _): continue
            case ("typ", .string(let type)) where type.lowercased() == "jwt" || type.lowercased() == "at+jwt": continue
            case ("kid", .string(let id)): keyID = id
            case ("x5t", .string), ("x5t#S256", .string): continue
            default: return .failure(.unsupportedAlgorithm)
            }
        }
        return .success((algorithm, keyID))
    }
}
