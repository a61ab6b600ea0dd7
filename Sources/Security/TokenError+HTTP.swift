import HTTP

extension TokenError {
    /// The 401 error of docs/API.md for this refusal.
    public var httpError: HTTPError {
        HTTPError(.unauthorized, code: "unauthorized", message: clientMessage)
    }

    /// A complete 401 JSON response with `WWW-Authenticate: Bearer` (RFC 6750 §3).
    public func response() -> HTTPResponse {
        var response = httpError.response()
        // RFC 6750 §3.1: a request without credentials gets no error code, a refused token `invalid_token`.
        let challenge = self == .missing ? #"Bearer realm="api""# : #"Bearer realm="api", error="invalid_token""#
        response.headers.set("WWW-Authenticate", challenge)
        return response
    }
}
