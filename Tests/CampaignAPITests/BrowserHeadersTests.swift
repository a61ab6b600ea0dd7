import APITestSupport
import CampaignAPI
import Foundation
import Testing

/// Issue 12: the board and its assets carry a Content-Security-Policy that forbids framing and
/// anything but the server's own files; every answer carries `X-Content-Type-Options: nosniff`.
@Suite struct BrowserHeadersTests {
    static let resources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CampaignServer/Resources")

    @Test func theBoardAndItsAssetsAreServedWithAContentSecurityPolicy() async throws {
        try await withServer(.memory, assets: try StaticAssets(directory: Self.resources)) { app in
            var anonymous = app.client()
            anonymous.token = nil
            for path in ["/", "/assets/board.js", "/assets/board.css", "/assets/favicon.svg", "/client/campaign-client.js"] {
                let response = try await anonymous.request("GET", path)
                #expect(response.status == 200, "\(path)")
                let policy = try #require(response.header("Content-Security-Policy"), "\(path)")
                let directives = Set(policy.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) })
                #expect(directives.contains("frame-ancestors 'none'"))
                #expect(directives.contains("default-src 'self'"))
                #expect(directives.contains("script-src 'self'"))
                #expect(directives.contains("style-src 'self'"))
                #expect(directives.contains("object-src 'none'"))
                #expect(!policy.contains("unsafe-inline") && !policy.contains("unsafe-eval"))
                #expect(response.header("X-Content-Type-Options") == "nosniff", "\(path)")
            }
        }
    }

    @Test(arguments: TestStoreKind.available)
    func everyAnswerOfTheAPIIsNosniff(kind: TestStoreKind) async throws {
        let app = try await SharedServer.get(kind)
        let board = try await Board.make(app)
        var anonymous = app.client()
        anonymous.token = nil
        let responses = [
            try await anonymous.request("GET", "/api/health"),
            try await anonymous.request("GET", "/api/campaigns"),
            try await board.client.request("GET", "/api/campaigns/\(board.id)/execution"),
            try await board.client.request("GET", "/api/nowhere"),
            try await board.client.request("PATCH", board.taskPath("bad"), json: ["title": "x"]),
        ]
        for response in responses { #expect(response.header("X-Content-Type-Options") == "nosniff", "\(response.status)") }
        let stream = try await SSEClient(port: app.port, campaignId: board.id, token: app.token())
        defer { stream.close() }
        #expect(stream.headers["x-content-type-options"] == "nosniff")
    }

    /// The policy forbids inline script and style, so the board must have none: no `<script>` without
    /// `src`, no `<style>`, no `style=` or `on…=` attributes, no `javascript:` URLs, and the scripts
    /// neither set style attributes nor evaluate strings. (Tests/Browser runs the board under the policy.)
    @Test func theBoardUsesNothingThePolicyForbids() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.resources.path)
        for name in names where name.hasSuffix(".html") {
            let html = try String(contentsOf: Self.resources.appendingPathComponent(name), encoding: .utf8).lowercased()
            for tag in html.components(separatedBy: "<script").dropFirst() {
                let attributes = tag.prefix { $0 != ">" }
                #expect(attributes.contains("src="), "\(name): an inline <script>")
            }
            #expect(!html.contains("<style"), "\(name)")
            #expect(html.range(of: #"\sstyle\s*="#, options: .regularExpression) == nil, "\(name)")
            #expect(html.range(of: #"\son[a-z]+\s*="#, options: .regularExpression) == nil, "\(name)")
            #expect(!html.contains("javascript:"), "\(name)")
        }
        for name in names where name.hasSuffix(".js") {
            let script = try String(contentsOf: Self.resources.appendingPathComponent(name), encoding: .utf8)
            for forbidden in ["setAttribute(\"style\"", "setAttribute('style'", "eval(", "new Function(", "javascript:", ".innerHTML"] {
                #expect(!script.contains(forbidden), "\(name) uses \(forbidden)")
            }
        }
    }
}
