import CampaignModel
import CampaignStore
import Glibc
import HTTP
import Logging
import Realtime
import Security

/// The server's request handler: request ids, CORS, routing, authentication and authorization
/// (401, then 403, then 404, then validation), error mapping, `[API]` logs and request metrics.
public final class CampaignAPIHandler: HTTPHandler {
    let configuration: APIConfiguration
    let store: any CampaignStore
    let registry: RoomRegistry
    let metrics: APIMetrics
    let assets: StaticAssets
    let logger: Logger
    let statistics: ServerStatistics
    /// "memory" or "postgres", for the health answer.
    let storeKind: String
    let startedAt = ContinuousClock.now
    let router = Router(routes: CampaignAPIHandler.routes)
    /// Open event streams per token subject (MAX_STREAMS_PER_SUBJECT).
    public let streamQuota: StreamQuota
    /// `/api/health`'s store check, reused for `healthCacheMilliseconds`, one in flight at most.
    let healthProbe: HealthProbe
    /// `/readyz`'s checks, and the switch shutdown flips first.
    public let readiness: Readiness

    /// `eventFeed`: the feed (PostgreSQL's LISTEN connection) `/readyz` checks (nil on the in-memory store).
    public init(
        configuration: APIConfiguration, store: any CampaignStore, registry: RoomRegistry, metrics: APIMetrics,
        statistics: ServerStatistics, storeKind: String, assets: StaticAssets = StaticAssets(), logger: Logger,
        eventFeed: (any CampaignEventFeed)? = nil
    ) {
        self.storeKind = storeKind
        self.configuration = configuration
        self.store = store
        self.registry = registry
        self.metrics = metrics
        self.statistics = statistics
        self.assets = assets
        self.logger = logger
        streamQuota = StreamQuota(limit: configuration.maximumStreamsPerSubject)
        let healthProbe = HealthProbe(store: store, cacheMilliseconds: configuration.healthCacheMilliseconds, checks: metrics.healthChecks)
        self.healthProbe = healthProbe
        readiness = Readiness(healthProbe: healthProbe, eventFeed: eventFeed)
    }

    /// Every route: method, path pattern, who may call it (the OpenAPI document lists the same).
    public var routeTable: [(method: String, path: String)] {
        router.routes.map { route in
            let path = "/" + route.segments.map { segment -> String in
                switch segment {
                case .literal(let text): text
                case .parameter(let name): "{\(name)}"
                }
            }.joined(separator: "/")
            return (route.method, path)
        }
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let started = ContinuousClock.now
        let requestId = Self.requestId(from: request)
        let (routeName, result) = await route(request, requestId: requestId)
        var response: HTTPResponse
        switch result {
        case .success(let answer): response = answer
        case .failure(let error): response = error.response()
        }
        response.headers.set("X-Request-Id", requestId)
        // No answer of this server is meant to be reinterpreted as another type (a JSON error as a script).
        response.headers.set("X-Content-Type-Options", "nosniff")
        configuration.cors?.apply(to: &response, for: request)

        let seconds = started.duration(to: .now) / .seconds(1)
        metrics.requestCompleted(route: routeName, method: request.method, status: response.status.code, seconds: seconds)
        // A failing readiness probe is an expected answer (an outage, a drain), not a server error.
        if response.status.code >= 500 && routeName != Self.readinessRouteName {
            logger.error("[API] request failed", metadata: logMetadata(request, response, routeName, requestId, seconds))
        } else if configuration.accessLog {
            logger.info("[API] access", metadata: logMetadata(request, response, routeName, requestId, seconds))
        } else if logger.logLevel <= .debug {
            logger.debug("[API] request", metadata: logMetadata(request, response, routeName, requestId, seconds))
        }
        return response
    }

    static let readinessRouteName = "GET /readyz"

    /// A request's log line fields; built only when the line is written (most requests log nothing).
    /// `body.bytes` is the answer's body before compression; a stream's is not known when it starts.
    private func logMetadata(
        _ request: HTTPRequest, _ response: HTTPResponse, _ routeName: String, _ requestId: String, _ seconds: Double
    ) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "request.id": .string(requestId), "method": "\(request.method)", "path": "\(request.path)", "route": .string(routeName),
            "status": "\(response.status.code)", "duration.ms": "\(Int(seconds * 1000))",
            "client.address": .string(configuration.trustedProxies.clientAddress(
                peer: request.peerAddress, forwardedFor: request.headers.values("X-Forwarded-For").joined(separator: ","))),
        ]
        if case .bytes(let body) = response.body { metadata["body.bytes"] = "\(body.count)" }
        return metadata
    }

    /// SSE subscriptions start on the event loop thread: what they do before the first `await` is a
    /// route match, the token check and handing the stream to its room, and thousands of browsers
    /// reconnecting at once should not each cost a task hop (see `HTTPHandler.startsOnEventLoop`).
    public func startsOnEventLoop(_ request: HTTPRequest) -> Bool {
        request.method == "GET" && Self.isEventStreamPath(request.pathSegments)
    }

    static func isEventStreamPath(_ segments: [String]) -> Bool {
        (segments.count == 2 || segments.count == 3) && segments[0] == "api" && segments[1] == "events"
    }

    private func route(_ request: HTTPRequest, requestId: String) async -> (String, Result<HTTPResponse, APIError>) {
        // Without authentication every caller is an admin: only callers on this machine, by a name of
        // this machine (DNS rebinding). A request without Host cannot come from a browser.
        if configuration.authDisabled, let host = request.headers["Host"], !LoopbackHost.allows(host) {
            return ("refused host", .failure(APIError(
                .misdirectedRequest, "host_not_allowed",
                "with AUTH_DISABLED=true only localhost, 127.x.x.x and [::1] are served; use one of them in the URL")))
        }
        if request.method == "OPTIONS" {
            let methods = router.knowsPath(request.pathSegments) ?? []
            if let cors = configuration.cors, let preflight = cors.preflightResponse(for: request, allowedMethods: methods) {
                return ("OPTIONS", .success(preflight))
            }
            if !methods.isEmpty {
                return ("OPTIONS", .success(HTTPResponse(status: .noContent, headers: ["Allow": (methods + ["OPTIONS"]).joined(separator: ", ")])))
            }
        }
        switch router.match(method: request.method, segments: request.pathSegments) {
        case .notFound:
            if request.method == "GET" || request.method == "HEAD", let asset = assets.response(for: request.pathSegments) {
                return ("GET static", .success(asset))
            }
            return ("unmatched", .failure(APIError.notFound("route")))
        case .methodNotAllowed(let allowed):
            return ("unmatched", .failure(APIError(.methodNotAllowed, "method_not_allowed", "\(request.method) is not allowed here",
                                                   headers: ["Allow": allowed.joined(separator: ", ")])))
        case .found(let route, let parameters):
            do throws(APIError) {
                let principal = try authenticate(request, rule: route.access, parameters: parameters)
                let context = RequestContext(request: request, parameters: parameters, principal: principal, requestId: requestId, baseLogger: logger)
                return (route.name, .success(try await route.handle(self, context)))
            } catch {
                return (route.name, .failure(error))
            }
        }
    }

    /// An `X-Request-Id` the client sent (if it is a sane token) or a new one.
    static func requestId(from request: HTTPRequest) -> String {
        if let given = request.headers["X-Request-Id"], !given.isEmpty, given.utf8.count <= 128,
            given.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E })
        {
            return given
        }
        return Identifier.random()
    }
}
