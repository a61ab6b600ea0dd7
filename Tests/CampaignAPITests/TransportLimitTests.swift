import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// The transport statuses of docs/API.md through the real server: 414, 431, malformed HTTP → 400 and close.
@Suite struct TransportLimitTests {
    /// Sends `bytes` on a new connection and reads one response.
    static func exchange(_ port: Int, _ bytes: String) async throws -> (RawHTTPClient, RawHTTPClient.Response) {
        let connection = try RawHTTPClient(port: port, timeoutSeconds: 20)
        try await connection.send(bytes)
        return (connection, try await connection.readResponse())
    }

    @Test(arguments: TestStoreKind.available)
    func aRequestTargetOver8KiBIs414(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let target = "/api/health?pad=" + String(repeating: "a", count: 8 * 1024)
        let (_, response) = try await Self.exchange(app.port, "GET \(target) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.status == 414)
        #expect(response.header("Content-Type")?.hasPrefix("application/json") == true && response.bodyText.contains("\"error\""))
        // A target just inside the limit is served.
        let (_, fits) = try await Self.exchange(app.port, "GET /api/health?pad=\(String(repeating: "a", count: 7 * 1024)) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        #expect(fits.status == 200)
    }

    @Test(arguments: TestStoreKind.available)
    func aHeaderSectionOver16KiBOrOver100FieldsIs431(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let big = "GET /api/health HTTP/1.1\r\nHost: x\r\nX-Pad: \(String(repeating: "p", count: 17 * 1024))\r\n\r\n"
        let (_, sized) = try await Self.exchange(app.port, big)
        #expect(sized.status == 431)
        #expect(sized.header("Content-Type")?.hasPrefix("application/json") == true && sized.bodyText.contains("\"error\""))
        let many = "GET /api/health HTTP/1.1\r\nHost: x\r\n" + (0..<101).map { "X-F\($0): v\r\n" }.joined() + "\r\n"
        let (_, counted) = try await Self.exchange(app.port, many)
        #expect(counted.status == 431)
    }

    @Test(arguments: TestStoreKind.available)
    func malformedHTTPIs400AndTheConnectionIsClosed(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let token = app.token()
        let malformed = [
            "GARBAGE\r\n\r\n",
            "GET /api/health\r\nHost: x\r\n\r\n",
            "GET /api/health HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n",
            "GET /api/health HTTP/1.1\r\nHost: x\r\nX Space: v\r\n\r\n",
            "POST /api/campaigns HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            "POST /api/campaigns HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
            "POST /api/campaigns HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            "POST /api/campaigns HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        ]
        for request in malformed {
            let (connection, response) = try await Self.exchange(app.port, request)
            #expect(response.status == 400, "\(request.debugDescription)")
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(try await connection.waitForClose(), "\(request.debugDescription)")
        }
        // The server keeps answering.
        #expect(try await app.client().request("GET", "/api/health").status == 200)
    }
}
