import APITestSupport
import CampaignModel
import Security
import Testing

/// docs/API.md "Check order" (401, 403, 404, then validation): each request below is wrong
/// in several ways at once and must get the status of the first check it fails.
@Suite struct CheckOrderTests {
    @Test(arguments: TestStoreKind.available)
    func anUnknownCampaignComesBeforeAnInvalidBodyOrTaskId(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let unknown = "/api/campaigns/\(Identifier.random())"
        let requests: [(String, String, [UInt8])] = [
            ("POST", unknown + "/tasks", Array(#"{"bogus":1}"#.utf8)),
            ("POST", unknown + "/tasks", Array("{".utf8)),
            ("PATCH", unknown + "/tasks/not-a-uuid", Array(#"{"bogus":1}"#.utf8)),
            ("PATCH", unknown + "/tasks/\(Identifier.random())", Array(#"{"title":""}"#.utf8)),
            ("POST", unknown + "/tasks/\(Identifier.random())/move", Array(#"{"position":-1}"#.utf8)),
            ("DELETE", unknown + "/tasks/not-a-uuid", []),
        ]
        for (method, path, body) in requests {
            let response = try await board.client.request(method, path, rawBody: body, contentType: "application/json")
            expectError(response, 404)
            #expect(response.status == 404, "\(method) \(path) \(String(decoding: body, as: UTF8.self))")
        }
    }

    @Test(.bug(id: 3, "Regression (fixed): TaskHandlers validate the PATCH/move body before the store looks the task up (400 before 404)"),
          arguments: TestStoreKind.available)
    func anUnknownTaskComesBeforeAnInvalidBody(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let task = board.taskPath(Identifier.random())
        let requests: [(String, String, String)] = [
            ("PATCH", task, #"{"bogus":1}"#),
            ("PATCH", task, #"{"title":""}"#),
            ("PATCH", task, "{"),
            ("POST", task + "/move", #"{"position":-1}"#),
            ("POST", task + "/move", #"{"phaseId":"nope","position":0}"#),
        ]
        for (method, path, body) in requests {
            let response = try await board.client.request(method, path, rawBody: Array(body.utf8), contentType: "application/json")
            expectError(response, 404)
            #expect(response.status == 404, "\(method) \(path) \(body)")
        }
    }

    @Test(arguments: TestStoreKind.available)
    func scopeAndRoleComeBeforeExistenceAndValidation(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let viewer = app.client(token: app.token(role: .viewer, campaigns: .only([board.id])))
        let outsider = app.client(token: app.token(role: .admin, campaigns: .only([Identifier.random()])))
        let expired = app.client(token: app.token(lifetimeSeconds: -3600))
        let unknownTask = board.taskPath(Identifier.random())
        let badBody = Array(#"{"bogus":1}"#.utf8)
        expectError(try await expired.request("PATCH", unknownTask, rawBody: badBody, contentType: "application/json"), 401)
        expectError(try await outsider.request("PATCH", unknownTask, rawBody: badBody, contentType: "application/json"), 403)
        expectError(try await viewer.request("PATCH", unknownTask, rawBody: badBody, contentType: "application/json"), 403)
        expectError(try await viewer.request("POST", "/api/campaigns", rawBody: badBody, contentType: "application/json"), 403)
    }
}
