import Dispatch
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

    /// A loop that fell behind finds several broadcasts queued for each client: each client's go out
    /// joined, in order, in one send, so catching up costs fewer system calls, not one per event.
    @Test func broadcastsQueuedWhileTheLoopIsBusyLeaveAsOneSendPerClient() async throws {
        let collector = StreamCollector()
        try await withServer(handler: collector.handler) { server in
            var clients: [RawHTTPClient] = []
            for _ in 0..<3 {
                let client = try RawHTTPClient(port: server.port)
                try await client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try await client.readUntil("data: {}\n\n")
                clients.append(client)
            }
            #expect(await eventually { collector.streams.value.count == 3 })
            let drainsBefore = server.handoff.drains.load(ordering: .relaxed)
            let coalescedBefore = server.handoff.coalescedWrites.load(ordering: .relaxed)

            // Hold the loop while four broadcasts are handed over, as a long fan-out would.
            let loopHeld = Gate()
            let release = Gate()
            server.loop.execute {
                loopHeld.open()
                release.waitBlocking()
            }
            await loopHeld.wait()
            for n in 1...4 {
                let frame = ServerSentEvent(id: "\(n)", event: "tick", data: "{\"n\":\(n)}").encoded()
                var delivery = StreamBroadcast(expectedCount: 3)
                for stream in collector.streams.value { stream.send(frame, in: &delivery) }
                delivery.commit()
            }
            release.open()

            let expected = (1...4).map { "id: \($0)\nevent: tick\ndata: {\"n\":\($0)}\n\n" }.joined()
            for client in clients {
                #expect(try await client.readUntil("data: {\"n\":4}\n\n") == expected)
            }
            #expect(server.handoff.drains.load(ordering: .relaxed) - drainsBefore == 1)
            // Three of each client's four writes joined the first: 3 clients × 3.
            #expect(server.handoff.coalescedWrites.load(ordering: .relaxed) - coalescedBefore == 9)
        }
    }

    /// Four streams resuming with long replays and one live event, handed over together: the live
    /// event goes out in the turn they arrive, the replays one turn's budget at a time in later turns,
    /// and a write that comes for a stream whose replay is still queued leaves after it.
    @Test func bulkWritesWaitForLaterTurnsWhileSmallOnesGoAtOnce() async throws {
        var configuration = serverDefaults()
        configuration.bulkWriteBytes = 16 * 1024
        configuration.bulkBytesPerTurn = 32 * 1024
        let collector = StreamCollector()
        try await withServer(configuration, handler: collector.handler) { server in
            var clients: [RawHTTPClient] = []
            for _ in 0..<5 {
                let client = try RawHTTPClient(port: server.port)
                try await client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try await client.readUntil("data: {}\n\n")
                clients.append(client)
            }
            #expect(await eventually { collector.streams.value.count == 5 })
            let streams = collector.streams.value
            let connections = streams.map { unsafeDowncast($0 as AnyObject, to: HTTPConnection.self) }
            let deferredBefore = server.handoff.deferredBulkTurns
            func replay(_ index: Int) -> [UInt8] {
                ServerSentEvent(event: "replay", data: String(repeating: Character(String(index)), count: 64 * 1024)).encoded()
            }
            let live = ServerSentEvent(event: "live", data: "{}").encoded()
            let tail = ServerSentEvent(event: "tail", data: "{}").encoded()

            let loopHeld = Gate()
            let release = Gate()
            server.loop.execute {
                loopHeld.open()
                release.waitBlocking()
            }
            await loopHeld.wait()
            for index in 0..<4 { streams[index].send(replay(index)) }
            streams[4].send(live)
            // Queued after the drain, so it runs in the drain's turn, right after it.
            let stagedAfterFirstTurn = Box<[Int]>([])
            server.loop.execute {
                stagedAfterFirstTurn.update { $0 = connections.map(\.stagedByteCount) }
                streams[3].send(tail)
            }
            release.open()

            for index in 0..<4 {
                let text = try await clients[index].readUntil("\n\n")
                #expect(text == String(decoding: replay(index), as: UTF8.self))
            }
            #expect(try await clients[3].readUntil("\n\n") == String(decoding: tail, as: UTF8.self))
            #expect(try await clients[4].readUntil("\n\n") == String(decoding: live, as: UTF8.self))
            let replayBytes = replay(0).count
            #expect(stagedAfterFirstTurn.value == [replayBytes, replayBytes, replayBytes, replayBytes, 0])
            // One turn per replay: each is past the 32 KiB budget by itself.
            #expect(server.handoff.deferredBulkTurns - deferredBefore == 4)
        }
    }

    /// A stream that closes while its replay waits for a later turn has it dropped at once: not sent,
    /// not kept until its turn, and not counted against the turn's budget.
    @Test func aStreamClosedWhileItsBulkWritesWaitHasThemDropped() async throws {
        var configuration = serverDefaults()
        configuration.bulkWriteBytes = 16 * 1024
        configuration.bulkBytesPerTurn = 32 * 1024
        let collector = StreamCollector()
        try await withServer(configuration, handler: collector.handler) { server in
            var clients: [RawHTTPClient] = []
            for _ in 0..<2 {
                let client = try RawHTTPClient(port: server.port)
                try await client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try await client.readUntil("data: {}\n\n")
                clients.append(client)
            }
            #expect(await eventually { collector.streams.value.count == 2 })
            let streams = collector.streams.value
            let connections = streams.map { unsafeDowncast($0 as AnyObject, to: HTTPConnection.self) }
            let deferredBefore = server.handoff.deferredBulkTurns
            let replay = ServerSentEvent(event: "replay", data: String(repeating: "r", count: 64 * 1024)).encoded()

            let loopHeld = Gate()
            let release = Gate()
            server.loop.execute {
                loopHeld.open()
                release.waitBlocking()
            }
            await loopHeld.wait()
            for stream in streams { stream.send(replay) }
            let stagedAfterClose = Box<[Int]>([])
            server.loop.execute {
                connections[0].closeNow(.serverShutdown)
                stagedAfterClose.update { $0 = connections.map(\.stagedByteCount) }
            }
            release.open()

            #expect(try await clients[1].readUntil("\n\n") == String(decoding: replay, as: UTF8.self))
            #expect(try await clients[0].waitForClose())
            #expect(!String(decoding: clients[0].unconsumed, as: UTF8.self).contains("event: replay"))
            #expect(stagedAfterClose.value == [0, replay.count])
            // One turn: the closed stream's place in the queue costs nothing.
            #expect(server.handoff.deferredBulkTurns - deferredBefore == 1)
        }
    }
}

/// A one-shot signal that a plain thread (the held loop) can wait for and a task can await.
private final class Gate: Sendable {
    private let semaphore = DispatchSemaphore(value: 0)

    func open() { semaphore.signal() }

    func waitBlocking() { semaphore.wait() }

    func wait() async {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                self.semaphore.wait()
                continuation.resume()
            }
        }
    }
}
