import APITestSupport
import CampaignModel
import Testing

/// A body well under `MAX_BODY_BYTES` made of many object members must be refused like any other
/// bad body. The parser stores each member through `JSONObject`'s subscript setter, which searches
/// the members already read, so parsing is quadratic in their number: ~480 KB of members keeps a
/// cooperative thread busy for tens of seconds (20,000 members took ~9 s in a debug build, and two
/// such requests at once stalled every server in the test process).
@Suite struct ManyMembersTests {
    @Test(.bug(id: 3, "Regression (fixed): JSONParser.parseObject is quadratic in the member count (JSONObject subscript setter)"))
    func aBodyOfFortyThousandMembersIsRefusedWithinTheClientTimeout() async throws {
        try await withServer(.memory) { app in
            let board = try await Board.make(app)
            let task = try #require(try await board.addTask("target")["id"]?.stringValue)
            let body = "{" + (0..<40_000).map { #""k\#($0)":\#($0)"# }.joined(separator: ",") + "}"
            #expect(body.utf8.count < 1024 * 1024)
            // The client gives up after its usual 20-second receive timeout: a linear parser answers
            // in milliseconds, so the wait is generous by three orders of magnitude.
            let response = try await board.client.request("PATCH", board.taskPath(task), rawBody: Array(body.utf8), contentType: "application/json")
            expectError(response, 400)
        }
    }
}
