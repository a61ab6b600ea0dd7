import APITestSupport
import CampaignModel
import Security
import Testing

/// Issue 5: the campaign scope and the roles → 403, checked before 404 and validation; `sub` is the actor.
@Suite struct AuthorizationTests {
    @Test(arguments: TestStoreKind.available)
    func aTokenForAnotherCampaignIs403WhetherOrNotTheCampaignExists(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let mine = try await Board.make(app)
        let task = try #require(try await board.addTask("theirs")["id"]?.stringValue)
        let outsider = app.client(token: app.token(role: .admin, campaigns: .only([mine.id])))
        for campaign in [board.id, Identifier.random(), "not-a-uuid"] {
            for (method, path, body) in NotFoundAndInvalidIdTests.campaignRoutes(campaign: campaign, task: task, phase: board.phases[0]) {
                let response = try await outsider.request(method, path, json: body)
                expectError(response, 403)
                #expect(response.status == 403, "\(method) \(path)")
            }
        }
        // An invalid body or unknown task behind a foreign campaign is still 403.
        expectError(try await outsider.request("PATCH", board.taskPath(Identifier.random()), json: ["nonsense": 1]), 403)
        #expect(try await board.client.request("GET", board.taskPath(task)).json["version"] == 1)
        // The same token works on its own campaign.
        #expect(try await outsider.request("GET", "/api/campaigns/\(mine.id)/execution").status == 200)
    }

    @Test(arguments: TestStoreKind.available)
    func aViewerReadsAndSubscribesButCannotWrite(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let task = try #require(try await board.addTask("read only")["id"]?.stringValue)
        let viewer = app.client(token: app.token(subject: "viola", role: .viewer, campaigns: .only([board.id])))
        for path in ["/api/campaigns/\(board.id)", "/api/campaigns/\(board.id)/execution", board.taskPath(task)] {
            #expect(try await viewer.request("GET", path).status == 200, "GET \(path)")
        }
        let listed = try await viewer.request("GET", "/api/campaigns")
        #expect(listed.json.arrayValue?.compactMap { $0["id"]?.stringValue } == [board.id])
        let stream = try await SSEClient(port: app.port, campaignId: board.id, token: viewer.token)
        defer { stream.close() }
        #expect(stream.status == 200)
        #expect(try await stream.next().event == "connected")

        let writes: [(String, String, JSONValue?)] = [
            ("POST", board.tasksPath, ["phaseId": .string(board.phases[0]), "title": "x"]),
            ("PATCH", board.taskPath(task), ["title": "x"]),
            ("POST", board.taskPath(task) + "/move", ["phaseId": .string(board.phases[1]), "position": 0]),
            ("DELETE", board.taskPath(task), nil),
            ("POST", "/api/campaigns", ["name": "x"]),
            // 403 comes before 404 and before validation.
            ("PATCH", board.taskPath(Identifier.random()), ["title": "x"]),
            ("POST", board.tasksPath, ["bogus": true]),
        ]
        for (method, path, body) in writes {
            expectError(try await viewer.request(method, path, json: body), 403)
        }
        let snapshot = try await board.snapshot()
        #expect(snapshot["tasks"]?.arrayValue?.count == 1 && snapshot["history"]?.arrayValue?.count == 1)
    }

    @Test(arguments: TestStoreKind.available)
    func anEditorWritesTasksButCannotCreateCampaigns(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let editor = app.client(token: app.token(subject: "edith", role: .editor, campaigns: .only([board.id])))
        let created = try await editor.request("POST", board.tasksPath, json: ["phaseId": .string(board.phases[0]), "title": "by edith"])
        #expect(created.status == 201)
        let id = try #require(created.json["id"]?.stringValue)
        #expect(try await editor.request("PATCH", board.taskPath(id), json: ["status": "done"]).status == 200)
        #expect(try await editor.request("POST", board.taskPath(id) + "/move", json: ["phaseId": .string(board.phases[2]), "position": 0]).status == 200)
        #expect(try await editor.request("DELETE", board.taskPath(id)).status == 204)
        let campaignId = Identifier.random()
        expectError(try await editor.request("POST", "/api/campaigns", json: ["id": .string(campaignId), "name": "nope"]), 403)
        expectError(try await app.client().request("GET", "/api/campaigns/\(campaignId)"), 404)
    }

    @Test(arguments: TestStoreKind.available)
    func theHistoryActorIsTheTokensSubject(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let ann = app.client(token: app.token(subject: "ann@example.com", role: .editor, campaigns: .only([board.id])))
        let bob = app.client(token: app.token(subject: "Bob Smith ✓", role: .editor, campaigns: .all))
        let task = try await ann.createTask(board.id, phaseId: board.phases[0], title: "shared")
        let id = try #require(task["id"]?.stringValue)
        #expect(try await bob.request("PATCH", board.taskPath(id), json: ["title": "shared by bob"]).status == 200)
        #expect(try await ann.request("DELETE", board.taskPath(id)).status == 204)
        let actors = try await board.history().map { $0["actor"]?.stringValue }
        #expect(actors == ["ann@example.com", "Bob Smith ✓", "ann@example.com"])
    }

    @Test(arguments: TestStoreKind.available)
    func withAuthDisabledEveryRequestActsAsAnAdmin(kind: TestStoreKind) async throws {
        try await withServer(kind, authDisabled: true) { app in
            var anonymous = app.client()
            anonymous.token = nil
            let campaign = try await anonymous.request("POST", "/api/campaigns", json: ["name": "open"])
            #expect(campaign.status == 201)
            let id = try #require(campaign.json["id"]?.stringValue)
            let listed = try await anonymous.request("GET", "/api/campaigns")
            #expect(listed.json.arrayValue?.contains { $0["id"]?.stringValue == id } == true)
            let board = try await Board.make(app, client: anonymous)
            let task = try #require(try await board.addTask("free")["id"]?.stringValue)
            #expect(try await anonymous.request("PATCH", board.taskPath(task), json: ["title": "freer"]).status == 200)
            #expect(try await anonymous.request("DELETE", board.taskPath(task)).status == 204)
            let stream = try await SSEClient(port: app.port, campaignId: board.id, token: nil)
            defer { stream.close() }
            #expect(stream.status == 200)
            let actors = try await board.history().compactMap { $0["actor"]?.stringValue }
            #expect(actors.count == 3 && actors.allSatisfy { !$0.isEmpty })
        }
    }
}
