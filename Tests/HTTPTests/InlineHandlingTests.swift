import Foundation
import HTTP
import Testing
import TestSupport

/// Says which thread it started on, and can suspend first; opts in to starting on the event loop.
struct ThreadReportingHandler: HTTPHandler {
    func startsOnEventLoop(_ request: HTTPRequest) -> Bool { request.pathSegments.first == "inline" }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let startedOn = Self.threadName()
        if request.pathSegments.last == "suspend" { try? await Task.sleep(for: .milliseconds(20)) }
        return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .bytes(Array(startedOn.utf8)))
    }

    static func threadName() -> String {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?"
        return name.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

@Suite struct InlineHandlingTests {
    func withInlineServer(_ body: (HTTPServer) async throws -> Void) async throws {
        try await withServer(serving: ThreadReportingHandler(), body)
    }

    @Test func aHandlerThatOptsInStartsOnTheLoopThreadAndOthersDoNot() async throws {
        try await withInlineServer { server in
            let client = try RawHTTPClient(port: server.port)
            try await client.send("GET /inline HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse().bodyText == "http-loop")
            try await client.send("GET /pooled HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse().bodyText != "http-loop")
        }
    }

    @Test func anInlineHandlerThatSuspendsStillAnswersInOrder() async throws {
        try await withInlineServer { server in
            let client = try RawHTTPClient(port: server.port)
            // Pipelined: the first suspends (and so leaves the loop thread), the second must wait for it.
            try await client.send("GET /inline/suspend HTTP/1.1\r\nHost: x\r\n\r\nGET /inline HTTP/1.1\r\nHost: x\r\n\r\n")
            let first = try await client.readResponse()
            let second = try await client.readResponse()
            #expect(first.status == 200 && first.bodyText == "http-loop")
            #expect(second.status == 200 && second.bodyText == "http-loop")
        }
    }
}
