import HTTP
import Realtime
import Security

/// What the routes need to know about the deployment, built from the server's settings by `AppConfiguration`.
public struct APIConfiguration: Sendable {
    /// Every request acts as an admin (`AUTH_DISABLED=true`, loopback only); only loopback `Host` names are served.
    public var authDisabled: Bool
    /// The keys bearer tokens are verified with; nil only when auth is disabled.
    public var tokenKeys: TokenKeys?
    public var tokenLeewaySeconds: Int64
    /// nil: no CORS headers at all.
    public var cors: CORSPolicy?
    /// When set, `/metrics` wants `Authorization: Bearer <token>`.
    public var metricsToken: String?
    public var realtime: RealtimeConfiguration
    /// Seconds in `Retry-After` when overloaded (the API answers the transport's connection limit).
    public var retryAfterSeconds: Int
    /// Event streams one token subject may hold open at once (0 = no cap; never applied with auth disabled).
    public var maximumStreamsPerSubject: Int
    /// Campaigns one multi-campaign stream may carry (MAX_CAMPAIGNS_PER_STREAM).
    public var maximumCampaignsPerStream: Int
    /// How long one `/api/health` answer is reused, so a flood of health checks costs the database
    /// at most one round trip per this period.
    public var healthCacheMilliseconds: UInt64
    /// One info line per request (ACCESS_LOG).
    public var accessLog: Bool
    /// Peers whose `X-Forwarded-For` names the client in log lines (TRUSTED_PROXIES).
    public var trustedProxies: TrustedProxies

    /// The parameters without a default are the operator's settings (and the HTTP server's `Retry-After`):
    /// their defaults live once, in `AppConfiguration` (ServerConfiguration), which builds this value
    /// (`AppConfiguration.api(tokenKeys:)`).
    public init(
        authDisabled: Bool, tokenKeys: TokenKeys?, tokenLeewaySeconds: Int64, cors: CORSPolicy?, metricsToken: String?,
        realtime: RealtimeConfiguration, retryAfterSeconds: Int, maximumStreamsPerSubject: Int,
        maximumCampaignsPerStream: Int, healthCacheMilliseconds: UInt64 = 1000, accessLog: Bool,
        trustedProxies: TrustedProxies
    ) {
        self.authDisabled = authDisabled
        self.tokenKeys = tokenKeys
        self.tokenLeewaySeconds = tokenLeewaySeconds
        self.cors = cors
        self.metricsToken = metricsToken
        self.realtime = realtime
        self.retryAfterSeconds = retryAfterSeconds
        self.maximumStreamsPerSubject = maximumStreamsPerSubject
        self.maximumCampaignsPerStream = maximumCampaignsPerStream
        self.healthCacheMilliseconds = healthCacheMilliseconds
        self.accessLog = accessLog
        self.trustedProxies = trustedProxies
    }
}
