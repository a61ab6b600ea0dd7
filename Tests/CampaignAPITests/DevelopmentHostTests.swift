import APITestSupport
import TestSupport
import Testing

/// Issue 12: with AUTH_DISABLED=true every caller is an admin, so only requests addressed to a
/// loopback name are served. A page on another name that rebinds its DNS to 127.0.0.1 sends its own
/// name as `Host` and is refused with 421 `host_not_allowed` (DNS rebinding).
@Suite struct DevelopmentHostTests {
    static let allowed = ["localhost", "localhost:3001", "LOCALHOST", "localhost.", "127.0.0.1", "127.0.0.1:80", "127.1.2.3:65535",
                          "[::1]", "[::1]:3001"]
    static let refused = ["evil.example", "evil.example:3001", "localhost.evil.example", "127.0.0.1.evil.example",
                          "10.0.0.1", "0.0.0.0", "128.0.0.1", "127.0.0.256", "127.0.0", "[::2]", "[::1]x", "localhost:http"]

    @Test func withAuthenticationDisabledOnlyLoopbackHostsAreServed() async throws {
        try await withServer(.memory, authDisabled: true) { app in
            for host in Self.allowed {
                let response = try await Self.get(app, "/api/campaigns", host: host)
                #expect(response.status == 200, "Host: \(host)")
            }
            for host in Self.refused {
                for path in ["/api/campaigns", "/api/health", "/", "/api/events/\(String(repeating: "0", count: 8))"] {
                    let response = try await Self.get(app, path, host: host)
                    #expect(response.status == 421, "Host: \(host) \(path)")
                    #expect(response.bodyText.contains(#""code":"host_not_allowed""#), "Host: \(host)")
                }
            }
            // Writes as well: nothing is created through a foreign name.
            let connection = try RawHTTPClient(port: app.port, timeoutSeconds: 20)
            try await connection.send("POST /api/campaigns HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\n"
                + "Content-Length: 12\r\nConnection: close\r\n\r\n{\"name\":\"x\"}")
            #expect(try await connection.readResponse().status == 421)
            #expect(try await APIClient(port: app.port, token: nil).request("GET", "/api/campaigns").json.arrayValue?.isEmpty == true)
        }
    }

    @Test func withAuthenticationOnAnyHostIsServed() async throws {
        let app = try await SharedServer.get(.memory)
        #expect(try await Self.get(app, "/api/health", host: "campaigns.example.com").status == 200)
    }

    /// One raw request with exactly this `Host` line (APIClient always sends its own).
    static func get(_ app: TestApplication, _ path: String, host: String) async throws -> RawHTTPClient.Response {
        let connection = try RawHTTPClient(port: app.port, timeoutSeconds: 20)
        try await connection.send("GET \(path) HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n")
        return try await connection.readResponse()
    }
}
