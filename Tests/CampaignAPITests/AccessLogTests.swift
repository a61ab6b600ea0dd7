import APITestSupport
import CampaignAPI
import Testing

/// ACCESS_LOG=true writes one info line per request; the client address comes from X-Forwarded-For
/// only when the peer is in TRUSTED_PROXIES.
@Suite struct AccessLogTests {
    func accessLines(_ app: TestApplication, requestId: String) -> [String] {
        app.logs.all.filter { $0.contains("[API] access") && $0.contains("request.id=\(requestId)") }
    }

    @Test func aTrustedProxyNamesTheClient() async throws {
        try await withServer(.memory, configure: {
            $0.api.accessLog = true
            $0.api.trustedProxies = TrustedProxies.parse("127.0.0.1")!
        }) { app in
            let response = try await app.client().request(
                "GET", "/api/campaigns", headers: ["X-Forwarded-For": "6.6.6.6, 198.51.100.7", "X-Request-Id": "access-trusted"])
            #expect(response.status == 200)
            let lines = accessLines(app, requestId: "access-trusted")
            #expect(lines.count == 1, "\(lines)")
            let line = lines.first ?? ""
            #expect(line.hasPrefix("info "))
            for field in ["client.address=198.51.100.7", "method=GET", "route=GET /api/campaigns", "status=200",
                          "body.bytes=\(response.body.count)", "duration.ms="] {
                #expect(line.contains(field), "\(field) missing in \(line)")
            }
        }
    }

    @Test func anUntrustedPeerCannotChooseItsAddress() async throws {
        try await withServer(.memory, configure: { $0.api.accessLog = true }) { app in
            _ = try await app.client().request("GET", "/livez", headers: ["X-Forwarded-For": "198.51.100.7", "X-Request-Id": "access-spoof"])
            let line = accessLines(app, requestId: "access-spoof").first ?? ""
            #expect(line.contains("client.address=127.0.0.1") && !line.contains("198.51.100.7"), "\(line)")
        }
    }

    @Test func offByDefault() async throws {
        try await withServer(.memory) { app in
            _ = try await app.client().request("GET", "/livez", headers: ["X-Request-Id": "access-off"])
            #expect(accessLines(app, requestId: "access-off").isEmpty)
        }
    }
}
