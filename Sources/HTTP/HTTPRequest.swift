/// One parsed HTTP request: the head, the decoded target and the whole body.
public struct HTTPRequest: Sendable {
    /// The method token exactly as sent (methods are case-sensitive, RFC 9110 §9.1).
    public var method: String
    /// The raw request target (`/api/x?y=1`).
    public var target: String
    /// The path part of the target, still percent-encoded.
    public var path: String
    /// Path segments split on `/` and percent-decoded (`/a/b%20c` → `["a", "b c"]`).
    public var pathSegments: [String]
    /// Query parameters, percent-decoded (`+` is a space), in order.
    public var query: [(name: String, value: String)]
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The connection's peer, an IPv4 address in host byte order (nil: not IPv4, or not from a socket).
    /// A proxy's, when there is one in front; see `TrustedProxies` for the client behind it.
    public var peerAddress: UInt32?
    /// Set by the server when the body is `HTTPParser.Limits.largeBodyBytes` or more. Such a request is
    /// handled one at a time at low task priority, and its handler should parse the body off the threads
    /// that serve everyone else (`IdleWorker`).
    public var bodyIsLarge = false

    public init(
        method: String, target: String, path: String, pathSegments: [String],
        query: [(name: String, value: String)], version: HTTPVersion, headers: HTTPHeaders, body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        self.path = path
        self.pathSegments = pathSegments
        self.query = query
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The first query parameter called `name`.
    public func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// Whether the connection stays open after this request (RFC 9112 §9.3).
    public var keepAlive: Bool {
        let connection = headers.values("Connection").joined(separator: ",").lowercased()
        let tokens = connection.split(separator: ",").map { $0.trimmingOptionalWhitespace() }
        if tokens.contains("close") { return false }
        if version.minor == 0 && version.major == 1 { return tokens.contains("keep-alive") }
        return true
    }
}

/// The protocol version of a request.
public struct HTTPVersion: Sendable, Equatable {
    public let major: Int
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)
}
