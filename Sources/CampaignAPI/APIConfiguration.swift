import HTTP
import Realtime
import Security

/// What the routes need to know about the deployment, distilled from the server's settings.
public struct APIConfiguration: Sendable {
    /// Every request acts as an admin (`AUTH_DISABLED=true`, loopback only).
    public var authDisabled: Bool
    /// Verifies bearer tokens; nil only when auth is disabled.
    public var signer: JWTSigner?
    public var tokenLeewaySeconds: Int64
    /// nil: no CORS headers at all.
    public var cors: CORSPolicy?
    /// When set, `/metrics` wants `Authorization: Bearer <token>`.
    public var metricsToken: String?
    public var realtime: RealtimeConfiguration
    /// Seconds in `Retry-After` when overloaded.
    public var retryAfterSeconds: Int

    public init(
        authDisabled: Bool, signer: JWTSigner?, tokenLeewaySeconds: Int64 = 30, cors: CORSPolicy? = nil, metricsToken: String? = nil,
        realtime: RealtimeConfiguration = .init(), retryAfterSeconds: Int = 5
    ) {
        self.authDisabled = authDisabled
        self.signer = signer
        self.tokenLeewaySeconds = tokenLeewaySeconds
        self.cors = cors
        self.metricsToken = metricsToken
        self.realtime = realtime
        self.retryAfterSeconds = retryAfterSeconds
    }
}
