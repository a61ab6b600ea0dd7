extension AppConfiguration {
    /// How bearer tokens are checked.
    public struct Authentication: Sendable, Equatable {
        /// JWT_SECRET (HS256 key); required unless `disabled`.
        public var jwtSecret: String?
        /// AUTH_DISABLED: every request acts as an admin; the server then listens on loopback only and
        /// serves only requests whose `Host` is a loopback name (DNS rebinding).
        public var disabled: Bool
        /// JWT_LEEWAY_SECONDS: clock skew tolerated around `exp`.
        public var leewaySeconds: Int64

        public init(jwtSecret: String? = nil, disabled: Bool = false, leewaySeconds: Int64 = 30) {
            self.jwtSecret = jwtSecret
            self.disabled = disabled
            self.leewaySeconds = leewaySeconds
        }

        /// JWT_SECRET must have at least this many bytes (the size of an HMAC-SHA256 key).
        public static let minimumSecretBytes = 32
    }
}
