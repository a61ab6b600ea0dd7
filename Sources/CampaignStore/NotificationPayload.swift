import CampaignModel

/// What the listener reads from a PostgreSQL notification on the events channel: only the campaign it
/// names. Any database role may NOTIFY on any channel, so nothing else in a payload is believed: the
/// campaign's room reads the event log itself (the triggers also put the newest event id in the
/// payload, and those of migration 0005 the events; nothing here reads them).
public enum NotificationPayload {
    /// The campaign id the payload names (lower-case), or nil when it names none that could exist.
    public static func campaignId(_ payload: String) -> String? {
        guard let object = try? JSONParser.parse(payload).objectValue,
              let campaignId = object["campaignId"]?.stringValue
        else { return nil }
        return Identifier.normalized(campaignId)
    }
}
