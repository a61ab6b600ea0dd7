import CampaignAPI
import CampaignModel

extension AppConfiguration {
    static func loadAuthentication(_ reader: SettingsReader) throws(ConfigurationError) -> Authentication {
        let defaults = Authentication()
        let disabled = try reader.boolean("AUTH_DISABLED", default: defaults.disabled)
        let secret = reader.secret("JWT_SECRET")
        // Checked even with auth disabled: the `token` command signs with it.
        if let secret { try checkSecretLength(secret, variable: "JWT_SECRET") }
        let previous = try previousSecrets(reader)
        let leeway = try reader.integer("JWT_LEEWAY_SECONDS", default: Int(defaults.leewaySeconds), in: 0...300)
        let authentication = Authentication(
            jwtSecret: secret, previousSecrets: previous, publicKeysFile: reader.text("JWT_PUBLIC_KEYS_FILE"),
            jwksFile: reader.text("JWT_JWKS_FILE"), issuer: reader.text("JWT_ISSUER"), audience: reader.text("JWT_AUDIENCE"),
            roleClaim: reader.text("JWT_ROLE_CLAIM"), campaignsClaim: reader.text("JWT_CAMPAIGNS_CLAIM"),
            disabled: disabled, leewaySeconds: Int64(leeway))
        if !authentication.hasKeys && !disabled {
            throw ConfigurationError(
                variable: "JWT_SECRET",
                expected: "set to a random secret of at least \(Authentication.minimumSecretBytes) bytes (for example "
                    + "`openssl rand -hex 32`), or JWT_PUBLIC_KEYS_FILE or JWT_JWKS_FILE set to an identity provider's keys, "
                    + "unless AUTH_DISABLED=true is set for local development",
                given: nil)
        }
        return authentication
    }

    private static func checkSecretLength(_ secret: String, variable: String) throws(ConfigurationError) {
        let minimum = Authentication.minimumSecretBytes
        guard secret.utf8.count >= minimum else {
            throw ConfigurationError(
                variable: variable, expected: "at least \(minimum) bytes long (for example `openssl rand -hex 32`)",
                given: "\(secret.utf8.count) bytes, value not shown")
        }
    }

    /// JWT_PREVIOUS_SECRETS: comma-separated `SECRET` or `SECRET@UNTIL` (a secret of hex or base64 text holds
    /// neither `,` nor `@`).
    private static func previousSecrets(_ reader: SettingsReader) throws(ConfigurationError) -> [PreviousSecret] {
        guard let text = reader.secret("JWT_PREVIOUS_SECRETS") else { return [] }
        var secrets: [PreviousSecret] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = entry.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false)
            let secret = String(parts[0])
            try checkSecretLength(secret, variable: "JWT_PREVIOUS_SECRETS")
            var validUntil: Int64?
            if parts.count == 2 {
                let until = String(parts[1]).trimmingWhitespace()
                guard let seconds = Int64(until) ?? UTCTimestamp.seconds(until) else {
                    throw ConfigurationError(
                        variable: "JWT_PREVIOUS_SECRETS",
                        expected: "comma-separated SECRET or SECRET@UNTIL, UNTIL being unix seconds or YYYY-MM-DDTHH:MM:SSZ",
                        given: "an entry ending @\(ConfigurationError.quote(until))")
                }
                validUntil = seconds
            }
            secrets.append(PreviousSecret(secret, validUntil: validUntil))
        }
        return secrets
    }
}
