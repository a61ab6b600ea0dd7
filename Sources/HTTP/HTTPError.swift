/// Why the transport refused a request before any handler saw it: the status and what was wrong.
/// What the answer says, and in which format, is the application's (`HTTPErrorResponder`).
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: HTTPStatus
    /// What was wrong, safe to show the client (it names limits, never echoes input).
    public let message: String

    public init(_ status: HTTPStatus, message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status.code): \(message)" }
}
