import APITestSupport
import CampaignAPI
import CampaignModel
import Security
import Testing

/// Issue 5: CORS for the allowed origin only: preflight answers, `Vary: Origin`, exposed headers.
@Suite struct CORSTests {
    static let origin = "https://board.example"

    static func start(_ kind: TestStoreKind, _ body: (TestApplication) async throws -> Void) async throws {
        try await withServer(kind, configure: { $0.api.cors = CORSPolicy(allowedOrigins: [origin]) }, body)
    }

    static func list(_ value: String?) -> Set<String> {
        Set((value ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    }

    @Test(arguments: TestStoreKind.available)
    func aPreflightFromTheAllowedOriginIsAnswered(kind: TestStoreKind) async throws {
        try await Self.start(kind) { app in
            let board = try await Board.make(app)
            var anonymous = app.client()
            anonymous.token = nil
            let cases: [(String, String, Set<String>)] = [
                (board.taskPath(Identifier.random()), "PATCH", ["get", "patch", "delete"]),
                (board.tasksPath, "POST", ["post"]),
                ("/api/events/\(board.id)", "GET", ["get"]),
                ("/api/campaigns", "POST", ["get", "post"]),
            ]
            for (path, method, methods) in cases {
                let response = try await anonymous.request("OPTIONS", path, headers: [
                    "Origin": Self.origin, "Access-Control-Request-Method": method,
                    "Access-Control-Request-Headers": "authorization, content-type, if-match, x-client-id",
                ])
                #expect(response.status == 204 || response.status == 200, "OPTIONS \(path): \(response.status)")
                #expect(response.header("Access-Control-Allow-Origin") == Self.origin)
                #expect(Self.list(response.header("Access-Control-Allow-Methods")).isSuperset(of: methods), "\(path)")
                #expect(Self.list(response.header("Access-Control-Allow-Headers"))
                    .isSuperset(of: ["authorization", "content-type", "if-match", "x-client-id", "last-event-id"]))
                #expect(Self.list(response.header("Vary")).contains("origin"))
                #expect(Int(response.header("Access-Control-Max-Age") ?? "") ?? 0 > 0)
            }
        }
    }

    @Test(arguments: TestStoreKind.available)
    func responsesToTheAllowedOriginCarryTheCORSHeaders(kind: TestStoreKind) async throws {
        try await Self.start(kind) { app in
            let board = try await Board.make(app)
            let headers = ["Origin": Self.origin]
            let created = try await board.client.request("POST", board.tasksPath, json: ["phaseId": .string(board.phases[0]), "title": "x"],
                                                         headers: headers)
            let fetched = try await board.client.request("GET", "/api/campaigns/\(board.id)/execution", headers: headers)
            let refused = try await board.client.request("PATCH", board.taskPath(Identifier.random()), json: ["title": "x"], headers: headers)
            var anonymous = app.client()
            anonymous.token = nil
            let unauthorized = try await anonymous.request("GET", "/api/campaigns", headers: headers)
            #expect(created.status == 201 && fetched.status == 200 && refused.status == 404 && unauthorized.status == 401)
            for response in [created, fetched, refused, unauthorized] {
                #expect(response.header("Access-Control-Allow-Origin") == Self.origin)
                #expect(Self.list(response.header("Vary")).contains("origin"))
                #expect(Self.list(response.header("Access-Control-Expose-Headers")).isSuperset(of: ["etag", "location"]))
            }
            // The stream too.
            let stream = try await SSEClient(port: app.port, path: "/api/events/\(board.id)",
                                             headers: ["Authorization": "Bearer \(app.token())", "Origin": Self.origin])
            defer { stream.close() }
            #expect(stream.status == 200 && stream.headers["access-control-allow-origin"] == Self.origin)
        }
    }

    @Test(arguments: TestStoreKind.available)
    func aDisallowedOriginGetsNoCORSHeaders(kind: TestStoreKind) async throws {
        try await Self.start(kind) { app in
            let board = try await Board.make(app)
            for origin in ["https://evil.example", "http://board.example", "https://board.example.evil", "null"] {
                let preflight = try await board.client.request("OPTIONS", board.tasksPath, headers: [
                    "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization",
                ])
                let simple = try await board.client.request("GET", "/api/campaigns/\(board.id)", headers: ["Origin": origin])
                #expect(simple.status == 200)
                #expect(preflight.status < 500)
                for response in [preflight, simple] {
                    let cors = response.headers.filter { $0.name.lowercased().hasPrefix("access-control-") }
                    #expect(cors.isEmpty, "\(origin): \(cors)")
                }
            }
            // Without CORS configured at all there are none either.
            let plain = try await SharedServer.get(kind).client().request("GET", "/api/campaigns", headers: ["Origin": Self.origin])
            #expect(plain.header("Access-Control-Allow-Origin") == nil)
        }
    }
}
