import HTTP

extension AuthorizationFailure {
    /// The 403 error of docs/API.md for this refusal.
    public var httpError: HTTPError {
        HTTPError(.forbidden, code: "forbidden", message: clientMessage)
    }

    /// A complete 403 JSON response.
    public func response() -> HTTPResponse { httpError.response() }
}
