import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// Bodies over `MAX_BODY_BYTES` are 413 with the JSON error shape, whether sized or chunked.
@Suite struct BodyLimitTests {
    static let limit = 2048

    @Test(arguments: TestStoreKind.available)
    func aBodyOverTheLimitIs413AndOneWithinItIsServed(kind: TestStoreKind) async throws {
        try await withServer(kind, configure: { $0.http.limits.maximumBodyBytes = Self.limit }) { app in
            let board = try await Board.make(app)
            let filler = String(repeating: "d", count: Self.limit)
            let tooBig: JSONValue = ["phaseId": .string(board.phases[0]), "title": "big", "description": .string(filler)]
            let response = try await board.client.request("POST", board.tasksPath, json: tooBig)
            expectError(response, 413)

            let task = try #require(try await board.addTask("small")["id"]?.stringValue)
            let patch = try await board.client.request("PATCH", board.taskPath(task), json: ["description": .string(filler)])
            expectError(patch, 413)
            let create = try await board.client.request("POST", "/api/campaigns", json: ["name": .string(filler)])
            expectError(create, 413)

            // Just within the limit: served (and refused only for what it says).
            let fits = String(repeating: "d", count: Self.limit - 200)
            let served = try await board.client.request("PATCH", board.taskPath(task), json: ["description": .string(fits)])
            #expect(served.status == 200 && served.json["description"]?.stringValue == fits)
            #expect(try await board.tasks(inPhase: 0).count == 1)
        }
    }

    @Test(arguments: TestStoreKind.available)
    func aChunkedBodyOverTheLimitIs413(kind: TestStoreKind) async throws {
        try await withServer(kind, configure: { $0.http.limits.maximumBodyBytes = Self.limit }) { app in
            let board = try await Board.make(app)
            let connection = try RawHTTPClient(port: app.port, timeoutSeconds: 20)
            let chunk = String(repeating: "x", count: 1024)
            var request = "POST \(board.tasksPath) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(app.token())\r\n"
            request += "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            for _ in 0..<4 { request += "400\r\n\(chunk)\r\n" }
            request += "0\r\n\r\n"
            try await connection.send(request)
            let response = try await connection.readResponse()
            #expect(response.status == 413)
            #expect(response.header("Content-Type")?.hasPrefix("application/json") == true)
            #expect(response.bodyText.contains("\"error\""))
            #expect(try await board.tasks(inPhase: 0).isEmpty)
        }
    }
}
