/// The status line and headers of an HTTP/1.1 response.
struct ResponseHead {
    let version: String
    let status: Int
    let reason: String
    /// Header names lower-cased, in order.
    let headers: [(name: String, value: String)]

    func value(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    var contentLength: Int? { value("content-length").flatMap { Int($0.trimmingSpaces) } }

    var isChunked: Bool { value("transfer-encoding")?.lowercased().contains("chunked") ?? false }

    /// The server will close the connection after this response.
    var closesConnection: Bool {
        let connection = value("connection")?.lowercased() ?? ""
        if version == "HTTP/1.0" { return !connection.contains("keep-alive") }
        return connection.contains("close")
    }
}
