import Foundation

/// One closed-loop client of the REST workload: a keep-alive connection that sends its next request
/// as soon as the previous one is answered. It writes only tasks it created, so its `If-Match`
/// versions are always current and a 412 means the server lost track, not a race between workers.
final class LoadWorker {
    /// A task this worker created, as the server last described it.
    struct OwnedTask {
        let id: String
        var version: Int
    }

    let index: Int
    let connection: RESTClient
    /// The campaign this worker writes to: its index in the run's campaigns, its id and its phases.
    let campaign: Int
    let campaignID: String
    let phases: [String]
    private(set) var tasks: [OwnedTask] = []
    private var created = 0
    private var edits = 0
    private var generator = SystemRandomNumberGenerator()

    init(index: Int, connection: RESTClient, campaign: Int, campaignID: String, phases: [String]) {
        self.index = index
        self.connection = connection
        self.campaign = campaign
        self.campaignID = campaignID
        self.phases = phases
    }

    /// The next request to send, chosen by `mix` (a write needs a task: without one it creates).
    func nextRequest(mix: LoadMix, address: ServerAddress, token: String,
                     maximumTasks: Int) -> (route: LoadRoute, taskIndex: Int?, bytes: [UInt8]) {
        var route = mix.pick(using: &generator)
        if route == .create && tasks.count >= maximumTasks { route = .update }
        if (route == .update || route == .move) && tasks.isEmpty { route = .create }
        let base = "/api/campaigns/\(campaignID)/tasks"
        let phase = phases.randomElement(using: &generator) ?? ""
        switch route {
        case .create:
            created += 1
            let id = UUID().uuidString.lowercased()
            let body = #"{"id":"\#(id)","phaseId":"\#(phase)","title":"load-\#(index + 1)-\#(created)"}"#
            return (route, nil, HTTPRequest.encode(method: "POST", path: base, address: address, token: token,
                                                   body: Array(body.utf8)))
        case .update:
            let taskIndex = Int.random(in: 0..<tasks.count, using: &generator)
            let status = ["todo", "in_progress", "blocked", "done"].randomElement(using: &generator)!
            let priority = ["low", "medium", "high", "urgent"].randomElement(using: &generator)!
            edits += 1
            // A description no earlier write used, so every update changes the task.
            let body = #"{"status":"\#(status)","priority":"\#(priority)","description":"edit \#(edits) by load worker \#(index + 1)"}"#
            return (route, taskIndex, HTTPRequest.encode(
                method: "PATCH", path: "\(base)/\(tasks[taskIndex].id)", address: address, token: token,
                headers: [("If-Match", "\"\(tasks[taskIndex].version)\"")], body: Array(body.utf8)))
        case .move:
            let taskIndex = Int.random(in: 0..<tasks.count, using: &generator)
            let position = Int.random(in: 0...5, using: &generator)
            let body = #"{"phaseId":"\#(phase)","position":\#(position)}"#
            return (route, taskIndex, HTTPRequest.encode(
                method: "POST", path: "\(base)/\(tasks[taskIndex].id)/move", address: address, token: token,
                headers: [("If-Match", "\"\(tasks[taskIndex].version)\"")], body: Array(body.utf8)))
        case .read:
            return (route, nil, HTTPRequest.encode(method: "GET", path: "/api/campaigns/\(campaignID)/execution",
                                                   address: address, token: token))
        }
    }

    /// Takes in a successful write's answer; returns the (task id, version) its event will carry, and whether
    /// it changed the task at all (a move to where the task already is leaves its version, and emits nothing).
    func apply(route: LoadRoute, taskIndex: Int?, response: RESTClient.Response) -> (id: String, version: Int, changed: Bool)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let id = object["id"] as? String, let version = (object["version"] as? NSNumber)?.intValue else {
            return nil
        }
        var changed = true
        switch route {
        case .create:
            tasks.append(OwnedTask(id: id, version: version))
        case .update, .move:
            if let taskIndex, taskIndex < tasks.count {
                changed = tasks[taskIndex].version != version
                tasks[taskIndex].version = version
            }
        case .read:
            return nil
        }
        return (id, version, changed)
    }

    /// After a 412 the worker adopts the server's version from `error.current`, so it can go on.
    func adoptCurrentVersion(taskIndex: Int?, response: RESTClient.Response) {
        guard let taskIndex, taskIndex < tasks.count,
              let object = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any],
              let error = object["error"] as? [String: Any], let current = error["current"] as? [String: Any],
              let version = (current["version"] as? NSNumber)?.intValue else { return }
        tasks[taskIndex].version = version
    }
}
