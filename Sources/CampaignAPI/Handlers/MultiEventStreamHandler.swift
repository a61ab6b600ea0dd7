import CampaignModel
import HTTP
import Realtime
import Security

extension CampaignAPIHandler {
    /// `GET /api/events?campaign=A&campaign=B…`: several campaigns' live streams on one connection (a
    /// browser has 6 per origin over HTTP/1.1). Each campaign is checked as its own stream would be, the
    /// stream counts once against the caller's stream quota, and every event's `id:` is a `StreamCursor`
    /// that resumes all of them.
    func multiEventStream(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let campaignIds = try requestedCampaigns(context.request)
        for campaignId in campaignIds {
            try authorize(context.principal, target: .campaign(campaignId), role: .viewer)
        }
        for campaignId in campaignIds where registry.existingRoom(campaignId) == nil {
            try await requireCampaign(campaignId, context)
        }
        let cursor = try Self.multiStreamCursor(context.request, campaignIds: campaignIds)
        // Last of the checks, so a refused request holds no slot; the stream gives it back when it closes.
        let slot = try claimStreamSlot(for: context.principal)
        let clientId = Identifier.random()
        let registry = self.registry
        let (expiresAtMonotonic, expiryText) = Self.streamExpiry(context.principal, now: registry.clock.now())
        return HTTPResponse.stream(headers: Self.streamHeaders) { connection in
            if let slot { connection.onClose { _ in slot.release() } }
            let stream = MultiCampaignStream(connection: connection, cursor: cursor)
            for (index, campaignId) in cursor.campaignIds.enumerated() {
                let subscription = Subscription(
                    clientId: clientId, stream: stream.member(forCampaignAt: index), resumeAfter: cursor.positions[index],
                    expiresAtMilliseconds: expiresAtMonotonic, expiresAtText: expiryText)
                registry.subscribe(campaignId: campaignId, subscription)
            }
        }
    }

    /// The `campaign` query parameters: at least one, at most `MAX_CAMPAIGNS_PER_STREAM` (counted
    /// before anything else is read), each a UUID; returned lower-cased, sorted, without repeats.
    private func requestedCampaigns(_ request: HTTPRequest) throws(APIError) -> [String] {
        let raw = request.query.filter { $0.name == "campaign" }.map(\.value)
        guard !raw.isEmpty else {
            throw APIError.badRequest("name the campaigns to stream: ?campaign=<id>&campaign=<id>…", field: "campaign")
        }
        let maximum = configuration.maximumCampaignsPerStream
        guard raw.count <= maximum else {
            throw APIError(
                .badRequest, "too_many_campaigns",
                "one stream carries at most \(maximum) campaigns (MAX_CAMPAIGNS_PER_STREAM); this asked for \(raw.count)",
                field: "campaign")
        }
        var ids: [String] = []
        for value in raw {
            guard let id = Identifier.normalized(value) else { throw APIError.badRequest("campaign must be a UUID", field: "campaign") }
            ids.append(id)
        }
        return StreamCursor(campaignIds: ids).campaignIds
    }

    /// `Last-Event-ID` (a reconnecting browser) or `?lastEventId=`: a cursor this stream sent for the same
    /// campaigns; none starts every campaign live. Anything else is 400 `invalid_cursor`, never a guess.
    static func multiStreamCursor(_ request: HTTPRequest, campaignIds: [String]) throws(APIError) -> StreamCursor {
        let raw = request.headers["Last-Event-ID"] ?? request.queryValue("lastEventId")
        guard let raw = raw?.trimmingOptionalWhitespace(), !raw.isEmpty else { return StreamCursor(campaignIds: campaignIds) }
        do {
            return try StreamCursor(parsing: String(raw), campaignIds: campaignIds)
        } catch .otherCampaigns {
            throw APIError(
                .badRequest, "invalid_cursor",
                "Last-Event-ID is a cursor for another set of campaigns; reconnect without it and reload the snapshots",
                field: "Last-Event-ID")
        } catch {
            throw APIError(
                .badRequest, "invalid_cursor", "Last-Event-ID must be a cursor this stream sent (an event's id)",
                field: "Last-Event-ID")
        }
    }
}
