import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// Issue 5: every bad credential is a 401 with `WWW-Authenticate: Bearer`, before any other check.
@Suite struct AuthenticationTests {
    /// Every route that wants a token, with a body that would otherwise be valid.
    static func protectedRoutes(_ board: Board, task: String) -> [(String, String, JSONValue?)] {
        [
            ("GET", "/api/campaigns", nil),
            ("POST", "/api/campaigns", ["name": "x"]),
            ("GET", "/api/campaigns/\(board.id)", nil),
            ("GET", "/api/campaigns/\(board.id)/execution", nil),
            ("POST", board.tasksPath, ["phaseId": .string(board.phases[0]), "title": "x"]),
            ("GET", board.taskPath(task), nil),
            ("PATCH", board.taskPath(task), ["title": "x"]),
            ("POST", board.taskPath(task) + "/move", ["phaseId": .string(board.phases[1]), "position": 0]),
            ("DELETE", board.taskPath(task), nil),
            ("GET", "/api/events/\(board.id)", nil),
            // Unknown campaign and an invalid id: still 401 first.
            ("GET", "/api/campaigns/\(Identifier.random())/execution", nil),
            ("PATCH", "/api/campaigns/not-a-uuid/tasks/\(task)", ["title": "x"]),
        ]
    }

    /// `Authorization` values that must all be refused.
    static func badCredentials(_ app: TestApplication) -> [(String, String?)] {
        let secret = app.secret
        let valid = app.token()
        let parts = valid.split(separator: ".").map(String.init)
        let elevated = TokenForge.base64URL(Array(TokenForge.payload(sub: "tester", role: "admin").utf8))
        return [
            ("missing", nil),
            ("empty bearer", "Bearer "),
            ("another scheme", "Basic \(valid)"),
            ("no scheme", valid),
            ("not a JWT", "Bearer not-a-jwt"),
            ("two parts", "Bearer \(parts[0]).\(parts[1])"),
            ("four parts", "Bearer \(valid).\(parts[2])"),
            ("bad base64", "Bearer \(parts[0]).\(parts[1]).!!!"),
            ("forged with another secret",
             "Bearer " + TokenForge.token(payload: TokenForge.payload(), signature: .hs256("not-the-secret"))),
            ("garbage signature", "Bearer " + TokenForge.token(payload: TokenForge.payload(), signature: .garbage)),
            ("tampered payload", "Bearer \(parts[0]).\(elevated).\(parts[2])"),
            ("expired", "Bearer " + app.token(lifetimeSeconds: -3600)),
            ("alg none", "Bearer " + TokenForge.token(header: #"{"alg":"none","typ":"JWT"}"#, payload: TokenForge.payload(), signature: .none)),
            ("alg none with a signature",
             "Bearer " + TokenForge.token(header: #"{"alg":"none"}"#, payload: TokenForge.payload(), signature: .hs256(secret))),
            ("HS512 with the real secret",
             "Bearer " + TokenForge.token(header: #"{"alg":"HS512","typ":"JWT"}"#, payload: TokenForge.payload(), signature: .hs512(secret))),
            ("RS256 header", "Bearer " + TokenForge.token(header: #"{"alg":"RS256"}"#, payload: TokenForge.payload(), signature: .hs256(secret))),
            ("no exp", "Bearer " + TokenForge.token(payload: TokenForge.payload(exp: nil), signature: .hs256(secret))),
            ("no role", "Bearer " + TokenForge.token(payload: TokenForge.payload(role: nil), signature: .hs256(secret))),
            ("unknown role", "Bearer " + TokenForge.token(payload: TokenForge.payload(role: "root"), signature: .hs256(secret))),
            ("no campaigns", "Bearer " + TokenForge.token(payload: TokenForge.payload(campaigns: nil), signature: .hs256(secret))),
            ("campaigns not an array",
             "Bearer " + TokenForge.token(payload: TokenForge.payload(campaigns: #""*""#), signature: .hs256(secret))),
            ("no sub", "Bearer " + TokenForge.token(payload: TokenForge.payload(sub: nil), signature: .hs256(secret))),
        ]
    }

    @Test(arguments: TestStoreKind.available)
    func everyBadCredentialIs401WithWWWAuthenticateOnEveryProtectedRoute(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let task = try #require(try await board.addTask("guarded")["id"]?.stringValue)
        for (name, credential) in Self.badCredentials(app) {
            var client = app.client()
            client.token = nil
            for (method, path, body) in Self.protectedRoutes(board, task: task) {
                let headers = credential.map { ["Authorization": $0] } ?? [:]
                let response = try await client.request(method, path, json: body, headers: headers)
                #expect(response.status == 401, "\(name): \(method) \(path) → \(response.status)")
                expectErrorShape(response)
                #expect(response.header("WWW-Authenticate")?.lowercased().hasPrefix("bearer") == true, "\(name): \(method) \(path)")
            }
        }
        // Nothing was written by any of them.
        let snapshot = try await board.snapshot()
        #expect(snapshot["tasks"]?.arrayValue?.count == 1 && snapshot["history"]?.arrayValue?.count == 1)
        #expect(try await board.client.request("GET", board.taskPath(task)).json["version"] == 1)
    }

    /// The control for the forged tokens above: the same forge, the real secret and HS256 is accepted,
    /// so each refusal is down to the one thing that token gets wrong.
    @Test(arguments: TestStoreKind.available)
    func aHandMadeTokenSignedRightIsAccepted(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        var client = app.client()
        client.token = TokenForge.token(payload: TokenForge.payload(sub: "forger-control", role: "editor", campaigns: #"["\#(board.id)"]"#),
                                        signature: .hs256(app.secret))
        let created = try await client.request("POST", board.tasksPath, json: ["phaseId": .string(board.phases[0]), "title": "ok"])
        #expect(created.status == 201)
        #expect(try await board.history().first?["actor"]?.stringValue == "forger-control")
        client.token = TokenForge.token(header: #"{"alg":"HS256"}"#, payload: TokenForge.payload(), signature: .hs256(app.secret))
        #expect(try await client.request("GET", "/api/campaigns").status == 200)
    }

    @Test(arguments: TestStoreKind.available)
    func aTokenInTheQueryStringIsRefusedOutsideTheStream(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let task = try #require(try await board.addTask("q")["id"]?.stringValue)
        var anonymous = app.client()
        anonymous.token = nil
        let token = app.token()
        for (method, path, body) in Self.protectedRoutes(board, task: task) where !path.hasPrefix("/api/events/") {
            let response = try await anonymous.request(method, path + "?access_token=\(token)", json: body)
            #expect(response.status == 401, "\(method) \(path)")
            expectErrorShape(response)
            #expect(response.header("WWW-Authenticate")?.lowercased().hasPrefix("bearer") == true)
        }
        #expect(try await board.client.request("GET", board.taskPath(task)).json["version"] == 1)
    }

    @Test(arguments: TestStoreKind.available)
    func theStreamAcceptsATokenInTheQueryString(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let token = app.token(role: .viewer, campaigns: .only([board.id]))
        let stream = try await SSEClient(port: app.port, path: "/api/events/\(board.id)?access_token=\(token)")
        defer { stream.close() }
        #expect(stream.status == 200)
        #expect(stream.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let connected = try await stream.next()
        #expect(connected.event == "connected" && connected.json["campaignId"]?.stringValue == board.id)

        // A bad token in the query is still a 401.
        for bad in [app.token(lifetimeSeconds: -3600), TokenForge.token(payload: TokenForge.payload(), signature: .hs256("wrong")), ""] {
            var anonymous = app.client()
            anonymous.token = nil
            let refused = try await anonymous.request("GET", "/api/events/\(board.id)?access_token=\(bad)")
            #expect(refused.status == 401)
            #expect(refused.header("WWW-Authenticate")?.lowercased().hasPrefix("bearer") == true)
        }
    }

    /// RFC 6750 §3.1: a request that sent no credentials is told how to authenticate, without an error
    /// code; a token that was sent and refused is `invalid_token`.
    @Test func theChallengeNamesAnErrorOnlyWhenATokenWasRefused() async throws {
        let app = try await SharedServer.get(.memory)
        var anonymous = app.client()
        anonymous.token = nil
        let unsent = try await anonymous.request("GET", "/api/campaigns")
        #expect(unsent.status == 401)
        #expect(unsent.header("WWW-Authenticate") == #"Bearer realm="campaigns""#)
        let refused = try await anonymous.request("GET", "/api/campaigns", headers: ["Authorization": "Bearer junk.junk.junk"])
        #expect(refused.status == 401)
        #expect(refused.header("WWW-Authenticate") == #"Bearer realm="campaigns", error="invalid_token""#)
        let expired = try await anonymous.request("GET", "/api/campaigns", headers: ["Authorization": "Bearer \(app.token(lifetimeSeconds: -3600))"])
        #expect(expired.header("WWW-Authenticate") == #"Bearer realm="campaigns", error="invalid_token""#)
    }

    @Test(arguments: TestStoreKind.available)
    func healthNeedsNoToken(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        var anonymous = app.client()
        anonymous.token = nil
        #expect(try await anonymous.request("GET", "/api/health").status == 200)
        // Even a bad token does not stand in its way.
        #expect(try await anonymous.request("GET", "/api/health", headers: ["Authorization": "Bearer junk"]).status == 200)
    }
}
