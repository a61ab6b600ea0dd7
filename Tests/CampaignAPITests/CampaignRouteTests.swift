import APITestSupport
import CampaignModel
import Security
import Testing

/// `GET/POST /api/campaigns` and `GET /api/campaigns/:id`, on both stores.
@Suite struct CampaignRouteTests {
    @Test(arguments: TestStoreKind.available)
    func createAnswers201WithLocationAndTheDefaultPhases(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let name = "Spring launch \(Identifier.random())"
        let response = try await app.client().request("POST", "/api/campaigns", json: ["name": .string("  \(name)  ")])
        #expect(response.status == 201)
        let id = try #require(response.json["id"]?.stringValue)
        #expect(Identifier.normalized(id) == id)
        #expect(response.json["name"]?.stringValue == name)
        #expect(isTimestamp(response.json["createdAt"]))
        #expect(response.header("Location") == "/api/campaigns/\(id)")
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)

        let phases = try await app.client().snapshot(id)["phases"]?.arrayValue ?? []
        #expect(phases.map { $0["name"]?.stringValue } == ["Planning", "Creative", "Launch", "Analysis"])
        #expect(phases.map { $0["position"]?.intValue } == [0, 1, 2, 3])
        #expect(phases.allSatisfy { $0["campaignId"]?.stringValue == id && Identifier.isValid($0["id"]?.stringValue ?? "") })
        #expect(Set(phases.compactMap { $0["id"]?.stringValue }).count == 4)
    }

    @Test(arguments: TestStoreKind.available)
    func getReturnsTheCampaignAsCreated(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let created = try await app.client().createCampaign()
        let id = try #require(created["id"]?.stringValue)
        let response = try await app.client().request("GET", "/api/campaigns/\(id)")
        #expect(response.status == 200)
        #expect(response.json == created)
        // Ids are accepted in either letter case and answered lower-case.
        let upper = try await app.client().request("GET", "/api/campaigns/\(id.uppercased())")
        #expect(upper.status == 200 && upper.json["id"]?.stringValue == id)
    }

    @Test(arguments: TestStoreKind.available)
    func aClientChosenIdIsKeptAndReusingItIsAConflict(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let id = Identifier.random()
        let first = try await app.client().request("POST", "/api/campaigns", json: ["id": .string(id), "name": "Mine"])
        #expect(first.status == 201 && first.json["id"]?.stringValue == id)
        #expect(first.header("Location") == "/api/campaigns/\(id)")
        for name in ["Mine", "Another"] {
            let again = try await app.client().request("POST", "/api/campaigns", json: ["id": .string(id), "name": .string(name)])
            expectError(again, 409)
        }
        #expect(try await app.client().request("GET", "/api/campaigns/\(id)").json["name"]?.stringValue == "Mine")
    }

    @Test(arguments: TestStoreKind.available)
    func onlyAnAdminCreatesCampaigns(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let id = Identifier.random()
        for role in [Role.viewer, .editor] {
            let client = app.client(token: app.token(role: role))
            expectError(try await client.request("POST", "/api/campaigns", json: ["id": .string(id), "name": "No"]), 403)
        }
        expectError(try await app.client().request("GET", "/api/campaigns/\(id)"), 404)
    }

    @Test(arguments: TestStoreKind.available)
    func createValidatesItsBody(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let client = app.client()
        let cases: [(JSONValue, String?)] = [
            ([:], "name"),
            (["name": "   "], "name"),
            (["name": 12], "name"),
            (["name": nil], "name"),
            (["name": "ok", "id": "not-a-uuid"], "id"),
            (["name": "ok", "id": 5], "id"),
            (["name": "ok", "colour": "red"], "colour"),
            (["name": .string(String(repeating: "n", count: 10_001))], "name"),
            (["ok"], nil),
            ("name", nil),
        ]
        for (body, field) in cases {
            let response = try await client.request("POST", "/api/campaigns", json: body)
            expectError(response, 400, field: field)
        }
    }

    @Test(arguments: TestStoreKind.available)
    func theListIsScopedByTheTokensCampaigns(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let admin = app.client()
        let a = try #require(try await admin.createCampaign()["id"]?.stringValue)
        let b = try #require(try await admin.createCampaign()["id"]?.stringValue)
        let c = try #require(try await admin.createCampaign()["id"]?.stringValue)

        let all = try await admin.request("GET", "/api/campaigns")
        #expect(all.status == 200)
        let allIds = Set(all.json.arrayValue?.compactMap { $0["id"]?.stringValue } ?? [])
        #expect(allIds.isSuperset(of: [a, b, c]))

        let scoped = app.client(token: app.token(role: .viewer, campaigns: .only([a, c.uppercased().lowercased()])))
        let listed = try await scoped.request("GET", "/api/campaigns")
        #expect(listed.status == 200)
        let ids = listed.json.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        #expect(Set(ids) == [a, c])
        #expect(listed.json.arrayValue?.allSatisfy { $0["name"]?.stringValue != nil && $0["createdAt"]?.stringValue != nil } == true)

        let none = app.client(token: app.token(role: .viewer, campaigns: .only([Identifier.random()])))
        let empty = try await none.request("GET", "/api/campaigns")
        #expect(empty.status == 200 && empty.json == .array([]))
    }
}
