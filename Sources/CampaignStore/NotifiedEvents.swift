import CampaignModel

/// The events a PostgreSQL notification carries (migration 0005): the trigger puts the change's events
/// in the payload when they fit, so a listener need not read them back from the log.
public enum NotifiedEvents {
    /// The carried events in id order, or nil when the payload carries none (an older trigger, a payload
    /// that would have been too large) or cannot be read: the listener then reads the log instead.
    public static func decode(_ payload: String) -> [CampaignEvent]? {
        guard let object = try? JSONParser.parse(payload).objectValue,
              let campaignId = object["campaignId"]?.stringValue,
              let entries = object["events"]?.arrayValue, !entries.isEmpty
        else { return nil }
        var events: [CampaignEvent] = []
        events.reserveCapacity(entries.count)
        for entry in entries {
            guard let id = entry["id"]?.intValue,
                  let type = entry["type"]?.stringValue.flatMap(CampaignEventType.init(rawValue:)),
                  let data = entry["data"]?.stringValue,
                  id > (events.last?.id ?? 0)
            else { return nil }
            events.append(CampaignEvent(id: id, campaignId: campaignId, type: type, data: data))
        }
        return events
    }
}
