import HTTP
import Logging
import Testing
import TestSupport

/// A handler may still be running when its server has shut down and been released (its grace
/// period was over). Its answer must go nowhere quietly: the connection keeps the server alive
/// until then instead of reading a freed object.
@Suite struct ServerLifetimeTests {
    @Test func aHandlerThatOutlivesItsServerAnswersIntoNothing() async throws {
        let handlerStarted = Box(false)
        let handlerFinished = Box(false)
        let serverStopped = Box(false)
        weak var released: HTTPServer?
        do {
            var logger = Logger(label: "http-test")
            logger.logLevel = .critical
            var configuration = serverDefaults()
            configuration.shutdownGracePeriodSeconds = 0
            let server = try HTTPServer(
                configuration: configuration,
                handler: ClosureHandler { _ in
                    handlerStarted.set(true)
                    // Answers only once the test has stopped the server and let go of it.
                    while !serverStopped.value { try? await Task.sleep(for: .milliseconds(10)) }
                    defer { handlerFinished.set(true) }
                    return HTTPResponse(status: .ok, headers: [:], body: .bytes(Array("late".utf8)))
                },
                errorResponder: TestErrorResponder(), logger: logger)
            released = server
            try server.start()
            let client = try RawHTTPClient(port: server.port)
            try await client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await eventually(timeoutSeconds: 10) { handlerStarted.value })
            await server.shutdown()
            #expect(!handlerFinished.value)
        }
        serverStopped.set(true)
        // The handler answers after the server stopped; the process must survive it, and the
        // server must still be freed once nothing refers to it any more.
        #expect(await eventually(timeoutSeconds: 10) { handlerFinished.value })
        #expect(await eventually(timeoutSeconds: 10) { released == nil })
    }
}
