import Foundation
import TestSupport

/// The `paths:` section of `openapi.yaml`, read line by line (the file keeps the usual two-space
/// indentation: paths at 2, methods at 4, response codes at 8).
struct OpenAPIDocument {
    struct Operation: Hashable {
        let method: String
        let path: String
    }

    /// Every documented operation and the response statuses it lists.
    let operations: [Operation: Set<Int>]

    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]

    static func load() throws -> OpenAPIDocument {
        let text = try String(contentsOf: Repository.root.appendingPathComponent("openapi.yaml"), encoding: .utf8)
        return OpenAPIDocument(text: text)
    }

    init(text: String) {
        var operations: [Operation: Set<Int>] = [:]
        var inPaths = false
        var path: String?
        var operation: Operation?
        var inResponses = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(rawLine)
            let indent = line.prefix { $0 == " " }.count
            let content = line.dropFirst(indent)
            if content.isEmpty || content.hasPrefix("#") { continue }
            if indent == 0 {
                inPaths = content.hasPrefix("paths:")
                continue
            }
            guard inPaths else { continue }
            if indent == 2, content.hasPrefix("/"), content.hasSuffix(":") {
                path = String(content.dropLast())
                operation = nil
            } else if indent == 4, let colon = content.firstIndex(of: ":"), Self.methods.contains(String(content[..<colon])),
                      let path {
                operation = Operation(method: content[..<colon].uppercased(), path: path)
                operations[operation!] = []
                inResponses = false
            } else if indent == 6 {
                inResponses = content.hasPrefix("responses:")
            } else if indent == 8, inResponses, let operation, content.hasPrefix("\""),
                      let status = Int(content.dropFirst().prefix(3)) {
                operations[operation]?.insert(status)
            }
        }
        self.operations = operations
    }
}
