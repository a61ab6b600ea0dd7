import APITestSupport
import CampaignModel

extension SSEClient {
    /// Messages until the `history-update` of the task event whose task is titled `title` (both included).
    /// `onMessage` sees each message as it arrives.
    func next(throughTaskTitled title: String, onMessage: (SSEMessage) -> Void = { _ in }) async throws -> [SSEMessage] {
        var messages: [SSEMessage] = []
        var seenTitle = false
        while true {
            let message = try await next()
            messages.append(message)
            onMessage(message)
            // The text test first: parsing every large event would slow a reader that must keep up.
            if message.event.hasPrefix("task-") && message.data.contains("\"title\":\"\(title)\"")
                && message.json["task"]?["title"]?.stringValue == title {
                seenTitle = true
            }
            if seenTitle && message.event == "history-update" { return messages }
        }
    }
}

extension [SSEMessage] {
    /// The `id:` of each message that has one.
    var eventIds: [Int64] { compactMap(\.eventId) }
}

extension [CampaignEvent] {
    var ids: [Int64] { map(\.id) }
}

/// Whether ids strictly increase (so none repeats).
func strictlyIncreasing(_ ids: [Int64]) -> Bool {
    zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 }
}
