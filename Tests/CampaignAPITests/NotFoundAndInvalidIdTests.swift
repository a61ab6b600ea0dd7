import APITestSupport
import CampaignModel
import Testing

/// Unknown campaigns and tasks are 404 on every route; ids that are not UUIDs are 400.
@Suite struct NotFoundAndInvalidIdTests {
    /// Every campaign route with a campaign id in its path, and a body that would be valid.
    static func campaignRoutes(campaign: String, task: String, phase: String) -> [(String, String, JSONValue?)] {
        [
            ("GET", "/api/campaigns/\(campaign)", nil),
            ("GET", "/api/campaigns/\(campaign)/execution", nil),
            ("POST", "/api/campaigns/\(campaign)/tasks", ["phaseId": .string(phase), "title": "x"]),
            ("GET", "/api/campaigns/\(campaign)/tasks/\(task)", nil),
            ("PATCH", "/api/campaigns/\(campaign)/tasks/\(task)", ["title": "x"]),
            ("POST", "/api/campaigns/\(campaign)/tasks/\(task)/move", ["phaseId": .string(phase), "position": 0]),
            ("DELETE", "/api/campaigns/\(campaign)/tasks/\(task)", nil),
            ("GET", "/api/events/\(campaign)", nil),
        ]
    }

    @Test(arguments: TestStoreKind.available)
    func anUnknownCampaignIs404OnEveryRoute(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let task = try #require(try await board.addTask("real")["id"]?.stringValue)
        for (method, path, body) in Self.campaignRoutes(campaign: Identifier.random(), task: task, phase: board.phases[0]) {
            let response = try await board.client.request(method, path, json: body)
            expectError(response, 404)
            #expect(response.status == 404, "\(method) \(path)")
        }
    }

    @Test(arguments: TestStoreKind.available)
    func anUnknownTaskIs404OnEveryTaskRoute(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let routes = Self.campaignRoutes(campaign: board.id, task: Identifier.random(), phase: board.phases[0])
        for (method, path, body) in routes where path.contains("/tasks/") {
            let response = try await board.client.request(method, path, json: body)
            expectError(response, 404)
            #expect(response.status == 404, "\(method) \(path)")
        }
    }

    @Test(arguments: TestStoreKind.available)
    func idsThatAreNotUUIDsAre400(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let task = try #require(try await board.addTask("real")["id"]?.stringValue)
        let badIds = ["nope", "123", String(board.id.dropLast()), board.id + "0", board.id.replacingOccurrences(of: "-", with: ""),
                      "g" + board.id.dropFirst(), "%00"]
        for bad in badIds {
            for (method, path, body) in Self.campaignRoutes(campaign: bad, task: task, phase: board.phases[0]) {
                let response = try await board.client.request(method, path, json: body)
                expectError(response, 400)
                #expect(response.status == 400, "\(method) \(path)")
            }
            for (method, path, body) in Self.campaignRoutes(campaign: board.id, task: bad, phase: board.phases[0])
            where path.contains("/tasks/") {
                let response = try await board.client.request(method, path, json: body)
                expectError(response, 400)
                #expect(response.status == 400, "\(method) \(path)")
            }
        }
        #expect(try await board.client.request("GET", board.taskPath(task)).json["version"] == 1)
    }

    @Test(arguments: TestStoreKind.available)
    func anUnknownPathIsAJSON404(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        for path in ["/api/nothing", "/api/campaigns/\(Identifier.random())/phases", "/api", "/api/campaigns/x/y/z/w/v"] {
            let response = try await app.client().request("GET", path)
            expectError(response, 404)
        }
    }
}
