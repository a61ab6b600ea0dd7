import HTTP

/// Cross-origin rules for browsers on other origins (CORS_ORIGINS): preflight answers and response headers.
///
/// An origin outside the list gets no CORS headers at all, so the browser itself blocks the response;
/// the server never answers 403 to a preflight, which would only hide the reason from the developer.
public struct CORSPolicy: Sendable {
    enum Origins: Sendable, Equatable {
        case none
        case any
        case listed(Set<String>)
    }

    let origins: Origins
    /// How long a browser may cache a preflight answer (`Access-Control-Max-Age`).
    public let maxAgeSeconds: Int

    /// Request headers a cross-origin client may send.
    public static let allowedHeaders = ["Authorization", "Content-Type", "If-Match", "X-Client-Id", "Last-Event-ID", "X-Request-Id"]
    /// Response headers a cross-origin client may read.
    public static let exposedHeaders = ["ETag", "Location", "X-Request-Id"]

    /// A policy for `allowedOrigins` (`scheme://host[:port]` each, or `["*"]` for any; empty disables CORS).
    public init(allowedOrigins: [String], maxAgeSeconds: Int = 600) {
        let cleaned = allowedOrigins.map(Self.normalize).filter { !$0.isEmpty }
        if cleaned.contains("*") {
            origins = .any
        } else if cleaned.isEmpty {
            origins = .none
        } else {
            origins = .listed(Set(cleaned))
        }
        self.maxAgeSeconds = maxAgeSeconds
    }

    /// Whether any cross-origin access is allowed.
    public var isEnabled: Bool { origins != .none }

    /// The request's `Origin` when it may read the response, exactly as sent (it is echoed back).
    public func allowedOrigin(for request: HTTPRequest) -> String? {
        let values = request.headers.values("Origin")
        guard values.count == 1, let origin = values.first else { return nil }
        let normalized = Self.normalize(origin)
        switch origins {
        case .none:
            return nil
        case .any:
            // `null` comes from sandboxed frames and file: pages; wildcard is not meant to cover them.
            return normalized.isEmpty || normalized == "null" ? nil : origin
        case .listed(let allowed):
            return allowed.contains(normalized) ? origin : nil
        }
    }

    /// Answers a CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`); nil for any other request.
    public func preflightResponse(for request: HTTPRequest, allowedMethods: [String]) -> HTTPResponse? {
        guard request.method == "OPTIONS", request.headers.contains("Origin"),
              request.headers.contains("Access-Control-Request-Method")
        else { return nil }
        var response = HTTPResponse(status: .noContent)
        addVary(to: &response)
        guard let origin = allowedOrigin(for: request) else { return response }
        response.headers.set("Access-Control-Allow-Origin", origin)
        response.headers.set("Access-Control-Allow-Methods", allowedMethods.joined(separator: ", "))
        response.headers.set("Access-Control-Allow-Headers", Self.allowedHeaders.joined(separator: ", "))
        response.headers.set("Access-Control-Max-Age", String(maxAgeSeconds))
        return response
    }

    /// Adds the CORS headers an actual (non-preflight) response needs for `request`'s origin.
    public func apply(to response: inout HTTPResponse, for request: HTTPRequest) {
        guard isEnabled else { return }
        addVary(to: &response)
        guard let origin = allowedOrigin(for: request) else { return }
        // The origin is echoed rather than `*` so that the answer stays valid should credentials ever be used.
        response.headers.set("Access-Control-Allow-Origin", origin)
        response.headers.set("Access-Control-Expose-Headers", Self.exposedHeaders.joined(separator: ", "))
    }

    /// Caches must not serve an answer made for one origin to another.
    private func addVary(to response: inout HTTPResponse) {
        guard isEnabled else { return }
        let varies = response.headers.values("Vary").contains { value in
            value.split(separator: ",").contains { HTTPHeaders.equalsIgnoringCase(String($0.filter { $0 != " " && $0 != "\t" }), "Origin") || $0.contains("*") }
        }
        if !varies { response.headers.add("Vary", "Origin") }
    }

    /// Origins compare case-insensitively and without a trailing slash, as browsers serialize them.
    static func normalize(_ origin: String) -> String {
        var text = Substring(origin).drop { $0 == " " || $0 == "\t" }
        while let last = text.last, last == " " || last == "\t" || last == "/" { text = text.dropLast() }
        return text.lowercased()
    }
}
