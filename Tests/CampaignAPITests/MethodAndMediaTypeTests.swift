import APITestSupport
import CampaignModel
import Testing

/// 405 with `Allow` for a wrong method on a known path, 415 for a body that is not JSON,
/// 400 for malformed JSON, on every write route.
@Suite struct MethodAndMediaTypeTests {
    @Test(arguments: TestStoreKind.available)
    func aWrongMethodOnAKnownPathIs405WithAllow(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let task = try #require(try await board.addTask("t")["id"]?.stringValue)
        let cases: [(String, String, Set<String>)] = [
            ("PUT", "/api/campaigns", ["GET", "POST"]),
            ("DELETE", "/api/campaigns", ["GET", "POST"]),
            ("POST", "/api/campaigns/\(board.id)", ["GET"]),
            ("PATCH", "/api/campaigns/\(board.id)/execution", ["GET"]),
            ("GET", "/api/campaigns/\(board.id)/tasks", ["POST"]),
            ("PUT", "/api/campaigns/\(board.id)/tasks/\(task)", ["GET", "PATCH", "DELETE"]),
            ("POST", "/api/campaigns/\(board.id)/tasks/\(task)", ["GET", "PATCH", "DELETE"]),
            ("GET", "/api/campaigns/\(board.id)/tasks/\(task)/move", ["POST"]),
            ("POST", "/api/events/\(board.id)", ["GET"]),
            ("POST", "/api/health", ["GET"]),
            ("DELETE", "/metrics", ["GET"]),
        ]
        for (method, path, expected) in cases {
            let response = try await board.client.request(method, path, rawBody: Array("{}".utf8), contentType: "application/json")
            expectError(response, 405)
            let allow = Set((response.header("Allow") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
            #expect(allow.isSuperset(of: expected) && !allow.contains(method), "\(method) \(path): Allow \(allow)")
        }
        // Nothing was written by the refused requests.
        #expect(try await board.client.request("GET", board.taskPath(task)).json["version"] == 1)
    }

    @Test(arguments: TestStoreKind.available)
    func aBodyThatIsNotJSONIs415OnEveryWriteRoute(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let task = try #require(try await board.addTask("t")["id"]?.stringValue)
        let body = #"{"name":"x","title":"x","phaseId":"\#(board.phases[1])","position":0}"#
        let routes = [("POST", "/api/campaigns"), ("POST", board.tasksPath), ("PATCH", board.taskPath(task)),
                      ("POST", board.taskPath(task) + "/move")]
        for (method, path) in routes {
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "application/jsonx", "multipart/form-data; boundary=x", nil] {
                let response = try await board.client.request(method, path, rawBody: Array(body.utf8), contentType: contentType)
                expectError(response, 415)
                #expect(response.status == 415, "\(method) \(path) with \(contentType ?? "no Content-Type")")
            }
        }
        #expect(try await board.client.request("GET", board.taskPath(task)).json["version"] == 1)
        // Parameters and letter case do not matter.
        let accepted = try await board.client.request("PATCH", board.taskPath(task), rawBody: Array(#"{"title":"y"}"#.utf8),
                                                      contentType: "Application/JSON; charset=utf-8")
        #expect(accepted.status == 200 && accepted.json["title"] == "y")
    }

    @Test(arguments: TestStoreKind.available)
    func malformedJSONIs400OnEveryWriteRoute(kind: TestStoreKind) async throws {
        let board = try await Board.make(try await SharedServer.get(kind))
        let task = try #require(try await board.addTask("t")["id"]?.stringValue)
        let routes = [("POST", "/api/campaigns"), ("POST", board.tasksPath), ("PATCH", board.taskPath(task)),
                      ("POST", board.taskPath(task) + "/move")]
        let bodies = ["", "{", #"{"title":}"#, #"{"title":"x",}"#, "{'title':'x'}", #"{"title":"x"} extra"#, "nul",
                      #"{"title":"x","title":"y"}"#, #"{"title":"\u12"}"#, "[1,2"]
        for (method, path) in routes {
            for body in bodies {
                let response = try await board.client.request(method, path, rawBody: Array(body.utf8), contentType: "application/json")
                expectError(response, 400)
                #expect(response.status == 400, "\(method) \(path) with \(body.debugDescription)")
            }
        }
        #expect(try await board.client.request("GET", board.taskPath(task)).json["version"] == 1)
    }
}
