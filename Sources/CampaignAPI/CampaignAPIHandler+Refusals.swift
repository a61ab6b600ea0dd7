import CampaignModel
import HTTP

extension CampaignAPIHandler: HTTPErrorResponder {
    /// What the transport refused before routing, in the error shape of every other answer, with a
    /// new `X-Request-Id` (no handler saw the request, but every response carries an id).
    /// `overloadResponse(_:)` is the stream handler's (a stream is answered differently).
    public func response(to error: HTTPError) -> HTTPResponse {
        var response = APIError.refused(error).response()
        response.headers.set("X-Request-Id", Identifier.random())
        return response
    }
}

extension APIError {
    /// The code of docs/API.md for each status the transport refuses with.
    static func refused(_ error: HTTPError) -> APIError {
        let code = switch error.status {
        case .requestTimeout: "request_timeout"
        case .contentTooLarge: "payload_too_large"
        case .uriTooLong: "uri_too_long"
        case .expectationFailed: "expectation_failed"
        case .headerFieldsTooLarge: "header_fields_too_large"
        case .notImplemented: "not_implemented"
        case .versionNotSupported: "version_not_supported"
        default: "bad_request"
        }
        return APIError(error.status, code, error.message)
    }
}
