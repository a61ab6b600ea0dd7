import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// What the transport refuses before routing is answered by the application (issue 14: the HTTP module
/// knows no JSON): the error shape and codes of docs/API.md "Transport errors", a new request id, and
/// the connection closed after it.
@Suite struct TransportRefusalTests {
    static let refusals: [(request: String, status: Int, code: String)] = [
        ("GET / HTTP/1.1\nHost: x\n\n", 400, "bad_request"),
        ("POST /api/campaigns HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n", 413, "payload_too_large"),
        ("GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\nHost: x\r\n\r\n", 414, "uri_too_long"),
        ("GET /api/health HTTP/1.1\r\nHost: x\r\nExpect: later\r\n\r\n", 417, "expectation_failed"),
        ("GET /api/health HTTP/1.1\r\nHost: x\r\n" + (0..<120).map { "X-\($0): y\r\n" }.joined() + "\r\n", 431, "header_fields_too_large"),
        ("POST /api/campaigns HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501, "not_implemented"),
        ("GET /api/health HTTP/2.0\r\nHost: x\r\n\r\n", 505, "version_not_supported"),
        ("GET /api/health HTTP/1.1\r\nHost: x\r\n", 408, "request_timeout"),  // the head never ends
    ]

    @Test func everyTransportRefusalHasTheErrorShapeAndItsCode() async throws {
        try await withServer(.memory, configure: { $0.http.headerTimeoutSeconds = 1 }) { app in
            for (request, status, code) in Self.refusals {
                let connection = try RawHTTPClient(port: app.port, timeoutSeconds: 20)
                try await connection.send(request)
                let response = try await connection.readResponse()
                #expect(response.status == status, "\(code)")
                #expect(response.header("Content-Type") == "application/json", "\(code)")
                let body = try JSONParser.parse(response.body)
                #expect(body["error"]?["code"] == .string(code), "\(response.bodyText)")
                #expect(body["error"]?["message"]?.stringValue?.isEmpty == false, "\(response.bodyText)")
                #expect(response.header("X-Request-Id").map(Identifier.isValid) == true, "\(code)")
                #expect(try await connection.waitForClose(), "\(code)")
            }
        }
    }
}
