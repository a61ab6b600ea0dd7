import HTTP

/// One SSE client asking to join a campaign's room.
public struct Subscription: Sendable {
    /// Sent to the client in `connected`; writes that carry it as `X-Client-Id` come back as `origin`.
    public var clientId: String
    public var stream: any ResponseStream
    /// `Last-Event-ID` (or `?lastEventId=`): replay every retained event after it first.
    public var resumeAfter: Int64?
    /// When the client's token expires (milliseconds on the rooms' `RealtimeClock`); nil when auth is disabled.
    public var expiresAtMilliseconds: UInt64?
    /// The token's expiry as wall-clock text, for the `auth-expiring` event.
    public var expiresAtText: String?

    public init(
        clientId: String, stream: any ResponseStream, resumeAfter: Int64? = nil, expiresAtMilliseconds: UInt64? = nil,
        expiresAtText: String? = nil
    ) {
        self.clientId = clientId
        self.stream = stream
        self.resumeAfter = resumeAfter
        self.expiresAtMilliseconds = expiresAtMilliseconds
        self.expiresAtText = expiresAtText
    }
}
