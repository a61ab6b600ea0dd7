import CampaignModel
import Glibc
import HTTP
import Realtime

extension CampaignAPIHandler {
    /// `GET /api/events/:campaignId`: answers 200 with an open stream and hands it to the campaign's room.
    func eventStream(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignId = try context.identifier("campaignId")
        // A campaign with an open room exists (the API never deletes one): no store round trip for
        // the thousands of subscribers joining a busy campaign.
        if registry.existingRoom(campaignId) == nil { try await requireCampaign(campaignId, context) }
        let resumeAfter = try Self.resumePoint(context.request)
        // Last of the checks, so a refused request holds no slot; the stream gives it back when it closes.
        let slot = try claimStreamSlot(for: context.principal)
        let clientId = Identifier.random()
        let registry = self.registry
        let (expiresAtMonotonic, expiryText) = Self.streamExpiry(context.principal, now: registry.clock.now())
        return HTTPResponse.stream(headers: Self.streamHeaders) { stream in
            if let slot { stream.onClose { _ in slot.release() } }
            let subscription = Subscription(
                clientId: clientId, stream: stream, resumeAfter: resumeAfter, expiresAtMilliseconds: expiresAtMonotonic,
                expiresAtText: expiryText)
            registry.subscribe(campaignId: campaignId, subscription)
        }
    }

    /// When the caller's stream must end: its token's expiry as a deadline on the rooms' clock
    /// (milliseconds after `now`) and as wall-clock text for `auth-expiring`; nils when the token does
    /// not expire (auth disabled).
    static func streamExpiry(_ principal: Principal, now: UInt64) -> (UInt64?, String?) {
        guard let expiresAt = principal.expiresAt else { return (nil, nil) }
        // Saturating arithmetic: the claims are range-checked when verified, but a deadline
        // computed from a client's token must never be able to trap (or wrap to "expired").
        let (difference, belowRange) = expiresAt.subtractingReportingOverflow(Int64(time(nil)))
        let remaining = belowRange ? 0 : UInt64(max(0, difference))
        let (remainingMilliseconds, tooFar) = remaining.multipliedReportingOverflow(by: 1000)
        let (deadline, pastEnd) = now.addingReportingOverflow(remainingMilliseconds)
        return (tooFar || pastEnd ? UInt64.max : deadline, Timestamp(secondsSinceEpoch: expiresAt).rfc3339)
    }

    /// A counted slot for one more stream of the caller (nil when no cap applies), or 429
    /// `too_many_streams` before any stream opens. With auth disabled every client is the same local
    /// subject, so there is nothing per client to count (`MAX_CONNECTIONS` still bounds them).
    func claimStreamSlot(for principal: Principal) throws(APIError) -> StreamSlot? {
        guard streamQuota.limit > 0, !configuration.authDisabled else { return nil }
        guard let slot = streamQuota.claim(principal.subject) else {
            metrics.streamRefused()
            throw APIError(
                .tooManyRequests, "too_many_streams",
                "this token already holds \(streamQuota.limit) open event streams; close one or retry later",
                headers: ["Retry-After": String(configuration.retryAfterSeconds)])
        }
        return slot
    }

    static let streamHeaders: HTTPHeaders = [
        "Content-Type": "text/event-stream; charset=utf-8",
        "Cache-Control": "no-cache",
        "X-Accel-Buffering": "no",
    ]

    /// `Last-Event-ID` (a reconnecting browser) or `?lastEventId=` (a first connect after a snapshot).
    static func resumePoint(_ request: HTTPRequest) throws(APIError) -> Int64? {
        let raw = request.headers["Last-Event-ID"] ?? request.queryValue("lastEventId")
        guard let raw = raw?.trimmingOptionalWhitespace(), !raw.isEmpty else { return nil }
        guard let value = Int64(raw), value >= 0 else {
            throw APIError.badRequest("Last-Event-ID must be an event id (a non-negative integer)", field: "Last-Event-ID")
        }
        return value
    }

    /// At the connection limit a stream still answers 200 (a non-200 would stop the browser for good):
    /// `retry`, `event: overloaded`, then it closes, and the browser comes back later.
    public func overloadResponse(_ request: HTTPRequest) -> HTTPResponse {
        metrics.overloaded()
        let retry = configuration.realtime.streamRetryMilliseconds()
        if Self.isEventStreamPath(request.pathSegments) {
            let bytes = Array("retry: \(retry)\n\n".utf8)
                + ServerSentEvent(event: "overloaded", data: "{\"reason\":\"connection-limit\",\"retryMs\":\(retry)}").encoded()
            return HTTPResponse.stream(headers: Self.streamHeaders) { stream in
                stream.send(bytes)
                stream.close()
            }
        }
        var response = APIError(.serviceUnavailable, "overloaded", "the server is at its connection limit; retry later",
                                headers: ["Retry-After": String(configuration.retryAfterSeconds)]).response()
        configuration.cors?.apply(to: &response, for: request)
        return response
    }
}
