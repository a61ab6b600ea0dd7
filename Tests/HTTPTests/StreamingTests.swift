import HTTP
import Testing
import TestSupport

/// Collects the streams a handler opened, so the test can push into them.
final class StreamCollector: Sendable {
    let streams = Box<[any ResponseStream]>([])
    let closeReasons = Box<[StreamCloseReason]>([])

    var handler: @Sendable (HTTPRequest) async -> HTTPResponse {
        { [self] _ in
            HTTPResponse.stream(headers: ["Content-Type": "text/event-stream", "Cache-Control": "no-cache"]) { stream in
                stream.onClose { reason in self.closeReasons.update { $0.append(reason) } }
                stream.send(ServerSentEvent(event: "connected", data: "{}", retryMilliseconds: 1000).encoded())
                self.streams.update { $0.append(stream) }
            }
        }
    }
}

@Suite struct StreamingTests {
    @Test func pushesEventsFromAnyThreadAndLearnsOfHangUp() async throws {
        let collector = StreamCollector()
        try await withServer(handler: collector.handler) { server in
            let client = try RawHTTPClient(port: server.port)
            try await client.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try await client.readUntil("\r\n\r\n")
            #expect(head.hasPrefix("HTTP/1.1 200 OK"))
            #expect(head.contains("Content-Type: text/event-stream"))
            #expect(!head.contains("Content-Length"))
            #expect(try await client.readUntil("\n\n") == "retry: 1000\nevent: connected\ndata: {}\n\n")
            #expect(await eventually { collector.streams.value.count == 1 })
            let stream = collector.streams.value[0]
            await withTaskGroup(of: Void.self) { group in
                for index in 0..<3 {
                    group.addTask { stream.send(ServerSentEvent(id: "\(index)", event: "tick", data: "line one\nline two").encoded()) }
                }
            }
            for _ in 0..<3 {
                let event = try await client.readUntil("\n\n")
                #expect(event.contains("event: tick\ndata: line one\ndata: line two\n\n"))
            }
            #expect(server.statistics.openStreams == 1)
            client.shutdownWrite()
            #expect(await eventually { collector.closeReasons.value == [.clientClosed] })
            #expect(stream.send(Array("late".utf8)) == false)
            #expect(await eventually { server.statistics.openStreams == 0 && server.statistics.openConnections == 0 })
        }
    }

    @Test func aClientThatStopsReadingIsDisconnectedWithoutDelayingOthers() async throws {
        let collector = StreamCollector()
        var configuration = serverDefaults()
        configuration.streamBufferLimitBytes = 64 * 1024
        try await withServer(configuration, handler: collector.handler) { server in
            let stalled = try RawHTTPClient(port: server.port)
            let reader = try RawHTTPClient(port: server.port)
            try await stalled.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            try await reader.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try await reader.readUntil("data: {}\n\n")
            #expect(await eventually { collector.streams.value.count == 2 })
            let payload = ServerSentEvent(event: "bulk", data: String(repeating: "x", count: 16 * 1024)).encoded()
            // Push far more than the stalled client's socket buffers and our bound can hold.
            var sentToAll = 0
            for _ in 0..<400 {
                var delivered = 0
                for stream in collector.streams.value where stream.send(payload) { delivered += 1 }
                if delivered == 2 { sentToAll += 1 }
                _ = try await reader.readUntil("\n\n")
            }
            #expect(sentToAll < 400, "the stalled client should have been cut off")
            #expect(await eventually { collector.closeReasons.value.contains(.bufferOverflow) })
            #expect(server.statistics.streamOverflows == 1)
            // The reader received every one of the 400 events (checked by readUntil above) and is still open.
            #expect(collector.closeReasons.value.count == 1)
            #expect(try await stalled.waitForClose())
        }
    }

    @Test func gracefulShutdownFinishesInFlightRequestsAndEndsStreams() async throws {
        let release = Box(false)
        let collector = StreamCollector()
        var logger = Logger(label: "t")
        logger.logLevel = .critical
        let server = try HTTPServer(
            configuration: serverDefaults(),
            handler: ClosureHandler { request in
                if request.pathSegments == ["slow"] {
                    // Still in flight when the shutdown begins, however slowly this machine runs the test.
                    while !release.value { try? await Task.sleep(for: .milliseconds(5)) }
                    return HTTPResponse(status: .ok, contentType: "text/plain", body: "finished")
                }
                return await collector.handler(request)
            }, errorResponder: TestErrorResponder(), logger: logger)
        try server.start()
        let streamClient = try RawHTTPClient(port: server.port)
        try await streamClient.send("GET /events HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try await streamClient.readUntil("data: {}\n\n")
        let slowClient = try RawHTTPClient(port: server.port)
        try await slowClient.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(await eventually { server.statistics.openConnections == 2 })
        let idle = try RawHTTPClient(port: server.port)
        #expect(await eventually { server.statistics.openConnections == 3 })

        // A task, not `async let` (see `CampaignRoomTests`: a Swift 6.3 bug in `async let`).
        let stopping = Task { await server.shutdown() }
        _ = await eventually { server.isShuttingDown }
        release.set(true)
        let response = try await slowClient.readResponse()
        #expect(response.status == 200)
        #expect(response.bodyText == "finished")
        #expect(response.header("Connection") == "close")
        #expect(try await streamClient.waitForClose())
        #expect(try await idle.waitForClose())
        await stopping.value
        #expect(collector.closeReasons.value == [.serverShutdown])
        #expect(throws: (any Error).self) { _ = try RawHTTPClient(port: server.port) }
    }
}

import Logging
