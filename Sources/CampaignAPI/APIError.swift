import CampaignModel
import CampaignStore
import HTTP
import Security

/// An error answer in the shape of docs/API.md: `{"error":{"code","message","field"?,"current"?}}`.
struct APIError: Error, Sendable {
    let status: HTTPStatus
    let code: String
    let message: String
    var field: String? = nil
    var current: JSONValue? = nil
    var headers: HTTPHeaders = [:]

    init(_ status: HTTPStatus, _ code: String, _ message: String, field: String? = nil, current: JSONValue? = nil, headers: HTTPHeaders = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.current = current
        self.headers = headers
    }

    func response() -> HTTPResponse {
        var error = JSONObject([(key: "code", value: .string(code)), (key: "message", value: .string(message))])
        if let field { error["field"] = .string(field) }
        if let current { error["current"] = current }
        var headers = self.headers
        headers.set("Content-Type", "application/json")
        return HTTPResponse(status: status, headers: headers, body: .bytes(JSONValue.object(["error": .object(error)]).encoded()))
    }

    static func validation(_ error: ValidationError) -> APIError {
        APIError(.badRequest, "validation_failed", error.message, field: error.field)
    }

    static func badRequest(_ message: String, field: String? = nil) -> APIError {
        APIError(.badRequest, "bad_request", message, field: field)
    }

    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, "not_found", "\(what) not found")
    }

    /// 401 with the RFC 6750 §3 challenge (`BearerChallenge`): `tokenRefused` when a token was sent and refused.
    static func unauthorized(_ message: String, tokenRefused: Bool) -> APIError {
        APIError(.unauthorized, "unauthorized", message, headers: ["WWW-Authenticate": BearerChallenge.header(tokenRefused: tokenRefused)])
    }

    /// 401 for a token that verification refused; its message never contains token text.
    static func unauthorized(_ error: TokenError) -> APIError {
        unauthorized(error.clientMessage, tokenRefused: error != .missing)
    }

    static func forbidden(_ failure: AuthorizationFailure) -> APIError {
        APIError(.forbidden, "forbidden", failure.clientMessage)
    }

    static func unavailable(_ message: String = "the database is unreachable; try again shortly") -> APIError {
        APIError(.serviceUnavailable, "service_unavailable", message, headers: ["Retry-After": "2"])
    }

    /// The status each store failure maps to (docs/API.md "Errors").
    static func from(_ error: StoreError) -> APIError {
        switch error {
        case .notFound(let resource):
            return notFound(resource.rawValue)
        case .invalid(let validation):
            return validation.field == nil ? badRequest(validation.message) : Self.validation(validation)
        case .conflict(let message):
            return APIError(.conflict, "conflict", message)
        case .taskLimitReached(let limit):
            return APIError(.conflict, "task_limit_reached", "this campaign already holds \(limit) tasks, the most allowed; delete some first")
        case .preconditionFailed(let current):
            return APIError(.preconditionFailed, "precondition_failed", "the task was changed by someone else: your version is out of date", current: current.json,
                            headers: ["ETag": current.etag])
        case .unavailable:
            return unavailable()
        case .busy(let message):
            return APIError(.serviceUnavailable, "campaign_busy", message, headers: ["Retry-After": "1"])
        }
    }
}
