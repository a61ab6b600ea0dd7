import Glibc
import HTTP
import Sockets
import Testing
import TestSupport

/// A client that asks and never reads (issue 12's pipelining attack) is slowed by backpressure and
/// then closed by the send timeout; the server's own counters show its memory stayed bounded.
@Suite struct UnreadAnswersTests {
    /// The size of each answer: like the browser module, a few tens of KiB.
    static let answerBytes = 32 * 1024
    static let answer = [UInt8](repeating: UInt8(ascii: "x"), count: answerBytes)

    static func bigAnswer(_ request: HTTPRequest) async -> HTTPResponse {
        HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .bytes(answer))
    }

    @Test func answersTheSocketTakesAtOnceNeverCountAsUnsent() async throws {
        var configuration = serverDefaults()
        configuration.compressionEnabled = false
        try await withServer(configuration, handler: Self.bigAnswer) { server in
            let client = try RawHTTPClient(port: server.port)
            for _ in 0..<3 {
                try await client.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await client.readResponse().body.count == Self.answerBytes)
            }
            #expect(server.statistics.unsentBytes == 0)
            #expect(server.statistics.peakUnsentBytesPerConnection == 0)
        }
    }

    @Test func aClientThatPipelinesWithoutReadingIsPausedThenClosedWhileOthersAreServed() async throws {
        var configuration = serverDefaults()
        configuration.unsentResponseLimitBytes = 64 * 1024
        configuration.sendTimeoutSeconds = 1
        configuration.compressionEnabled = false
        try await withServer(configuration, handler: Self.bigAnswer) { server in
            // 2,000 requests would be 64 MiB of answers; a small receive window keeps the kernel's share small.
            let flooder = try NonReadingClient(port: server.port, receiveBufferBytes: 4096)
            defer { flooder.close() }
            let request = Array("GET /client/campaign-client.js HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            let sent = flooder.sendWithoutBlocking(request, times: 2000)
            #expect(sent > 100, "the requests fit in the socket buffers")
            #expect(await eventually { server.statistics.backpressurePauses >= 1 })

            // An ordinary client is served meanwhile.
            let neighbour = try RawHTTPClient(port: server.port)
            try await neighbour.send("GET /other HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await neighbour.readResponse().body.count == Self.answerBytes)

            // The flooder holds its unsent answers for one second at most, then it is gone.
            #expect(await eventually { server.statistics.sendTimeouts == 1 })
            #expect(await eventually { server.statistics.openConnections == 1 })
            #expect(server.statistics.unsentBytes == 0)
            // Never more than the limit plus the one answer that crossed it.
            #expect(server.statistics.peakUnsentBytesPerConnection <= configuration.unsentResponseLimitBytes + Self.answerBytes + 512)
            #expect(flooder.isClosedByPeer())
        }
    }

    @Test func requestsTrickledWithoutReadingDoNotKeepTheConnectionAlive() async throws {
        // The idle timeout is far away; what ends this connection is that its answers are never taken.
        var configuration = serverDefaults()
        configuration.unsentResponseLimitBytes = 64 * 1024
        configuration.sendTimeoutSeconds = 1
        configuration.idleTimeoutSeconds = 3600
        configuration.compressionEnabled = false
        try await withServer(configuration, handler: Self.bigAnswer) { server in
            let trickler = try NonReadingClient(port: server.port, receiveBufferBytes: 4096)
            defer { trickler.close() }
            let request = Array("GET /a HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
            var closed = false
            // One request every 50 ms for at most 20 s: each answer would reset an idle clock.
            for _ in 0..<400 where !closed {
                _ = trickler.sendWithoutBlocking(request, times: 1)
                try await Task.sleep(for: .milliseconds(50))
                closed = server.statistics.sendTimeouts == 1
            }
            #expect(closed)
            #expect(await eventually { server.statistics.openConnections == 0 })
            #expect(server.statistics.unsentBytes == 0)
        }
    }

    @Test func aClientThatReadsLateGetsEveryAnswerInOrder() async throws {
        // 400 answers of 32 KiB pass what the kernel's socket buffers hold, so the server pauses;
        // once the client reads, it resumes, and nothing is lost or reordered.
        var configuration = serverDefaults()
        configuration.unsentResponseLimitBytes = 64 * 1024
        configuration.compressionEnabled = false
        let handler: @Sendable (HTTPRequest) async -> HTTPResponse = { request in
            let path = Array("/\(request.pathSegments.joined(separator: "/")) ".utf8)
            return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .bytes(path + Self.answer))
        }
        try await withServer(configuration, handler: handler) { server in
            let client = try RawHTTPClient(port: server.port)
            var batch = ""
            for index in 0..<400 { batch += "GET /\(index) HTTP/1.1\r\nHost: x\r\n\r\n" }
            try await client.send(batch)
            #expect(await eventually { server.statistics.backpressurePauses >= 1 })
            for index in 0..<400 {
                let response = try await client.readResponse()
                #expect(response.bodyText.hasPrefix("/\(index) x"), "answer \(index)")
            }
            try await client.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await client.readResponse().bodyText.hasPrefix("/after x"))
            #expect(server.statistics.unsentBytes == 0)
            #expect(server.statistics.peakUnsentBytesPerConnection <= configuration.unsentResponseLimitBytes + Self.answerBytes + 512)
        }
    }

    @Test func connectionsPastThePerAddressLimitAreClosedAtOnce() async throws {
        var configuration = serverDefaults()
        configuration.maximumConnectionsPerAddress = 3
        try await withServer(configuration, handler: echoHandler) { server in
            var clients: [RawHTTPClient] = []
            for _ in 0..<3 {
                let client = try RawHTTPClient(port: server.port)
                try await client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await client.readResponse().status == 200)
                clients.append(client)
            }
            let fourth = try RawHTTPClient(port: server.port)
            #expect(try await fourth.waitForClose())
            #expect(server.statistics.connectionsRefusedPerAddress == 1)

            // A slot freed is a slot to use again.
            clients[0].shutdownWrite()
            #expect(try await clients[0].waitForClose())
            #expect(await eventually { server.statistics.openConnections == 2 })
            let fifth = try RawHTTPClient(port: server.port)
            try await fifth.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await fifth.readResponse().status == 200)
            #expect(server.statistics.connectionsRefusedPerAddress == 1)
        }
    }
}
