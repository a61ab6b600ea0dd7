import CampaignModel
import Foundation
import TestSupport

/// JSON over HTTP against a test server: one fresh connection per request, the raw response back.
public struct APIClient: Sendable {
    public let port: Int
    public var token: String?

    public init(port: Int, token: String?) {
        self.port = port
        self.token = token
    }

    public struct Response: Sendable {
        public let status: Int
        public let headers: [(name: String, value: String)]
        public let body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The body parsed as JSON (`.null` when empty or not JSON).
        public var json: JSONValue { (try? JSONParser.parse(body)) ?? .null }

        /// `error.code` of an error body.
        public var errorCode: String? { json["error"]?["code"]?.stringValue }
    }

    /// Sends one request; `body` is encoded as JSON unless it is raw bytes in `rawBody`.
    public func request(
        _ method: String, _ path: String, json body: JSONValue? = nil, rawBody: [UInt8]? = nil,
        headers: [String: String] = [:], contentType: String? = nil
    ) async throws -> Response {
        let connection = try RawHTTPClient(port: port, timeoutSeconds: 20)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let token, headers["Authorization"] == nil { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        var payload: [UInt8] = []
        if let body {
            payload = body.encoded()
            head += "Content-Type: \(contentType ?? "application/json")\r\n"
        } else if let rawBody {
            payload = rawBody
            if let contentType { head += "Content-Type: \(contentType)\r\n" }
        }
        if !payload.isEmpty || method == "POST" || method == "PATCH" { head += "Content-Length: \(payload.count)\r\n" }
        head += "\r\n"
        try await connection.send(Array(head.utf8) + payload)
        let response = try await connection.readResponse(headRequest: method == "HEAD")
        return Response(status: response.status, headers: response.headers, body: response.body)
    }

    // MARK: Conveniences for the common calls

    public func createCampaign(name: String = "Test campaign \(Identifier.random().prefix(8))") async throws -> JSONValue {
        let response = try await request("POST", "/api/campaigns", json: ["name": .string(name)])
        guard response.status == 201 else { throw TestSetupError(message: "create campaign: \(response.status) \(response.json)") }
        return response.json
    }

    public func snapshot(_ campaignId: String) async throws -> JSONValue {
        let response = try await request("GET", "/api/campaigns/\(campaignId)/execution")
        guard response.status == 200 else { throw TestSetupError(message: "snapshot: \(response.status)") }
        return response.json
    }

    /// The id of the phase at `position` of a campaign.
    public func phaseId(_ campaignId: String, position: Int = 0) async throws -> String {
        let phases = try await snapshot(campaignId)["phases"]?.arrayValue ?? []
        guard position < phases.count, let id = phases[position]["id"]?.stringValue else {
            throw TestSetupError(message: "no phase at \(position)")
        }
        return id
    }

    public func createTask(_ campaignId: String, phaseId: String, title: String, extra: JSONObject = [:], headers: [String: String] = [:]) async throws -> JSONValue {
        var body = JSONObject([(key: "phaseId", value: .string(phaseId)), (key: "title", value: .string(title))])
        for member in extra.members { body[member.key] = member.value }
        let response = try await request("POST", "/api/campaigns/\(campaignId)/tasks", json: .object(body), headers: headers)
        guard response.status == 201 else { throw TestSetupError(message: "create task: \(response.status) \(response.json)") }
        return response.json
    }
}
