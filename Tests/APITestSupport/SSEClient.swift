import CampaignModel
import TestSupport

/// One Server-Sent Events message as a browser would dispatch it.
public struct SSEMessage: Sendable, Equatable {
    public var id: String?
    public var event: String
    public var data: String
    /// `data` parsed as JSON (`.null` if it is not).
    public var json: JSONValue { (try? JSONParser.parse(data)) ?? .null }
    public var eventId: Int64? { id.flatMap { Int64($0) } }
}

/// A subscriber to a test server's stream, parsing the wire format incrementally.
public final class SSEClient: @unchecked Sendable {
    public let connection: RawHTTPClient
    public private(set) var status = 0
    public private(set) var headers: [String: String] = [:]
    /// Comment lines seen (`: heartbeat`).
    public private(set) var comments: [String] = []
    public private(set) var retry: Int?

    /// Opens `GET path` with the headers given (e.g. `Authorization`, `Last-Event-ID`).
    public init(port: Int, path: String, headers: [String: String] = [:], timeoutSeconds: Int = 20) async throws {
        connection = try RawHTTPClient(port: port, timeoutSeconds: timeoutSeconds)
        var head = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try await connection.send(head + "\r\n")
        let headText = try await connection.readUntil("\r\n\r\n")
        var lines = headText.split(separator: "\r\n").map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ")
        status = statusLine.count > 1 ? Int(statusLine[1]) ?? 0 : 0
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            self.headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
    }

    /// Convenience: subscribe with a bearer token.
    public convenience init(port: Int, campaignId: String, token: String?, lastEventId: Int64? = nil, query: String = "") async throws {
        var headers: [String: String] = [:]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if let lastEventId { headers["Last-Event-ID"] = String(lastEventId) }
        try await self.init(port: port, path: "/api/events/\(campaignId)\(query)", headers: headers)
    }

    /// The next dispatched message (comments and `retry` lines are recorded, not returned).
    public func next() async throws -> SSEMessage {
        while true {
            let block = try await connection.readUntil("\n\n")
            var message = SSEMessage(id: nil, event: "message", data: "")
            var dataLines: [String] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: true) {
                if line.hasPrefix(":") {
                    comments.append(String(line.dropFirst()).trimmingCharacters(in: .whitespaces))
                    continue
                }
                let (field, value) = Self.split(line)
                switch field {
                case "id": message.id = value
                case "event": message.event = value
                case "data": dataLines.append(value)
                case "retry": retry = Int(value)
                default: break
                }
            }
            if dataLines.isEmpty { continue }
            message.data = dataLines.joined(separator: "\n")
            return message
        }
    }

    /// Messages until one of type `event` arrives (that one included).
    public func next(until event: String) async throws -> [SSEMessage] {
        var messages: [SSEMessage] = []
        while true {
            let message = try await next()
            messages.append(message)
            if message.event == event { return messages }
        }
    }

    /// Exactly `count` messages.
    public func next(_ count: Int) async throws -> [SSEMessage] {
        var messages: [SSEMessage] = []
        for _ in 0..<count { messages.append(try await next()) }
        return messages
    }

    /// Whether the server ended the stream (within the receive timeout).
    public func waitForEnd() async throws -> Bool { try await connection.waitForClose() }

    public func close() { connection.shutdownWrite() }

    private static func split(_ line: Substring) -> (String, String) {
        guard let colon = line.firstIndex(of: ":") else { return (String(line), "") }
        var value = line[line.index(after: colon)...]
        if value.first == " " { value = value.dropFirst() }
        return (String(line[..<colon]), String(value))
    }
}

import Foundation
