extension AppConfiguration {
    /// How bearer tokens are checked.
    public struct Authentication: Sendable, Equatable {
        /// JWT_SECRET (the HS256 key tokens are signed with now); one of it, JWT_PUBLIC_KEYS_FILE or
        /// JWT_JWKS_FILE is required unless `disabled`.
        public var jwtSecret: String?
        /// JWT_PREVIOUS_SECRETS: HS256 secrets still accepted while their tokens age out after a rotation.
        public var previousSecrets: [PreviousSecret]
        /// JWT_PUBLIC_KEYS_FILE: PEM public keys (RS256, ES256).
        public var publicKeysFile: String?
        /// JWT_JWKS_FILE: a JWK Set, read again on SIGHUP.
        public var jwksFile: String?
        /// JWT_ISSUER: the `iss` every token must carry; nil: not checked.
        public var issuer: String?
        /// JWT_AUDIENCE: a value the token's `aud` must hold; nil: not checked.
        public var audience: String?
        /// JWT_ROLE_CLAIM: the claim holding the role; nil: the token format's own (`role`).
        public var roleClaim: String?
        /// JWT_CAMPAIGNS_CLAIM: the claim holding the campaigns; nil: the token format's own (`campaigns`).
        public var campaignsClaim: String?
        /// AUTH_DISABLED: every request acts as an admin; the server then listens on loopback only and
        /// serves only requests whose `Host` is a loopback name (DNS rebinding).
        public var disabled: Bool
        /// JWT_LEEWAY_SECONDS: clock skew tolerated around `exp`.
        public var leewaySeconds: Int64

        public init(
            jwtSecret: String? = nil, previousSecrets: [PreviousSecret] = [], publicKeysFile: String? = nil,
            jwksFile: String? = nil, issuer: String? = nil, audience: String? = nil, roleClaim: String? = nil,
            campaignsClaim: String? = nil, disabled: Bool = false, leewaySeconds: Int64 = 30
        ) {
            self.jwtSecret = jwtSecret
            self.previousSecrets = previousSecrets
            self.publicKeysFile = publicKeysFile
            self.jwksFile = jwksFile
            self.issuer = issuer
            self.audience = audience
            self.roleClaim = roleClaim
            self.campaignsClaim = campaignsClaim
            self.disabled = disabled
            self.leewaySeconds = leewaySeconds
        }

        /// JWT_SECRET must have at least this many bytes (the size of an HMAC-SHA256 key).
        public static let minimumSecretBytes = 32

        /// Whether any way of verifying tokens is configured.
        public var hasKeys: Bool { jwtSecret != nil || !previousSecrets.isEmpty || publicKeysFile != nil || jwksFile != nil }
    }

    /// One entry of JWT_PREVIOUS_SECRETS: `SECRET` or `SECRET@UNTIL`, UNTIL being unix seconds or
    /// `YYYY-MM-DDTHH:MM:SSZ`; after UNTIL the secret's tokens are refused.
    public struct PreviousSecret: Sendable, Equatable {
        public var secret: String
        /// Unix seconds; nil: accepted until removed from the setting.
        public var validUntil: Int64?

        public init(_ secret: String, validUntil: Int64? = nil) {
            self.secret = secret
            self.validUntil = validUntil
        }
    }
}
