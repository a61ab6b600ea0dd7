import Foundation

/// What the benchmark needs from `GET /api/campaigns/:id/execution`.
struct Snapshot {
    struct Phase {
        let id: String
        let position: Int
    }

    /// Phases by position.
    let phases: [Phase]
    /// Each task's version by task id: what a board shows, compared with the database by the chaos run.
    let taskVersions: [String: Int]
    /// The newest event of the campaign the snapshot includes.
    let lastEventId: Int64

    init(json body: [UInt8]) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            throw BenchError("the snapshot is not a JSON object: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        let rawPhases = object["phases"] as? [[String: Any]] ?? []
        phases = rawPhases.compactMap { phase in
            guard let id = phase["id"] as? String else { return nil }
            return Phase(id: id, position: (phase["position"] as? NSNumber)?.intValue ?? 0)
        }.sorted { $0.position < $1.position }
        var versions: [String: Int] = [:]
        for task in object["tasks"] as? [[String: Any]] ?? [] {
            if let id = task["id"] as? String, let version = (task["version"] as? NSNumber)?.intValue { versions[id] = version }
        }
        taskVersions = versions
        lastEventId = (object["lastEventId"] as? NSNumber)?.int64Value ?? 0
    }

    /// Fetches the snapshot, turning refusals into sentences that say what to fix.
    static func fetch(loop: ClientLoop, address: ServerAddress, token: String, campaignID: String,
                      deadline: UInt64) throws -> Snapshot {
        let path = "/api/campaigns/\(campaignID)/execution"
        let client = RESTClient(loop: loop, address: address)
        defer { client.close() }
        let response = try client.perform(HTTPRequest.encode(method: "GET", path: path, address: address, token: token),
                                          deadline: deadline, what: "GET \(path)")
        switch response.head.status {
        case 200:
            return try Snapshot(json: response.body)
        case 401:
            throw BenchError("the token was refused (401 Unauthorized) reading GET \(path): \(Self.message(response))")
        case 403:
            throw BenchError("the token may not read campaign \(campaignID) (403 Forbidden): \(Self.message(response))")
        case 404:
            throw BenchError("campaign \(campaignID) not found (404) at \(address)")
        default:
            throw BenchError("GET \(path) answered \(response.head.status) \(response.head.reason): \(Self.message(response))")
        }
    }

    /// The `error.message` of an API error body, or the body itself.
    static func message(_ response: RESTClient.Response) -> String {
        APIErrorBody.message(response.body)
    }
}
