import Foundation

/// What the database holds after a chaos run, as the script dumped it with psql (tab-separated, no header):
/// every event of the run's campaigns, every task, and when each fault was injected.
struct ChaosEventLog {
    /// One row of `campaign_events`: the task event's task and version (nil for a delete or a history entry).
    struct Event {
        let id: Int64
        let createdMilliseconds: Int64
        let taskID: String?
        let version: Int?
        let isTaskEvent: Bool
    }

    struct Fault {
        let name: String
        let startMilliseconds: Int64
        let endMilliseconds: Int64
    }

    /// Per campaign (by index), its events in id order.
    let events: [[Event]]
    /// Per campaign, each task's version now.
    let tasks: [[String: Int]]
    let faults: [Fault]
    /// Creation time (wall ms) by event id, over all campaigns.
    let createdByID: [Int64: Int64]

    init(events eventsFile: URL, tasks tasksFile: URL, faults faultsFile: URL, campaignIDs: [String]) throws {
        var index: [String: Int] = [:]
        for (position, id) in campaignIDs.enumerated() { index[id] = position }
        var events = Array(repeating: [Event](), count: campaignIDs.count)
        var created: [Int64: Int64] = [:]
        for fields in try Self.rows(eventsFile) {
            // campaign_id, id, type, created ms, task id, version
            guard fields.count == 6, let campaign = index[fields[0]] else { continue }
            guard let id = Int64(fields[1]), let createdAt = Int64(fields[3]) else {
                throw BenchError("\(eventsFile.path): a malformed row \(fields)")
            }
            let type = fields[2]
            let isTaskEvent = type != "history-update"
            events[campaign].append(Event(id: id, createdMilliseconds: createdAt, taskID: fields[4].isEmpty ? nil : fields[4],
                                          version: type == "task-deleted" ? nil : Int(fields[5]), isTaskEvent: isTaskEvent))
            created[id] = createdAt
        }
        for position in events.indices { events[position].sort { $0.id < $1.id } }
        var tasks = Array(repeating: [String: Int](), count: campaignIDs.count)
        for fields in try Self.rows(tasksFile) {
            guard fields.count == 3, let campaign = index[fields[0]], let version = Int(fields[2]) else { continue }
            tasks[campaign][fields[1]] = version
        }
        var faults: [Fault] = []
        if FileManager.default.fileExists(atPath: faultsFile.path) {
            for fields in try Self.rows(faultsFile) where fields.count == 3 {
                if let start = Int64(fields[1]), let end = Int64(fields[2]) {
                    faults.append(Fault(name: fields[0], startMilliseconds: start, endMilliseconds: end))
                }
            }
        }
        self.events = events
        self.tasks = tasks
        self.faults = faults
        createdByID = created
    }

    /// The newest event id of a campaign (-1 without events: every subscriber is up to date).
    func newestEventID(campaign: Int) -> Int64 { events[campaign].last?.id ?? -1 }

    /// The index of the first event of `campaign` with an id above `id`.
    func firstIndex(after id: Int64, campaign: Int) -> Int {
        let list = events[campaign]
        var low = 0, high = list.count
        while low < high {
            let middle = (low + high) / 2
            if list[middle].id <= id { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Each task's version as of event `id` of `campaign`: what a snapshot including that event must show.
    func taskVersions(campaign: Int, through id: Int64) -> [String: Int] {
        var versions: [String: Int] = [:]
        for event in events[campaign].prefix(firstIndex(after: id, campaign: campaign)) where event.isTaskEvent {
            guard let task = event.taskID else { continue }
            versions[task] = event.version
        }
        return versions
    }

    private static func rows(_ url: URL) throws -> [[String]] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw BenchError("cannot read \(url.path): \(error.localizedDescription)")
        }
        return text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }
}
