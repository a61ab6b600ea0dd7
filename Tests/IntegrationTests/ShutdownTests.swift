import TestSupport
import APITestSupport
import Testing

/// `stop()` ends every open stream cleanly, and the process's counters of connections, streams
/// and subscribers return to zero.
@Suite struct ShutdownTests {
    @Test(arguments: TestStoreKind.available)
    func stoppingTheServerEndsEveryStreamAndZeroesTheCounters(kind: TestStoreKind) async throws {
        let app = try await TestApplication.start(kind)
        var stopped = false
        defer { if !stopped { Task { await app.stop() } } }
        let one = try await LiveBoard.make(app)
        let two = try await LiveBoard.make(app)
        var streams: [SSEClient] = []
        for board in [one, one, two] { streams.append(try await board.subscribe().0) }
        try await one.addTask("before shutdown")
        for stream in streams.prefix(2) { _ = try await stream.next(2) }
        let statistics = app.application.server.statistics
        #expect(statistics.openStreams == 3)
        #expect(try await metricValue(app, "campaign_sse_clients") == 3)

        let ends = streams.map { stream in Task { try await stream.waitForEnd() } }
        await app.stop()
        stopped = true
        for (index, end) in ends.enumerated() {
            #expect(try await end.value, "stream \(index) did not end")
            // Cleanly: whatever came last was a whole message, never half of one.
            let rest = String(decoding: streams[index].connection.unconsumed, as: UTF8.self)
            #expect(rest.isEmpty || rest.hasSuffix("\n\n"))
        }
        #expect(await eventually { statistics.openConnections == 0 }, "open connections: \(statistics.openConnections)")
        #expect(await eventually { statistics.openStreams == 0 }, "open streams: \(statistics.openStreams)")
        #expect(await eventually {
            seriesValue(String(decoding: app.application.metrics.exposition(), as: UTF8.self), "campaign_sse_clients") == 0
        })
        #expect(await eventually { app.application.registry.roomCount == 0 })
    }
}
