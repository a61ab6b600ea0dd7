import Foundation
import HTTP
import Testing

@testable import CampaignAPI

/// `/client/` serves the browser client's modules and their TypeScript declarations from the real
/// Resources directory (what `campaign-server` loads), each with its content type; nothing else.
@Suite struct StaticAssetsTests {
    static let resources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CampaignServer/Resources")

    static func contentType(_ response: HTTPResponse?) -> String? { response?.headers["Content-Type"] }

    @Test func theClientModulesAndTheirDeclarationsAreServedUnderClient() throws {
        let assets = try StaticAssets(directory: Self.resources)
        for module in ["campaign-client.js", "campaign-stream.js", "campaign-shared-stream.js", "campaign-react.js"] {
            #expect(Self.contentType(assets.response(for: ["client", module])) == "text/javascript; charset=utf-8", "\(module)")
        }
        for declarations in ["campaign-client.d.ts", "campaign-react.d.ts"] {
            let response = assets.response(for: ["client", declarations])
            #expect(Self.contentType(response) == "application/typescript; charset=utf-8", "\(declarations)")
            #expect(response?.headers["X-Content-Type-Options"] == "nosniff")
        }
    }

    @Test func otherFilesAreNotServedUnderClient() throws {
        let assets = try StaticAssets(directory: Self.resources)
        #expect(assets.response(for: ["client", "board.js"]) == nil)
        #expect(assets.response(for: ["client", "index.html"]) == nil)
        #expect(assets.response(for: ["client", "missing.d.ts"]) == nil)
        #expect(Self.contentType(assets.response(for: ["assets", "board.js"])) == "text/javascript; charset=utf-8")
    }
}
