import HTTP
import Logging
import ServerConfiguration
import Synchronization
import Testing
import TestSupport

/// The HTTP server's configuration as `campaign-server` runs it when nothing is set (the defaults live
/// once, in `AppConfiguration`), on a free loopback port.
func serverDefaults() -> HTTPServer.Configuration {
    var configuration = AppConfiguration().http
    configuration.host = "127.0.0.1"
    configuration.port = 0
    return configuration
}

/// Starts a server on a free port for one test and shuts it down afterwards.
func withServer(
    _ configuration: HTTPServer.Configuration = serverDefaults(),
    handler: @escaping @Sendable (HTTPRequest) async -> HTTPResponse,
    _ body: (HTTPServer) async throws -> Void
) async throws {
    try await withServer(configuration, serving: ClosureHandler(handler), body)
}

/// The same with a handler of any kind (one that starts on the loop thread, say).
func withServer(
    _ configuration: HTTPServer.Configuration = serverDefaults(),
    serving handler: some HTTPHandler,
    _ body: (HTTPServer) async throws -> Void
) async throws {
    var configuration = configuration
    configuration.port = 0
    configuration.host = "127.0.0.1"
    var logger = Logger(label: "http-test")
    logger.logLevel = .critical
    let server = try HTTPServer(
        configuration: configuration, handler: handler, errorResponder: TestErrorResponder(), logger: logger)
    try server.start()
    do {
        try await body(server)
    } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}

/// A connection from `address` (a loopback alias: the per-address limits tell such clients apart)
/// whose one GET of `path` was answered 200: the admitted connection, or the neighbour a limit on
/// another address must leave alone. The caller keeps it open as long as it should count.
func servedClient(
    _ server: HTTPServer, from address: String, path: String = "/", sourceLocation: SourceLocation = #_sourceLocation
) async throws -> RawHTTPClient {
    let client = try RawHTTPClient(port: server.port, sourceAddress: address)
    try await client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
    let status = try await client.readResponse().status
    #expect(status == 200, "GET \(path) from \(address)", sourceLocation: sourceLocation)
    return client
}

/// The application's part in these tests: the transport's refusals answered as plain text naming what
/// was wrong, so a test sees that the server asked the responder (and closed the connection after).
struct TestErrorResponder: HTTPErrorResponder {
    func response(to error: HTTPError) -> HTTPResponse {
        HTTPResponse(status: error.status, contentType: "text/plain", body: "refused: \(error.message)")
    }

    func overloadResponse(_ request: HTTPRequest) -> HTTPResponse {
        HTTPResponse(status: .serviceUnavailable, contentType: "text/plain", body: "overloaded: \(request.method) \(request.path)")
    }
}

/// Echoes the request: method, path segments, body length, and the body itself.
@Sendable func echoHandler(_ request: HTTPRequest) async -> HTTPResponse {
    let summary = "\(request.method) /\(request.pathSegments.joined(separator: "/")) \(request.body.count) "
    return HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: .bytes(Array(summary.utf8) + request.body))
}

/// `echoHandler` run on the loop thread: it never suspends, so pipelined requests are answered one
/// after another within the loop's turn, however busy the machine's other threads are.
struct InlineEchoHandler: HTTPHandler {
    func startsOnEventLoop(_ request: HTTPRequest) -> Bool { true }
    func handle(_ request: HTTPRequest) async -> HTTPResponse { await echoHandler(request) }
}

/// A value several tasks can write and one can wait on.
final class Box<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>
    init(_ value: Value) { storage = Mutex(value) }
    var value: Value { storage.withLock { $0 } }
    func set(_ value: Value) { storage.withLock { $0 = value } }
    func update(_ body: (inout Value) -> Void) { storage.withLock { body(&$0) } }
}
