import CampaignModel
import HTTP
import Security

extension CampaignAPIHandler {
    /// `GET /api/health`: 200 `ok`, or 503 `degraded` while the database is unreachable. The
    /// database's answer is at most `healthCacheMilliseconds` old (see `HealthProbe`).
    func health(_ context: RequestContext) async -> HTTPResponse {
        let reachable = await healthProbe.isReachable()
        let uptime = startedAt.duration(to: .now).components.seconds
        let body: JSONValue = [
            "status": .string(reachable ? "ok" : "degraded"),
            "database": .string(reachable ? (storeKind == "memory" ? "memory" : "ok") : "unreachable"),
            "uptimeSeconds": .int(uptime),
            "connections": .int(Int64(statistics.openConnections)),
        ]
        return JSONResponse.ok(body, status: reachable ? .ok : .serviceUnavailable)
    }

    /// `GET /livez`: 200 while the process serves requests; never asks the database, so a database
    /// outage does not make an orchestrator restart every instance.
    func livenessAnswer(_ context: RequestContext) -> HTTPResponse {
        JSONResponse.ok(["status": "ok"])
    }

    /// `GET /readyz`: 200 when the database answers, the LISTEN connection is up and the server is not
    /// draining; otherwise 503 `not_ready`, `field` naming the first failing check.
    func readinessAnswer(_ context: RequestContext) async throws(APIError) -> HTTPResponse {
        let failing = await readiness.failingChecks()
        if let first = failing.first {
            let names = failing.map(\.rawValue).joined(separator: ", ")
            throw APIError(.serviceUnavailable, "not_ready", "not ready; failing checks: \(names)", field: first.rawValue)
        }
        return JSONResponse.ok(["status": "ready"])
    }

    /// `GET /metrics`: Prometheus text; with `METRICS_TOKEN` set, only for `Authorization: Bearer <it>`.
    func metricsText(_ context: RequestContext) throws(APIError) -> HTTPResponse {
        if let expected = configuration.metricsToken {
            let given = Access.bearerToken(from: context.request, allowQueryToken: false)
            guard let given, ConstantTime.equals(given, expected) else {
                throw APIError.unauthorized("the metrics token is required", tokenRefused: given != nil)
            }
        }
        metrics.refresh(statistics: statistics, rooms: registry.roomCount)
        return HTTPResponse(
            status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"], body: .bytes(metrics.exposition()))
    }
}
