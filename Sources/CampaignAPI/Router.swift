import HTTP

/// Matches a request's method and decoded path segments against the route table.
struct Router: Sendable {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
    }

    struct Route: Sendable {
        let method: String
        let segments: [Segment]
        /// A stable name for logs and metrics (`GET /api/campaigns/:campaignId`).
        let name: String
        let access: AccessRule
        let handle: @Sendable (CampaignAPIHandler, RequestContext) async throws(APIError) -> HTTPResponse
    }

    enum Match {
        case found(Route, parameters: [String: String])
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    let routes: [Route]

    init(routes: [Route]) { self.routes = routes }

    /// Builds a route from a pattern like `/api/campaigns/:campaignId`.
    static func route(
        _ method: String, _ pattern: String, _ access: AccessRule,
        _ handle: @escaping @Sendable (CampaignAPIHandler, RequestContext) async throws(APIError) -> HTTPResponse
    ) -> Route {
        let segments = pattern.split(separator: "/").map { piece -> Segment in
            piece.hasPrefix(":") ? .parameter(String(piece.dropFirst())) : .literal(String(piece))
        }
        return Route(method: method, segments: segments, name: "\(method) \(pattern)", access: access, handle: handle)
    }

    func match(method: String, segments: [String]) -> Match {
        var allowed: [String] = []
        for route in routes {
            guard let parameters = Self.bind(route.segments, to: segments) else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route, parameters: parameters)
            }
            allowed.append(route.method)
        }
        if allowed.isEmpty { return .notFound }
        if allowed.contains("GET") { allowed.append("HEAD") }
        allowed.append("OPTIONS")
        return .methodNotAllowed(allowed: allowed)
    }

    /// Whether some route serves this path (whatever the method).
    func knowsPath(_ segments: [String]) -> [String]? {
        let methods = routes.filter { Self.bind($0.segments, to: segments) != nil }.map(\.method)
        return methods.isEmpty ? nil : methods
    }

    private static func bind(_ pattern: [Segment], to segments: [String]) -> [String: String]? {
        guard pattern.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (piece, value) in zip(pattern, segments) {
            switch piece {
            case .literal(let text): guard text == value else { return nil }
            case .parameter(let name): parameters[name] = value
            }
        }
        return parameters
    }
}
