import Glibc

/// Why a client connection ended before it was meant to.
enum ConnectionFailure: Error {
    /// The non-blocking connect failed with this errno.
    case connect(Int32)
    /// A read or write failed with this errno.
    case io(Int32)
    /// The server closed the connection (before or after the response head).
    case closed(afterHead: Bool)
    /// The server answered with something other than what the endpoint promises.
    case status(ResponseHead, body: String)
    /// The bytes were not valid HTTP or SSE.
    case malformed(String)

    /// A sentence naming the server, for the operator.
    func describe(_ address: ServerAddress) -> String {
        switch self {
        case .connect(let code) where code == ECONNREFUSED:
            return "connection refused to \(address) (is the server running on that port?)"
        case .connect(let code) where code == EADDRNOTAVAIL:
            return "out of local ports connecting to \(address) (EADDRNOTAVAIL): use more --source-addresses"
        case .connect(let code):
            return "cannot connect to \(address): \(String(cString: strerror(code)))"
        case .io(let code):
            return "connection to \(address) failed: \(String(cString: strerror(code)))"
        case .closed(let afterHead):
            return afterHead ? "the server closed the stream" : "the server closed the connection without answering"
        case .status(let head, let body):
            let detail = body.isEmpty ? "" : ": \(APIErrorBody.message(Array(body.utf8)))"
            return "the server answered \(head.status) \(head.reason)\(detail)"
        case .malformed(let reason):
            return "unexpected response from \(address): \(reason)"
        }
    }
}
