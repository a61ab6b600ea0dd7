import APITestSupport
import CampaignModel
import CampaignStore

/// A fresh campaign on a server, a client allowed everything, and shortcuts for writes and streams.
struct LiveBoard: Sendable {
    let app: TestApplication
    let client: APIClient
    let id: String
    /// Phase ids by position (Planning, Creative, Launch, Analysis).
    let phases: [String]

    static func make(_ app: TestApplication) async throws -> LiveBoard {
        let client = app.client()
        let campaign = try await client.createCampaign()
        guard let id = campaign["id"]?.stringValue else { throw SetupFailure("campaign without id: \(campaign)") }
        let phases = try await client.snapshot(id)["phases"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        guard phases.count == 4 else { throw SetupFailure("expected 4 default phases, got \(phases)") }
        return LiveBoard(app: app, client: client, id: id, phases: phases)
    }

    var tasksPath: String { "/api/campaigns/\(id)/tasks" }
    func taskPath(_ taskId: String) -> String { "/api/campaigns/\(id)/tasks/\(taskId)" }

    /// Creates a task in phase `phase`; returns its id.
    @discardableResult
    func addTask(_ title: String, phase: Int = 0, extra: JSONObject = [:], headers: [String: String] = [:]) async throws -> String {
        let task = try await client.createTask(id, phaseId: phases[phase], title: title, extra: extra, headers: headers)
        guard let taskId = task["id"]?.stringValue else { throw SetupFailure("task without id: \(task)") }
        return taskId
    }

    /// PATCHes a task and requires 200.
    func update(_ taskId: String, _ fields: JSONValue, headers: [String: String] = [:]) async throws {
        let response = try await client.request("PATCH", taskPath(taskId), json: fields, headers: headers)
        guard response.status == 200 else { throw SetupFailure("update: \(response.status) \(response.json)") }
    }

    func snapshot() async throws -> JSONValue { try await client.snapshot(id) }

    /// Opens a stream (with `Last-Event-ID` when given) and reads up to its `connected` event.
    func subscribe(lastEventId: Int64? = nil, query: String = "", token: String? = nil) async throws -> (SSEClient, SSEMessage) {
        let stream = try await SSEClient(port: app.port, campaignId: id, token: token ?? app.token(), lastEventId: lastEventId, query: query)
        guard stream.status == 200 else { throw SetupFailure("subscribe: status \(stream.status)") }
        let connected = try await stream.next()
        guard connected.event == "connected" else { throw SetupFailure("first event \(connected.event), not connected") }
        return (stream, connected)
    }

    /// The campaign's event log as the server's store holds it (the reference every stream is compared with).
    func loggedEvents(after: Int64 = 0) async throws -> [CampaignEvent] {
        try await app.application.store.loggedEvents(campaignId: id, after: after)
    }
}

extension CampaignStore {
    /// Every retained event of a campaign after `after`, oldest first.
    func loggedEvents(campaignId: String, after: Int64 = 0) async throws -> [CampaignEvent] {
        var result: [CampaignEvent] = []
        var cursor = after
        while true {
            guard case .events(let page) = try await events(campaignId: campaignId, after: cursor, limit: 1000) else {
                throw SetupFailure("the event log of \(campaignId) was pruned")
            }
            result += page
            guard let last = page.last, page.count == 1000 else { return result }
            cursor = last.id
        }
    }
}

/// A precondition of a test that the server did not meet.
struct SetupFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
