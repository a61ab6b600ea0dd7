import APITestSupport
import CampaignModel
import Testing

/// Issue 12: who may create a campaign. An admin for every campaign (`campaigns: ["*"]`) may; an
/// admin limited to some campaigns may not (403): it could neither read nor use the campaign it made,
/// which would lie outside its scope, and it must not grow the server beyond what it was given.
@Suite struct CampaignCreationScopeTests {
    @Test(arguments: TestStoreKind.available)
    func onlyAnAdminForEveryCampaignCreatesCampaigns(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let scopedAdmin = app.client(token: app.token(subject: "scoped-admin", role: .admin, campaigns: .only([board.id])))
        let name = "scoped \(Identifier.random())"
        let refused = try await scopedAdmin.request("POST", "/api/campaigns", json: ["name": .string(name)])
        expectError(refused, 403, code: "forbidden")
        // Refused before the body is looked at, as every 403 is.
        expectError(try await scopedAdmin.request("POST", "/api/campaigns", json: ["nonsense": 1]), 403, code: "forbidden")
        let all = try await app.client().request("GET", "/api/campaigns")
        #expect(all.json.arrayValue?.contains { $0["name"]?.stringValue == name } == false)
        // Within its scope it is still an admin.
        #expect(try await scopedAdmin.request("GET", "/api/campaigns/\(board.id)/execution").status == 200)
        #expect(try await scopedAdmin.request("POST", board.tasksPath, json: ["phaseId": .string(board.phases[0]), "title": "mine"]).status == 201)
        // An admin for every campaign creates one.
        let created = try await app.client(token: app.token(subject: "global-admin", role: .admin, campaigns: .all))
            .request("POST", "/api/campaigns", json: ["name": .string(name)])
        #expect(created.status == 201)
    }
}
