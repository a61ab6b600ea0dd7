import Testing
@testable import ServerConfiguration

private typealias Fixtures = ConfigurationFixtures

/// JWT_PREVIOUS_SECRETS, the key files, issuer, audience and claim names.
@Suite struct TokenKeySettingsTests {
    static let other = "fedcba9876543210fedcba9876543210-old-secret"

    @Test func readsPreviousSecretsWithAndWithoutAnEnd() throws {
        let loaded = try Fixtures.load([
            "JWT_PREVIOUS_SECRETS": "\(Self.other)@2030-01-01T00:00:00Z,\(Self.other)x@1893456000,\(Self.other)y",
        ])
        #expect(loaded.authentication.previousSecrets == [
            AppConfiguration.PreviousSecret(Self.other, validUntil: 1_893_456_000), AppConfiguration.PreviousSecret(Self.other + "x", validUntil: 1_893_456_000),
            AppConfiguration.PreviousSecret(Self.other + "y"),
        ])
    }

    @Test func refusesAShortPreviousSecretOrABadEnd() throws {
        let short = try #require(Fixtures.error(["JWT_PREVIOUS_SECRETS": "short@2030-01-01T00:00:00Z"]))
        #expect(short.variable == "JWT_PREVIOUS_SECRETS")
        #expect(!short.description.contains("short"))
        for until in ["2030-02-30T00:00:00Z", "2030-01-01", "soon", "2030-01-01T24:00:00Z"] {
            let bad = try #require(Fixtures.error(["JWT_PREVIOUS_SECRETS": "\(Self.other)@\(until)"]), "\(until)")
            #expect(bad.variable == "JWT_PREVIOUS_SECRETS")
            #expect(!bad.description.contains(Self.other))
        }
    }

    @Test func aKeyFileIsEnoughWithoutAnHMACSecret() throws {
        let loaded = try Fixtures.load([
            "JWT_SECRET": "", "JWT_JWKS_FILE": "/etc/campaigns/jwks.json", "JWT_ISSUER": "https://id.example/",
            "JWT_AUDIENCE": "campaign-api", "JWT_ROLE_CLAIM": "https://app.example/role", "JWT_CAMPAIGNS_CLAIM": "scopes",
        ])
        let authentication = loaded.authentication
        #expect(authentication.jwtSecret == nil)
        #expect(authentication.jwksFile == "/etc/campaigns/jwks.json")
        #expect(authentication.issuer == "https://id.example/")
        #expect(authentication.audience == "campaign-api")
        #expect(authentication.roleClaim == "https://app.example/role")
        #expect(authentication.campaignsClaim == "scopes")
        #expect(try Fixtures.load(["JWT_SECRET": "", "JWT_PUBLIC_KEYS_FILE": "keys.pem"]).authentication.publicKeysFile == "keys.pem")
        #expect(Fixtures.error(["JWT_SECRET": ""])?.variable == "JWT_SECRET")
    }
}
