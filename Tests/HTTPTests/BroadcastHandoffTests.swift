import Dispatch
@testable import HTTP
import Sockets
import Testing
import TestSupport

/// A broadcast reaches the loop in one piece: one hand-over (one lock) and one drain (one wake-up)
/// for all its clients, and every client receives the same bytes. Large writes (replays) wait for
/// later turns of the loop, a budget per turn, while small ones go at once.
@Suite struct BroadcastHandoffTests {
    @Test func aBroadcastToManyStreamsIsOneHandOverAndOneDrain() async throws {
        let collector = StreamCollector()
        try await withServer(handler: collector.handler) { server in
            let (clients, streams) = try await openStreams(20, on: server, collector)
            let handOversBefore = server.handoff.handOvers.load(ordering: .relaxed)
            let drainsBefore = server.handoff.drains.load(ordering: .relaxed)

            let frame = ServerSentEvent(id: "1", event: "tick", data: "{\"n\":1}").encoded()
            var delivery = StreamBroadcast(expectedCount: 20)
            for stream in streams { stream.send(frame, in: &delivery) }
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
            let (clients, streams) = try await openStreams(3, on: server, collector)
            let drainsBefore = server.handoff.drains.load(ordering: .relaxed)
            let coalescedBefore = server.handoff.coalescedWrites.load(ordering: .relaxed)

            await withTheLoopHeld(server.loop) {
                for n in 1...4 {
                    let frame = ServerSentEvent(id: "\(n)", event: "tick", data: "{\"n\":\(n)}").encoded()
                    var delivery = StreamBroadcast(expectedCount: 3)
                    for stream in streams { stream.send(frame, in: &delivery) }
                    delivery.commit()
                }
            }

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
        let collector = StreamCollector()
        try await withServer(smallBulkBudget(), handler: collector.handler) { server in
            let (clients, streams) = try await openStreams(5, on: server, collector)
            let deferredBefore = server.handoff.deferredBulkTurns
            let live = ServerSentEvent(event: "live", data: "{}").encoded()
            let tail = ServerSentEvent(event: "tail", data: "{}").encoded()

            let stagedAfterFirstTurn = Box<[Int]>([])
            await withTheLoopHeld(server.loop) {
                for index in 0..<4 { streams[index].send(replay(index)) }
                streams[4].send(live)
                // Queued after the drain, so it runs in the drain's turn, right after it.
                server.loop.execute {
                    stagedAfterFirstTurn.update { $0 = streams.map(stagedByteCount) }
                    streams[3].send(tail)
                }
            }

            for index in 0..<4 {
                #expect(try await clients[index].readUntil("\n\n") == String(decoding: replay(index), as: UTF8.self))
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
        let collector = StreamCollector()
        try await withServer(smallBulkBudget(), handler: collector.handler) { server in
            let (clients, streams) = try await openStreams(2, on: server, collector)
            let deferredBefore = server.handoff.deferredBulkTurns

            let stagedAfterClose = Box<[Int]>([])
            await withTheLoopHeld(server.loop) {
                for stream in streams { stream.send(replay(0)) }
                server.loop.execute {
                    unsafeDowncast(streams[0] as AnyObject, to: HTTPConnection.self).closeNow(.serverShutdown)
                    stagedAfterClose.update { $0 = streams.map(stagedByteCount) }
                }
            }

            #expect(try await clients[1].readUntil("\n\n") == String(decoding: replay(0), as: UTF8.self))
            #expect(try await clients[0].waitForClose())
            #expect(!String(decoding: clients[0].unconsumed, as: UTF8.self).contains("event: replay"))
            #expect(stagedAfterClose.value == [0, replay(0).count])
            // One turn: the closed stream's place in the queue costs nothing.
            #expect(server.handoff.deferredBulkTurns - deferredBefore == 1)
        }
    }

    /// Bulk from 16 KiB, 32 KiB per turn: each `replay` is bulk and past a turn's budget by itself.
    private func smallBulkBudget() -> HTTPServer.Configuration {
        var configuration = serverDefaults()
        configuration.bulkWriteBytes = 16 * 1024
        configuration.bulkBytesPerTurn = 32 * 1024
        return configuration
    }

    /// 64 KiB of the digit `index`, as one event.
    private func replay(_ index: Int) -> [UInt8] {
        ServerSentEvent(event: "replay", data: String(repeating: Character(String(index)), count: 64 * 1024)).encoded()
    }

    /// `count` stream clients, each past its `connected` event, and the server's side of each stream.
    private func openStreams(
        _ count: Int, on server: HTTPServer, _ collector: StreamCollector
    ) async throws -> (clients: [RawHTTPClient], streams: [any ResponseStream]) {
        var clients: [RawHTTPClient] = []
        for _ in 0..<count {
            let client = try RawHTTPClient(port: server.port)
            try await client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await client.readUntil("data: {}\n\n")
            clients.append(client)
        }
        #expect(await eventually { collector.streams.value.count == count })
        return (clients, collector.streams.value)
    }

    /// Runs `body` while the loop is held in a job of its own, as a long fan-out would hold it: what
    /// `body` hands over meets in the loop's next batch of jobs.
    private func withTheLoopHeld(_ loop: EventLoop, _ body: () -> Void) async {
        let loopHeld = Gate()
        let release = Gate()
        loop.execute {
            loopHeld.open()
            release.waitBlocking()
        }
        await loopHeld.wait()
        body()
        release.open()
    }
}

/// What the stream's connection staged and has not sent. Loop thread only.
private func stagedByteCount(_ stream: any ResponseStream) -> Int {
    unsafeDowncast(stream as AnyObject, to: HTTPConnection.self).stagedByteCount
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
