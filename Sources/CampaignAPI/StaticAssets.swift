import Foundation
import HTTP

/// The dashboard's files, loaded once at start and served from memory: `/` → `index.html`,
/// `/client/<module>` (the browser client's modules and their TypeScript declarations), `/assets/<name>`.
public struct StaticAssets: Sendable {
    struct Asset: Sendable {
        let contentType: String
        let bytes: [UInt8]
    }

    private let files: [String: Asset]

    /// What `/client/` serves: the client, the modules it and the React hook import, and their declarations.
    static let clientFiles: Set<String> = [
        "campaign-client.js", "campaign-client.d.ts", "campaign-stream.js", "campaign-shared-stream.js", "campaign-react.js", "campaign-react.d.ts",
    ]

    public init() { files = [:] }

    /// Loads every regular file directly inside `directory`.
    public init(directory: URL) throws {
        var files: [String: Asset] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for name in names where !name.hasPrefix(".") {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[name] = Asset(contentType: Self.contentType(of: name), bytes: Array(try Data(contentsOf: url)))
        }
        self.files = files
    }

    public var isEmpty: Bool { files.isEmpty }

    /// The response for a GET of these path segments, or nil when no asset lives there.
    func response(for segments: [String]) -> HTTPResponse? {
        let name: String
        switch segments.count {
        case 0: name = "index.html"
        case 2 where segments[0] == "client" && Self.clientFiles.contains(segments[1]): name = segments[1]
        case 2 where segments[0] == "assets": name = segments[1]
        default: return nil
        }
        guard let asset = files[name] else { return nil }
        return HTTPResponse(status: .ok, headers: [
            "Content-Type": asset.contentType,
            // Revalidate every time: the files change with the server, and they are small.
            "Cache-Control": "no-cache",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": Self.contentSecurityPolicy,
        ], body: .bytes(asset.bytes))
    }

    /// The board loads only its own files (no inline script or style: keep it that way, a test checks),
    /// talks only to this origin (`fetch` and `EventSource`), and may not be framed (clickjacking).
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'",
        "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    static func contentType(of name: String) -> String {
        switch name.split(separator: ".").last.map(String.init) ?? "" {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "ts": "application/typescript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "json": "application/json"
        case "ico": "image/x-icon"
        default: "application/octet-stream"
        }
    }
}
