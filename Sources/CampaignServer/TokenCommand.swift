import ArgumentParser
import Foundation
import Security
import ServerConfiguration

/// Prints a token signed with the configured `JWT_SECRET`, for the dashboard, curl or the benchmark.
struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Print a signed HS256 token (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE and the claim names from the environment or .env).")

    @Option(help: "The subject: recorded as the actor of every change made with this token.")
    var sub: String

    @Option(help: "viewer (read and subscribe), editor (also write tasks) or admin (also create campaigns).")
    var role: String = "viewer"

    @Option(name: .customLong("campaign"), help: "A campaign id the token may use (repeatable), or * for all.")
    var campaigns: [String] = []

    @Option(help: "Lifetime, e.g. 30m, 8h, 7d or 3600 (seconds).")
    var ttl: String = "8h"

    @Option(name: .long, help: "The .env file to read.")
    var envFile: String = ".env"

    func run() throws {
        guard let role = Role(rawValue: role) else {
            throw ValidationError("--role must be viewer, editor or admin")
        }
        guard !sub.isEmpty else { throw ValidationError("--sub must not be empty (the server refuses an empty subject)") }
        guard let lifetime = TokenLifetime.seconds(ttl) else {
            throw ValidationError("--ttl must be a positive duration such as 30m, 8h, 7d or 3600 (seconds), ending by the year 9999")
        }
        guard !campaigns.isEmpty else { throw ValidationError("give at least one --campaign <id>, or --campaign '*'") }
        let scope: CampaignScope
        if campaigns == ["*"] {
            scope = .all
        } else {
            guard !campaigns.contains("*") else { throw ValidationError("--campaign '*' cannot be combined with campaign ids") }
            let ids = campaigns.map { $0.lowercased() }
            guard ids.allSatisfy(Self.isUUID) else { throw ValidationError("--campaign must be a campaign id (a UUID) or *") }
            scope = .only(Set(ids))
        }
        let source = try EnvironmentSource.process(dotEnvPath: envFile)
        guard let secret = source["JWT_SECRET"], !secret.isEmpty else {
            throw ValidationError("JWT_SECRET is not set (in the environment or \(envFile))")
        }
        let now = Int64(Date().timeIntervalSince1970)
        guard let expiresAt = TokenLifetime.expiry(issuedAt: now, lifetime: lifetime) else {
            throw ValidationError("--ttl is too long: a token must expire by 9999-12-31T23:59:59Z")
        }
        let claims = TokenClaims(subject: sub, expiresAt: expiresAt, role: role, campaigns: scope, issuedAt: now)
        let settings: AppConfiguration
        do {
            settings = try AppConfiguration.load(from: source)
        } catch {
            throw ValidationError("configuration error: \(error)")
        }
        let token = JWTSigner(secret: secret).sign(claims, policy: TokenPolicy(settings.authentication))
        // The server refuses longer tokens, so a long --campaign list would print an unusable token.
        guard token.utf8.count <= JWTSigner.maximumTokenLength else {
            throw ValidationError(
                "the token would be \(token.utf8.count) bytes, more than the \(JWTSigner.maximumTokenLength) the server accepts: give fewer --campaign ids, or '*'")
        }
        print(token)
    }

    static func isUUID(_ text: String) -> Bool {
        UUID(uuidString: text) != nil
    }
}
