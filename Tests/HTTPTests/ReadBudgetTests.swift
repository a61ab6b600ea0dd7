import Glibc
import HTTP
import Synchronization
import Testing
import TestSupport

/// A connection's read takes at most `HTTPServer.readBufferBytes` from its socket in one turn of the loop: a large
/// body that is all there at once is read over several turns, with other connections' events in between.
@Suite struct ReadBudgetTests {
    /// Answers on the loop thread; `GET /hold` keeps the loop busy for a while (as a long turn would), so
    /// that another client's body is all in the socket by the time the loop reads it.
    struct HoldingHandler: HTTPHandler {
        let holding: Box<Bool>
        func startsOnEventLoop(_ request: HTTPRequest) -> Bool { true }
        func handle(_ request: HTTPRequest) async -> HTTPResponse {
            if request.pathSegments == ["hold"] {
                holding.set(true)
                usleep(300_000)
            }
            return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .bytes(Array("\(request.body.count)".utf8)))
        }
    }

    @Test func aLargeBodyWaitingWholeInTheSocketIsReadOverSeveralTurns() async throws {
        let holding = Box(false)
        try await withServer(serving: HoldingHandler(holding: holding)) { server in
            let uploader = try RawHTTPClient(port: server.port)
            let holder = try RawHTTPClient(port: server.port)
            for client in [uploader, holder] {
                try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await client.readResponse().status == 200)
            }
            try await holder.send("GET /hold HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await eventually(pollMilliseconds: 1) { holding.value })
            let body = [UInt8](repeating: UInt8(ascii: "a"), count: 1024 * 1024)
            try await uploader.send(Array("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body)
            #expect(try await holder.readResponse().status == 200)
            let answer = try await uploader.readResponse()
            #expect(answer.status == 200)
            #expect(answer.bodyText == "\(body.count)")
            // 1 MiB in the socket, 64 KiB a turn: the read stopped at its budget about sixteen times.
            #expect(server.statistics.readsContinuedNextTurn >= 8)
        }
    }
}
