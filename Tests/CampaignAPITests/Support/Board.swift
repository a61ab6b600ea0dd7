import APITestSupport
import CampaignModel

/// A fresh campaign on a server, with a client allowed everything, and shortcuts for its tasks.
struct Board {
    let app: TestApplication
    let client: APIClient
    let id: String
    /// Phase ids by position (Planning, Creative, Launch, Analysis).
    let phases: [String]

    static func make(_ app: TestApplication, client: APIClient? = nil) async throws -> Board {
        let client = client ?? app.client()
        let campaign = try await client.createCampaign()
        guard let id = campaign["id"]?.stringValue else { throw SetupFailure("campaign without id: \(campaign)") }
        let phases = try await client.snapshot(id)["phases"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        guard phases.count == 4 else { throw SetupFailure("expected 4 default phases, got \(phases)") }
        return Board(app: app, client: client, id: id, phases: phases)
    }

    var tasksPath: String { "/api/campaigns/\(id)/tasks" }
    func taskPath(_ taskId: String) -> String { "/api/campaigns/\(id)/tasks/\(taskId)" }

    /// Creates a task in phase `phase` and returns it.
    @discardableResult
    func addTask(_ title: String, phase: Int = 0, extra: JSONObject = [:]) async throws -> JSONValue {
        try await client.createTask(id, phaseId: phases[phase], title: title, extra: extra)
    }

    func snapshot() async throws -> JSONValue { try await client.snapshot(id) }

    /// Task ids of a phase in position order, with their positions, from a fresh snapshot.
    func tasks(inPhase phase: Int) async throws -> [(id: String, position: Int64)] {
        let tasks = try await snapshot()["tasks"]?.arrayValue ?? []
        return tasks.filter { $0["phaseId"]?.stringValue == phases[phase] }
            .map { ($0["id"]?.stringValue ?? "", $0["position"]?.intValue ?? -1) }
    }

    /// The snapshot's history entries (newest first).
    func history() async throws -> [JSONValue] { try await snapshot()["history"]?.arrayValue ?? [] }

    func lastEventId() async throws -> Int64 { try await snapshot()["lastEventId"]?.intValue ?? -1 }
}

/// A precondition of a test that the server did not meet.
struct SetupFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
