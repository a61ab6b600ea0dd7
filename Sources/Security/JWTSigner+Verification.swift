extension JWTSigner {
    /// Verifies `token` against this signer's secret alone, with the default claim names and no
    /// issuer or audience check (the `token` command's own tokens, tests, the fuzz target).
    public func verify(_ token: String, now: Int64, leewaySeconds: Int64 = 30) -> Result<TokenClaims, TokenError> {
        TokenVerifier(keys: [VerificationKey(id: nil, material: .hmac(secret))]).verify(
            token, now: now, leewaySeconds: leewaySeconds)
    }
}
