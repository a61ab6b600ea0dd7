@testable import HTTP
import Testing
import TestSupport

@Suite struct TimeoutWaveTests {
    /// Slowloris opens its connections together, so they time out together: the server acts on the
    /// timeouts a few per turn of its loop, every one of them, and serves others in between.
    @Test func aWaveOfTimeoutsIsActedOnAFewPerTurnAndEveryOneIsClosed() async throws {
        var configuration = serverDefaults()
        configuration.headerTimeoutSeconds = 1
        try await withServer(configuration, handler: echoHandler) { server in
            // Many, so that even a busy machine, opening them over several ticks, finds more than a turn's worth in one.
            let count = HTTPServer.timeoutsPerTurn * 16
            var trickling: [RawHTTPClient] = []
            for _ in 0..<count {
                let client = try RawHTTPClient(port: server.port, timeoutSeconds: 15)
                try await client.send("GET / HTTP/1.1\r\nHost: x\r\n")
                trickling.append(client)
            }
            for client in trickling {
                #expect(try await client.readResponse().status == 408)
                #expect(try await client.waitForClose())
            }
            #expect(server.statistics.timedOutConnections == count)
            // The wave did not fit in one turn: the rest waited for the next ones.
            #expect(server.timeoutContinuation.deferredTurns >= 1)
            let neighbour = try RawHTTPClient(port: server.port, timeoutSeconds: 15)
            try await neighbour.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try await neighbour.readResponse().status == 200)
        }
    }
}
