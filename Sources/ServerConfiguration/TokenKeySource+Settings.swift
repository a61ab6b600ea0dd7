import Security

extension TokenKeySource {
    /// The keys and payload policy the settings name; nil when authentication is disabled.
    public init?(_ settings: AppConfiguration.Authentication) {
        guard !settings.disabled else { return nil }
        // The current secret first: it verifies most tokens, so it is tried first.
        let current = settings.jwtSecret.map { [Secret($0)] } ?? []
        let previous = settings.previousSecrets.map { Secret($0.secret, validUntil: $0.validUntil) }
        self.init(
            secrets: current + previous, publicKeysFile: settings.publicKeysFile, jwksFile: settings.jwksFile,
            policy: TokenPolicy(settings))
    }
}

extension TokenPolicy {
    /// The issuer, audience and claim names the settings give; the server checks tokens with it and the
    /// `token` command writes its tokens with it.
    public init(_ settings: AppConfiguration.Authentication) {
        self.init(issuer: settings.issuer, audience: settings.audience)
        if let roleClaim = settings.roleClaim { self.roleClaim = roleClaim }
        if let campaignsClaim = settings.campaignsClaim { self.campaignsClaim = campaignsClaim }
    }
}
