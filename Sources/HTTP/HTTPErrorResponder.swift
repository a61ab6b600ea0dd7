/// How the application answers the requests the transport refuses on its own. The transport knows the
/// status and the reason; the body, its format and any headers are the application's, so that every
/// refusal has the application's error shape and no format is written twice.
public protocol HTTPErrorResponder: Sendable {
    /// A request refused before any handler saw it (malformed, too large, too slow); the connection
    /// closes after the answer whatever it says.
    func response(to error: HTTPError) -> HTTPResponse

    /// A request on a connection accepted past `maximumConnections`; the connection closes after it.
    func overloadResponse(_ request: HTTPRequest) -> HTTPResponse
}
