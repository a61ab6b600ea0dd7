extension AppConfiguration {
    /// Which other origins' pages may call the API.
    public struct CORS: Sendable, Equatable {
        /// CORS_ORIGINS: lower-case origins without a trailing slash, or `["*"]`; empty means no CORS headers.
        public var origins: [String]

        public init(origins: [String] = []) {
            self.origins = origins
        }

        /// Whether every origin is allowed (only possible with auth disabled).
        public var allowsAnyOrigin: Bool { origins == ["*"] }
    }
}
