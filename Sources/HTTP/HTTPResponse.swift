/// A response a handler returns: a complete body, or a stream that stays open.
public struct HTTPResponse: Sendable {
    public enum Body: Sendable {
        /// A complete body, sent with `Content-Length` (gzip applied by the server when allowed).
        case bytes([UInt8])
        /// A body without a known end (SSE). After the head is written the server calls `open`
        /// with the stream; the body ends when the stream is closed (close-delimited, RFC 9112 §6.3).
        case stream(@Sendable (any ResponseStream) -> Void)
    }

    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: Body
    /// Close the connection after this response (malformed input, shutdown).
    public var closeConnection: Bool

    public init(status: HTTPStatus, headers: HTTPHeaders = [:], body: Body = .bytes([]), closeConnection: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.closeConnection = closeConnection
    }

    /// A response with a UTF-8 body and the given content type.
    public init(status: HTTPStatus, contentType: String, body: String, headers: HTTPHeaders = [:]) {
        var headers = headers
        headers.set("Content-Type", contentType)
        self.init(status: status, headers: headers, body: .bytes(Array(body.utf8)))
    }

    /// A streaming response: the head is sent, then `open` receives the live stream.
    public static func stream(
        status: HTTPStatus = .ok, headers: HTTPHeaders, open: @escaping @Sendable (any ResponseStream) -> Void
    ) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: .stream(open))
    }
}

/// What the server calls for every complete request. It never throws: errors are responses.
public protocol HTTPHandler: Sendable {
    func handle(_ request: HTTPRequest) async -> HTTPResponse

    /// True if `handle` may start on the event loop thread and run there until its first suspension.
    /// For requests whose work before any `await` is small and bounded (an SSE subscription joining
    /// an open room): no task hop per request. Anything heavier (JSON bodies, snapshots, compression)
    /// must answer false, or it delays every other connection's I/O. The default is false.
    func startsOnEventLoop(_ request: HTTPRequest) -> Bool
}

extension HTTPHandler {
    public func startsOnEventLoop(_ request: HTTPRequest) -> Bool { false }
}

/// An `HTTPHandler` made from a closure.
public struct ClosureHandler: HTTPHandler {
    let body: @Sendable (HTTPRequest) async -> HTTPResponse

    public init(_ body: @escaping @Sendable (HTTPRequest) async -> HTTPResponse) { self.body = body }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse { await body(request) }
}
