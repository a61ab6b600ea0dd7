import HTTP
import Testing
import TestSupport

/// The server marks a request whose body is `largeBodyBytes` or more, so that its handler parses it off
/// the ordinary threads.
@Suite struct LargeBodyFlagTests {
    @Test func aBodyOfLargeBodyBytesIsMarkedAndOneByteLessIsNot() async throws {
        let threshold = serverDefaults().limits.largeBodyBytes
        try await withServer(handler: { request in
            HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .bytes(Array("\(request.bodyIsLarge)".utf8)))
        }) { server in
            let client = try RawHTTPClient(port: server.port)
            for (size, marked) in [(0, false), (threshold - 1, false), (threshold, true), (threshold * 4, true)] {
                let body = [UInt8](repeating: UInt8(ascii: "a"), count: size)
                try await client.send(Array("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \(size)\r\n\r\n".utf8) + body)
                let answer = try await client.readResponse()
                #expect(answer.bodyText == "\(marked)", "a body of \(size) bytes")
            }
        }
    }
}
