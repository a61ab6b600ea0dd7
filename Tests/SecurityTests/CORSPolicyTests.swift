import Foundation
import HTTP
import Testing
@testable import Security

@Suite struct CORSPolicyTests {
    let policy = CORSPolicy(allowedOrigins: ["https://dashboard.example.com", "http://localhost:5173/"])
    let methods = ["GET", "POST", "PATCH", "DELETE"]

    func preflight(origin: String?, method: String = "OPTIONS", requestMethod: String? = "PATCH") -> HTTPRequest {
        var headers: [(name: String, value: String)] = []
        if let origin { headers.append(("Origin", origin)) }
        if let requestMethod { headers.append(("Access-Control-Request-Method", requestMethod)) }
        headers.append(("Access-Control-Request-Headers", "authorization, content-type, if-match"))
        return RequestFixtures.request(method: method, path: "/api/campaigns/x/tasks/y", headers: headers)
    }

    @Test func answersAPreflightFromAnAllowedOrigin() throws {
        let response = try #require(policy.preflightResponse(for: preflight(origin: "https://dashboard.example.com"), allowedMethods: methods))
        #expect(response.status == .noContent)
        #expect(response.headers["Access-Control-Allow-Origin"] == "https://dashboard.example.com")
        #expect(response.headers["Access-Control-Allow-Methods"] == "GET, POST, PATCH, DELETE")
        let allowedHeaders = try #require(response.headers["Access-Control-Allow-Headers"]).split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        for header in ["authorization", "content-type", "if-match", "x-client-id", "last-event-id", "x-request-id"] {
            #expect(allowedHeaders.contains(header), "missing \(header)")
        }
        #expect(response.headers["Access-Control-Max-Age"] == "600")
        #expect(response.headers.values("Vary").contains("Origin"))
        #expect(response.headers["Access-Control-Allow-Credentials"] == nil)
    }

    @Test func matchesOriginsWithoutCaseOrTrailingSlash() throws {
        let response = try #require(policy.preflightResponse(for: preflight(origin: "http://LOCALHOST:5173"), allowedMethods: methods))
        // The origin is echoed exactly as the browser sent it.
        #expect(response.headers["Access-Control-Allow-Origin"] == "http://LOCALHOST:5173")
    }

    @Test func givesADisallowedPreflightAPlainAnswer() throws {
        for origin in ["https://evil.example.com", "https://dashboard.example.com.evil.example", "http://dashboard.example.com", "null"] {
            let response = try #require(policy.preflightResponse(for: preflight(origin: origin), allowedMethods: methods))
            #expect(response.status == .noContent)
            #expect(!response.headers.contains { $0.name.lowercased().hasPrefix("access-control-") }, "\(origin) got CORS headers")
        }
    }

    @Test func leavesNonPreflightRequestsToTheRouter() {
        #expect(policy.preflightResponse(for: preflight(origin: "https://dashboard.example.com", method: "GET"), allowedMethods: methods) == nil)
        #expect(policy.preflightResponse(for: preflight(origin: nil), allowedMethods: methods) == nil)
        #expect(policy.preflightResponse(for: preflight(origin: "https://dashboard.example.com", requestMethod: nil), allowedMethods: methods) == nil)
    }

    @Test func decoratesASimpleResponseForAnAllowedOrigin() {
        let request = RequestFixtures.request(headers: [("Origin", "https://dashboard.example.com")])
        var response = HTTPResponse(status: .ok, headers: ["Vary": "Accept-Encoding"])
        policy.apply(to: &response, for: request)
        #expect(response.headers["Access-Control-Allow-Origin"] == "https://dashboard.example.com")
        let exposed = response.headers["Access-Control-Expose-Headers"] ?? ""
        for header in ["ETag", "Location", "X-Request-Id"] { #expect(exposed.contains(header)) }
        #expect(response.headers.values("Vary") == ["Accept-Encoding", "Origin"])
        // Applying twice (a handler and the server both decorating) does not repeat headers.
        policy.apply(to: &response, for: request)
        #expect(response.headers.values("Vary") == ["Accept-Encoding", "Origin"])
        #expect(response.headers.values("Access-Control-Allow-Origin").count == 1)
    }

    @Test func leavesADisallowedOriginWithoutCORSHeaders() {
        var response = HTTPResponse(status: .ok)
        policy.apply(to: &response, for: RequestFixtures.request(headers: [("Origin", "https://evil.example.com")]))
        #expect(response.headers["Access-Control-Allow-Origin"] == nil)
        #expect(response.headers["Access-Control-Expose-Headers"] == nil)
        // Still `Vary: Origin`: a cache must not hand this answer to an allowed origin without the headers.
        #expect(response.headers["Vary"] == "Origin")
    }

    @Test func refusesSeveralOriginHeaders() {
        var response = HTTPResponse(status: .ok)
        let request = RequestFixtures.request(headers: [("Origin", "https://dashboard.example.com"), ("Origin", "https://evil.example.com")])
        policy.apply(to: &response, for: request)
        #expect(response.headers["Access-Control-Allow-Origin"] == nil)
    }

    @Test func wildcardAllowsAnyOriginByEchoingIt() throws {
        let wildcard = CORSPolicy(allowedOrigins: ["*"])
        #expect(wildcard.isEnabled)
        var response = HTTPResponse(status: .ok)
        wildcard.apply(to: &response, for: RequestFixtures.request(headers: [("Origin", "https://anything.example")]))
        #expect(response.headers["Access-Control-Allow-Origin"] == "https://anything.example")
        #expect(response.headers["Access-Control-Allow-Credentials"] == nil)
        let answer = try #require(wildcard.preflightResponse(for: preflight(origin: "http://127.0.0.1:8080"), allowedMethods: ["GET"]))
        #expect(answer.headers["Access-Control-Allow-Origin"] == "http://127.0.0.1:8080")
        #expect(answer.headers["Access-Control-Allow-Methods"] == "GET")
        var fromNull = HTTPResponse(status: .ok)
        wildcard.apply(to: &fromNull, for: RequestFixtures.request(headers: [("Origin", "null")]))
        #expect(fromNull.headers["Access-Control-Allow-Origin"] == nil)
    }

    @Test func anEmptyListDisablesCORS() throws {
        let disabled = CORSPolicy(allowedOrigins: [])
        #expect(!disabled.isEnabled)
        var response = HTTPResponse(status: .ok)
        disabled.apply(to: &response, for: RequestFixtures.request(headers: [("Origin", "https://dashboard.example.com")]))
        #expect(response.headers.count == 0)
        let answer = try #require(disabled.preflightResponse(for: preflight(origin: "https://dashboard.example.com"), allowedMethods: methods))
        #expect(answer.headers.count == 0)
    }
}
