import CampaignModel
import Postgres

/// The event log: replay (each room's catch-up too), and bounded retention. Each read is one statement,
/// so the watermark and the events it returns come from one snapshot.
extension PostgresCampaignStore {
    public func events(campaignId: String, after: Int64, limit: Int) async throws(StoreError) -> EventReplay {
        guard let campaignId = Identifier.normalized(campaignId) else { return .events([]) }
        let limit = String(Self.clampedLimit(limit))
        return try await statement("replay events") { connection in
            let rows = try connection.query(
                """
                SELECT retention.pruned_through AS pruned_through, event.*
                FROM (SELECT 1) AS one
                LEFT JOIN campaign_event_retention AS retention ON retention.campaign_id = $1::uuid
                LEFT JOIN LATERAL (
                    SELECT \(Self.eventColumns) FROM campaign_events
                    WHERE campaign_id = $1::uuid AND id > $2::int8 ORDER BY id LIMIT $3::int
                ) AS event ON true
                ORDER BY event.id
                """, [campaignId, String(after), limit]
            ).rows
            // An event after `after` was pruned: the replay would have a gap.
            if let prunedThrough = try rows.first?.int64("pruned_through"), after < prunedThrough { return .expired }
            return .events(try rows.filter { try $0.int64("id") != nil }.map(Self.event(from:)))
        }
    }

    public func latestEventId(campaignId: String) async throws(StoreError) -> Int64 {
        guard let campaignId = Identifier.normalized(campaignId) else { return 0 }
        return try await statement("read latest campaign event id") { connection in
            try connection.query("SELECT \(Self.latestEventIdExpression) AS id", [campaignId]).first?.int64("id") ?? 0
        }
    }

    /// Deletes every committed event up to a cutoff id: up to the first one recorded at or after
    /// `olderThan`, and every one beyond the newest `keepingAtMost`. Each campaign that lost events
    /// remembers the highest id it lost. Within a campaign ids increase in commit order, so what is
    /// deleted of each campaign is a prefix of its log ("every id of this campaign after N" stays
    /// exact); an event of another campaign that commits later with a smaller id is pruned next time.
    public func pruneEvents(olderThan: Timestamp, keepingAtMost: Int) async throws(StoreError) -> Int {
        let olderThan = String(olderThan.millisecondsSinceEpoch)
        let keep = String(Self.clampedLimit(keepingAtMost))
        return try await transaction("prune events") { connection in
            try connection.query(
                """
                WITH cutoff AS (
                    SELECT greatest(
                        coalesce(
                            (SELECT id - 1 FROM campaign_events
                             WHERE created_at >= timestamptz 'epoch' + $1::int8 * interval '1 millisecond'
                             ORDER BY id LIMIT 1),
                            (SELECT max(id) FROM campaign_events)),
                        (SELECT id FROM campaign_events ORDER BY id DESC OFFSET $2::int LIMIT 1),
                        0) AS id
                ), pruned AS (
                    DELETE FROM campaign_events WHERE id <= (SELECT id FROM cutoff) RETURNING id, campaign_id
                ), watermarks AS (
                    INSERT INTO campaign_event_retention (campaign_id, pruned_through)
                    SELECT campaign_id, max(id) FROM pruned GROUP BY campaign_id
                    ON CONFLICT (campaign_id) DO UPDATE
                    SET pruned_through = greatest(campaign_event_retention.pruned_through, excluded.pruned_through)
                )
                SELECT count(*) AS pruned FROM pruned
                """, [olderThan, keep]
            ).first?.int("pruned") ?? 0
        }
    }

    /// SQL `int` range; a negative limit means none.
    static func clampedLimit(_ value: Int) -> Int {
        min(max(0, value), Int(Int32.max))
    }
}
