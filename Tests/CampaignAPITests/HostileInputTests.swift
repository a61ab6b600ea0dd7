import APITestSupport
import CampaignModel
import Testing
import TestSupport

/// "No 500 should be reachable from any input": hostile bodies and headers against every write
/// route answer 4xx (or a success where the input is in fact valid), never 5xx, and the server
/// keeps answering.
@Suite struct HostileInputTests {
    /// Raw bodies that are all invalid for every write route.
    static func invalidBodies(phase: String) -> [(String, [UInt8])] {
        let deepArray = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let deepObject = String(repeating: #"{"a":"#, count: 100) + "1" + String(repeating: "}", count: 100)
        var bodies: [(String, [UInt8])] = [
            ("array 100 deep", Array(deepArray.utf8)),
            ("object 100 deep", Array(deepObject.utf8)),
            ("title 100 deep", Array(#"{"phaseId":"\#(phase)","title":\#(deepArray),"name":\#(deepArray)}"#.utf8)),
            ("array 100k deep", Array(String(repeating: "[", count: 100_000).utf8)),
            ("invalid UTF-8 in a string", Array(#"{"title":""#.utf8) + [0xFF, 0xFE] + Array(#"","name":"x"}"#.utf8)),
            ("overlong UTF-8", Array(#"{"title":""#.utf8) + [0xC0, 0xAF] + Array(#""}"#.utf8)),
            ("UTF-8 surrogate", Array(#"{"title":""#.utf8) + [0xED, 0xA0, 0x80] + Array(#""}"#.utf8)),
            ("truncated UTF-8", Array(#"{"title":""#.utf8) + [0xE2, 0x82] + Array(#""}"#.utf8)),
            ("raw NUL in a string", Array(#"{"title":"a"#.utf8) + [0x00] + Array(#"b"}"#.utf8)),
            ("raw NUL outside", Array("{\"title\":\"a\"}".utf8) + [0x00]),
            ("lone high surrogate escape", Array(#"{"title":"\ud800","name":"\ud800","phaseId":"\#(phase)","position":0}"#.utf8)),
            ("lone low surrogate escape", Array(#"{"title":"\udc00x","name":"\udc00"}"#.utf8)),
            ("BOM", [0xEF, 0xBB, 0xBF] + Array("{}".utf8)),
            ("UTF-16", Array("{\"title\":\"x\"}".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })),
            ("huge integer", Array(#"{"position":99999999999999999999999999999,"title":1,"name":1}"#.utf8)),
            ("huge exponent", Array(#"{"position":1e999999999,"title":1,"name":1}"#.utf8)),
            ("tiny exponent", Array(#"{"position":1e-999999999,"title":1,"name":1}"#.utf8)),
            ("Int64 overflow", Array(#"{"position":9223372036854775808,"title":1,"name":1}"#.utf8)),
            ("Int64 min", Array(#"{"phaseId":"\#(phase)","position":-9223372036854775808,"title":"x","name":1}"#.utf8)),
            ("NaN", Array(#"{"position":NaN}"#.utf8)),
            ("Infinity", Array(#"{"position":Infinity}"#.utf8)),
            ("leading zeros", Array(#"{"position":00001}"#.utf8)),
            ("duplicate keys", Array(#"{"title":"a","title":"b","name":"a","name":"b"}"#.utf8)),
            ("just a string", Array(#""title""#.utf8)),
            ("just a number", Array("42".utf8)),
            ("title of 1 MB minus a bit", Array(#"{"phaseId":"\#(phase)","name":1,"title":""#.utf8)
                + Array(repeating: UInt8(ascii: "t"), count: 1_000_000) + Array(#""}"#.utf8)),
            ("a million escapes", Array(#"{"name":1,"title":""#.utf8) + Array(String(repeating: #"\u00e9"#, count: 150_000).utf8)
                + Array(#""}"#.utf8)),
            ("many members", Array(("{" + (0..<1_000).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + "}").utf8)),
        ]
        // Wrong JSON types in every field any write route reads.
        let fields = ["id", "name", "campaignId", "phaseId", "title", "description", "status", "priority", "assignee", "dueDate", "position"]
        let wrongValues: [JSONValue] = [true, ["x"], ["k": "v"], .double(1.5), .int(-1), .int(Int64.max)]
        for field in fields {
            for value in wrongValues {
                let body: JSONValue = [field: value]
                bodies.append(("\(field) = \(value.encoded().count < 40 ? String(decoding: value.encoded(), as: UTF8.self) : "…")",
                               body.encoded()))
            }
        }
        return bodies
    }

    /// Bodies that look odd but may be valid: any answer below 500 is fine, and a success must round-trip.
    static func oddButMaybeValidTasks() -> [(String, JSONObject)] {
        [
            ("escaped NUL in the title", ["title": "a\u{0}b"]),
            ("escaped NUL in the description", ["title": "x", "description": "a\u{0}b"]),
            ("escaped NUL in the assignee", ["title": "x", "assignee": "\u{0}"]),
            ("noncharacter", ["title": "\u{FFFF}\u{FFFE}"]),
            ("private use and emoji", ["title": "\u{E000}👩‍👩‍👧‍👦"]),
            ("control characters", ["title": "a\u{1}\u{7}\u{1B}[31mb"]),
            ("zero-width only", ["title": "\u{200B}\u{200D}"]),
            ("right-to-left override", ["title": "\u{202E}abc"]),
            ("earliest due date", ["title": "x", "dueDate": "0001-01-01"]),
            ("latest due date", ["title": "x", "dueDate": "9999-12-31"]),
            ("year zero", ["title": "x", "dueDate": "0000-01-01"]),
            ("huge position", ["title": "x", "position": .int(Int64.max)]),
            ("position as a float integer", ["title": "x", "position": .double(3.0)]),
            ("position as 1e300", ["title": "x", "position": .double(1e300)]),
            ("SQL in the title", ["title": "'); DROP TABLE campaign_tasks; --"]),
            ("percent signs", ["title": "%s%n%x%%", "assignee": "%00"]),
        ]
    }

    @Test(arguments: TestStoreKind.available)
    func hostileInputsNeverGetA5xx(kind: TestStoreKind) async throws {
        try await withServer(kind) { app in
            let board = try await Board.make(app)
            let task = try #require(try await board.addTask("target")["id"]?.stringValue)
            let routes = [("POST", "/api/campaigns"), ("POST", board.tasksPath), ("PATCH", board.taskPath(task)),
                          ("POST", board.taskPath(task) + "/move")]
            for (name, body) in Self.invalidBodies(phase: board.phases[1]) {
                for (method, path) in routes {
                    let response = try await board.client.request(method, path, rawBody: body, contentType: "application/json")
                    #expect((400..<500).contains(response.status), "\(name) → \(method) \(path): \(response.status) \(response.text.prefix(200))")
                    if response.status >= 400 { expectErrorShape(response) }
                }
            }
            // The target task was never touched.
            #expect(try await board.client.request("GET", board.taskPath(task)).json["version"] == 1)
            #expect(try await app.client().request("GET", "/api/health").status == 200)
            #expect(!app.logs.contains("[API] request failed"), "a 5xx was logged")
        }
    }

    @Test(arguments: TestStoreKind.available)
    func oddButPossiblyValidValuesNeverGetA5xxAndRoundTrip(kind: TestStoreKind) async throws {
        try await withServer(kind) { app in
            let board = try await Board.make(app)
            let task = try #require(try await board.addTask("patch me")["id"]?.stringValue)
            for (name, fields) in Self.oddButMaybeValidTasks() {
                var body: JSONObject = ["phaseId": .string(board.phases[0])]
                for member in fields.members { body[member.key] = member.value }
                let created = try await board.client.request("POST", board.tasksPath, json: .object(body))
                #expect(created.status < 500, "create with \(name): \(created.status) \(created.text.prefix(200))")
                if created.status == 201, let id = created.json["id"]?.stringValue {
                    let fetched = try await board.client.request("GET", board.taskPath(id))
                    for member in fields.members where member.key != "position" {
                        #expect(fetched.json[member.key] == member.value, "\(name): \(member.key) came back as \(fetched.json[member.key] ?? nil)")
                    }
                } else {
                    expectErrorShape(created)
                }
                var patch = fields
                patch["position"] = nil
                let patched = try await board.client.request("PATCH", board.taskPath(task), json: .object(patch))
                #expect(patched.status < 500, "patch with \(name): \(patched.status) \(patched.text.prefix(200))")
                let campaign = try await board.client.request("POST", "/api/campaigns", json: ["name": fields["title"] ?? "x"])
                #expect(campaign.status < 500, "campaign named like \(name): \(campaign.status) \(campaign.text.prefix(200))")
            }
            #expect(try await app.client().request("GET", "/api/health").status == 200)
            #expect(!app.logs.contains("[API] request failed"), "a 5xx was logged")
        }
    }

    @Test(arguments: TestStoreKind.available)
    func oddHeadersNeverGetA5xx(kind: TestStoreKind) async throws {
        try await withServer(kind) { app in
            let board = try await Board.make(app)
            let task = try #require(try await board.addTask("headers")["id"]?.stringValue)
            let token = app.token()
            let headerCases: [(String, String)] = [
                ("If-Match", "\"99999999999999999999999\""), ("If-Match", "W/"), ("If-Match", "\"\""), ("If-Match", "-1"),
                ("If-Match", "\"1\", \"2\""), ("If-Match", "\"-5\""), ("If-Match", String(repeating: "9", count: 4000)),
                ("X-Client-Id", String(repeating: "c", count: 5000)), ("X-Client-Id", "é"), ("X-Client-Id", "\u{7F}"),
                ("Content-Type", "application/json; charset=\"\u{7F}\""), ("Content-Type", ";;;"), ("Content-Type", ""),
                ("Authorization", "Bearer " + String(repeating: "a", count: 9000)),
                ("Authorization", "Bearer " + String(repeating: "a.", count: 3000)),
                ("Authorization", "Bearer \(token) \(token)"), ("Authorization", "Bearer\t\(token)x"),
                ("Last-Event-ID", "99999999999999999999999"), ("Last-Event-ID", "-1"), ("Last-Event-ID", "abc"),
                ("X-Request-Id", String(repeating: "r", count: 10_000)), ("Origin", String(repeating: "o", count: 5000)),
                ("Accept-Encoding", "gzip;q=abc, *;q=-1, br"), ("Expect", "200-ok"), ("Transfer-Encoding", "chunked, chunked"),
                ("Content-Length", "99999999999999999999999"), ("Content-Length", "1, 1"),
            ]
            let routes: [(String, String, JSONValue?)] = [
                ("POST", board.tasksPath, ["phaseId": .string(board.phases[0]), "title": "x"]),
                ("PATCH", board.taskPath(task), ["title": "y"]),
                ("POST", board.taskPath(task) + "/move", ["phaseId": .string(board.phases[1]), "position": 0]),
                ("DELETE", board.taskPath(Identifier.random()), nil),
                ("GET", "/api/events/\(board.id)", nil),
            ]
            for (name, value) in headerCases {
                for (method, path, body) in routes {
                    let connection = try RawHTTPClient(port: app.port, timeoutSeconds: 20)
                    var head = "\(method) \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    var payload = body?.encoded() ?? []
                    // "Content-Length: 1, 1" is a valid length of 1 (RFC 9110 §8.6): give it a byte to read.
                    if name == "Content-Length" && payload.isEmpty { payload = Array("x".utf8) }
                    if name != "Authorization" { head += "Authorization: Bearer \(token)\r\n" }
                    if name != "Content-Type" && !payload.isEmpty { head += "Content-Type: application/json\r\n" }
                    if name != "Content-Length" && name != "Transfer-Encoding" { head += "Content-Length: \(payload.count)\r\n" }
                    head += "\(name): \(value)\r\n\r\n"
                    try await connection.send(Array(head.utf8) + payload)
                    let status: Int
                    do { status = try await Self.status(of: connection) } catch {
                        Issue.record("\(name): \(value.prefix(40)) → \(method) \(path): no answer (\(error))")
                        continue
                    }
                    // A valid stream stays open: its 200 is fine. 501 is the transport's answer to an unknown
                    // transfer coding (RFC 9112 §6.1), not a server fault.
                    #expect(status < 500 || (name == "Transfer-Encoding" && status == 501),
                            "\(name): \(value.prefix(40)) → \(method) \(path): \(status)")
                }
            }
            #expect(try await app.client().request("GET", "/api/health").status == 200)
            #expect(!app.logs.contains("[API] request failed"), "a 5xx was logged")
        }
    }

    /// The status code of the response on `connection` (only its head is needed: streams never end).
    static func status(of connection: RawHTTPClient) async throws -> Int {
        let head = try await connection.readUntil("\r\n")
        let parts = head.split(separator: " ")
        return parts.count > 1 ? Int(parts[1]) ?? 0 : 0
    }
}
