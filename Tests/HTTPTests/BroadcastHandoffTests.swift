@testable import HTTP
import Testing
import TestSupport

/// A broadcast reaches the loop in one piece: one hand-over (one lock) and one drain (one wake-up)
/// for all its clients, and every client receives the same bytes.
@Suite struct BroadcastHandoffTests {
    @Test func aBroadcastToManyStreamsIsOneHandOverAndOneDrain() async throws {
        let collector = StreamCollector()
        try await withServer(handler: collector.handler) { server in
            var clients: [RawHTTPClient] = []
            for _ in 0..<20 {
                let client = try RawHTTPClient(port: server.port)
                try await client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try await client.readUntil("data: {}\n\n")
                clients.append(client)
            }
            #expect(await eventually { collector.streams.value.count == 20 })
            let handOversBefore = server.handoff.handOvers.load(ordering: .relaxed)
            let drainsBefore = server.handoff.drains.load(ordering: .relaxed)

            let frame = ServerSentEvent(id: "1", event: "tick", data: "{\"n\":1}").encoded()
            var delivery = StreamBroadcast(expectedCount: 20)
            for stream in collector.streams.value { stream.send(frame, in: &delivery) }
            delivery.commit()

            for client in clients {
                #expect(try await client.readUntil("\n\n") == "id: 1\nevent: tick\ndata: {\"n\":1}\n\n")
            }
            #expect(server.handoff.handOvers.load(ordering: .relaxed) - handOversBefore == 1)
            #expect(server.handoff.drains.load(ordering: .relaxed) - drainsBefore == 1)
        }
    }
}
