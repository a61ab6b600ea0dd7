import APITestSupport
import Testing
import TestSupport

/// A request head that does not complete in time: 408 if nothing was sent on the connection yet,
/// otherwise the connection is just closed.
@Suite struct HeaderTimeoutTests {
    @Test(arguments: TestStoreKind.available)
    func anIncompleteHeadIsAnsweredWith408AndClosed(kind: TestStoreKind) async throws {
        try await withServer(kind, configure: { $0.http.headerTimeoutSeconds = 1 }) { app in
            let connection = try RawHTTPClient(port: app.port, timeoutSeconds: 30)
            try await connection.send("GET /api/health HTTP/1.1\r\nHost: x\r\n")
            let response = try await connection.readResponse()
            #expect(response.status == 408)
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(try await connection.waitForClose())
        }
    }

    @Test(arguments: TestStoreKind.available)
    func anIncompleteSecondHeadOnAServedConnectionIsClosedWithoutAnAnswer(kind: TestStoreKind) async throws {
        try await withServer(kind, configure: { $0.http.headerTimeoutSeconds = 1 }) { app in
            let connection = try RawHTTPClient(port: app.port, timeoutSeconds: 30)
            try await connection.send("GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await connection.readResponse().status == 200)
            try await connection.send("GET /api/health HTTP/1.1\r\nHost: x\r\n")
            #expect(try await connection.waitForClose())
            #expect(connection.unconsumed.isEmpty, "unexpected bytes: \(String(decoding: connection.unconsumed, as: UTF8.self))")
        }
    }
}
