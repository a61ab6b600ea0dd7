import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// HEAD is served wherever GET is (the router maps it), and a response to HEAD never has content
/// (RFC 9110 §9.3.2): the next bytes on the connection are the next response.
@Suite struct HeadRequestTests {
    /// Sends HEAD `path` and a GET of `/api/health` in one write, and returns the HEAD response's head
    /// and the first line that follows it (the next status line, if all is well).
    static func headThenHealth(_ app: TestApplication, _ path: String) async throws -> (head: String, next: String) {
        let connection = try RawHTTPClient(port: app.port, timeoutSeconds: 20)
        try await connection.send("HEAD \(path) HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(app.token())\r\n\r\n"
            + "GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        let head = try await connection.readUntil("\r\n\r\n")
        let next = try await connection.readUntil("\n")
        return (head, next)
    }

    @Test(arguments: TestStoreKind.available)
    func headOfAJSONRouteHasTheHeadersAndNoContent(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let (head, next) = try await Self.headThenHealth(app, "/api/campaigns/\(board.id)/execution")
        #expect(head.hasPrefix("HTTP/1.1 200"))
        #expect(head.lowercased().contains("content-type: application/json"))
        #expect(next.hasPrefix("HTTP/1.1 200"), "after the HEAD response: \(next.prefix(120).debugDescription)")
    }

    @Test(.bug(id: 3, "Regression (fixed): HEAD /api/events/:id opens a real stream and writes retry/connected/events as content"),
          arguments: TestStoreKind.available)
    func headOfTheEventStreamHasNoContent(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        let (head, next) = try await Self.headThenHealth(app, "/api/events/\(board.id)")
        // 200 with the stream's headers, or a 405 naming GET: either way, no content follows.
        #expect(head.hasPrefix("HTTP/1.1 200") || head.hasPrefix("HTTP/1.1 405"), "\(head)")
        #expect(next.hasPrefix("HTTP/1.1 "), "content after a HEAD response: \(next.debugDescription)")
    }
}
