import Foundation
import TestSupport

/// The parts of `openapi.yaml` beside the paths that tests hold the server to: each operation's
/// `operationId` and `tags`, the `ErrorCode` enum, and the `Event.<type>` schemas of the stream's data.
/// Read line by line, relying on the file's two-space indentation (schemas at 4, their keys at 6,
/// properties at 8).
struct OpenAPIComponents {
    struct EventSchema {
        let required: Set<String>
        let properties: Set<String>
    }

    var operationIds: [String] = []
    /// Operations (by `operationId`) and their tags.
    var tags: [String: [String]] = [:]
    var errorCodes: Set<String> = []
    var eventSchemas: [String: EventSchema] = [:]

    static func load() throws -> OpenAPIComponents {
        OpenAPIComponents(text: try String(contentsOf: Repository.root.appendingPathComponent("openapi.yaml"), encoding: .utf8))
    }

    init(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var index = 0
        var lastOperationId: String?
        while index < lines.count {
            let line = lines[index]
            let content = line.drop { $0 == " " }
            let indent = line.count - content.count
            if indent == 6, let id = Self.value(of: "operationId", in: content) {
                operationIds.append(id)
                lastOperationId = id
            } else if indent == 6, let list = Self.value(of: "tags", in: content), let id = lastOperationId {
                tags[id] = Self.items(list)
            } else if indent == 4, content == "ErrorCode:" {
                var enumText = ""
                index += 1
                while index < lines.count, lines[index].hasPrefix("      ") {
                    let inner = lines[index].trimmingCharacters(in: .whitespaces)
                    if inner.hasPrefix("enum:") || !enumText.isEmpty { enumText += " " + inner }
                    index += 1
                }
                errorCodes = Set(Self.items(String(enumText.drop { $0 != "[" })))
                continue
            } else if indent == 4, content.hasPrefix("Event."), content.hasSuffix(":") {
                let name = String(content.dropFirst("Event.".count).dropLast())
                var required: Set<String> = []
                var properties: Set<String> = []
                var inProperties = false
                index += 1
                while index < lines.count, lines[index].hasPrefix("      ") {
                    let inner = lines[index].drop { $0 == " " }
                    let innerIndent = lines[index].count - inner.count
                    if innerIndent == 6 {
                        inProperties = inner == "properties:"
                        if let list = Self.value(of: "required", in: inner) { required = Set(Self.items(list)) }
                    } else if innerIndent == 8, inProperties, let colon = inner.firstIndex(of: ":") {
                        properties.insert(String(inner[..<colon]))
                    }
                    index += 1
                }
                eventSchemas[name] = EventSchema(required: required, properties: properties)
                continue
            }
            index += 1
        }
    }

    private static func value(of key: String, in content: Substring) -> String? {
        guard content.hasPrefix(key + ":") else { return nil }
        return content.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
    }

    /// `[a, b, c]` → ["a", "b", "c"].
    private static func items(_ list: String) -> [String] {
        list.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
