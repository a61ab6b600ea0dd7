import APITestSupport
import CampaignModel
import Security
import Testing

/// `openapi.yaml` and the router describe the same routes, and the statuses the server really
/// answers for each route are the ones the document lists.
@Suite struct OpenAPICoverageTests {
    @Test func everyServedRouteIsDocumentedAndEveryDocumentedRouteIsServed() async throws {
        let document = try OpenAPIDocument.load()
        #expect(document.operations.count >= 12, "the paths: reader found \(document.operations.count) operations")
        let app = try await SharedServer.get(.memory)
        let served = Set(app.application.handler.routeTable.map { OpenAPIDocument.Operation(method: $0.method, path: $0.path) })
        let documented = Set(document.operations.keys)
        for route in served.subtracting(documented) { Issue.record("served but not in openapi.yaml: \(route.method) \(route.path)") }
        for route in documented.subtracting(served) { Issue.record("in openapi.yaml but not served: \(route.method) \(route.path)") }
        #expect(!served.isEmpty && served == documented)
        for (operation, statuses) in document.operations {
            #expect(statuses.contains { (200..<300).contains($0) }, "\(operation.method) \(operation.path) lists no success")
        }
    }

    /// Probes every documented operation with a valid request and with the usual failures, and checks
    /// each status the server answers is one the document lists for that operation.
    @Test(arguments: TestStoreKind.available)
    func theStatusesAnsweredAreTheDocumentedOnes(kind: TestStoreKind) async throws {
        let document = try OpenAPIDocument.load()
        let components = try OpenAPIComponents.load()
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let foreign = app.token(role: .admin, campaigns: .only([Identifier.random()]))
        for (operation, documented) in document.operations.sorted(by: { "\($0.key)" < "\($1.key)" }) {
            let task = try #require(try await board.addTask("probe")["id"]?.stringValue)
            let body = Self.validBody(operation, board: board)
            var observed: [(String, Int)] = []
            var errorCodes: [(String, String)] = []
            func probe(_ name: String, campaign: String = board.id, task taskId: String = task, token: String?? = .none,
                       body probeBody: [UInt8]? = nil, contentType: String? = "application/json", headers: [String: String] = [:]) async throws {
                var path = operation.path.replacingOccurrences(of: "{campaignId}", with: campaign)
                    .replacingOccurrences(of: "{taskId}", with: taskId)
                // The multi-campaign stream names its campaigns in the query (and the board twice is one campaign).
                if operation.path == "/api/events" { path += "?campaign=\(campaign)&campaign=\(board.id)" }
                var client = app.client()
                if case .some(let token) = token { client.token = token }
                if path.hasPrefix("/api/events") && name == "valid" {
                    let stream = try await SSEClient(port: app.port, path: path, headers: ["Authorization": "Bearer \(client.token ?? "")"])
                    stream.close()
                    observed.append((name, stream.status))
                    return
                }
                let payload = probeBody ?? body
                let response = try await client.request(operation.method, path, rawBody: payload, headers: headers,
                                                         contentType: payload == nil ? nil : contentType)
                observed.append((name, response.status))
                if let code = response.json["error"]?["code"]?.stringValue { errorCodes.append((name, code)) }
            }
            try await probe("valid")
            try await probe("no token", token: .some(nil))
            if operation.path.contains("{campaignId}") || operation.path == "/api/events" {
                try await probe("unknown campaign", campaign: Identifier.random())
                try await probe("invalid campaign id", campaign: "nope")
                try await probe("foreign token", token: .some(foreign))
            }
            if operation.path.contains("{taskId}") {
                try await probe("unknown task", task: Identifier.random())
                try await probe("invalid task id", task: "nope")
            }
            if body != nil {
                try await probe("not JSON", contentType: "text/plain")
                try await probe("malformed JSON", body: Array("{".utf8))
            }
            if ["PATCH", "DELETE"].contains(operation.method) || operation.path.hasSuffix("/move") {
                try await probe("stale If-Match", headers: ["If-Match": "\"99\""])
            }
            for (name, code) in errorCodes {
                #expect(components.errorCodes.contains(code), "\(operation.method) \(operation.path), \(name): error code \(code) is not in ErrorCode")
            }
            for (name, status) in observed {
                #expect(documented.contains(status), "\(operation.method) \(operation.path), \(name): \(status) is not documented (\(documented.sorted()))")
            }
            #expect(observed.first.map { (200..<300).contains($0.1) } == true, "\(operation.method) \(operation.path): \(observed)")
        }
    }

    static func validBody(_ operation: OpenAPIDocument.Operation, board: Board) -> [UInt8]? {
        let json: JSONValue? = switch (operation.method, operation.path) {
        case ("POST", "/api/campaigns"): ["name": "documented"]
        case ("POST", "/api/campaigns/{campaignId}/tasks"): ["phaseId": .string(board.phases[1]), "title": "documented"]
        case ("PATCH", _): ["title": "documented"]
        case ("POST", let path) where path.hasSuffix("/move"): ["phaseId": .string(board.phases[2]), "position": 0]
        default: nil
        }
        return json?.encoded()
    }
}
