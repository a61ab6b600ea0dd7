/// Encodes the few requests the benchmark sends; each is built once and written as raw bytes.
enum HTTPRequest {
    static func encode(method: String, path: String, address: ServerAddress, token: String?,
                       headers: [(String, String)] = [], body: [UInt8]? = nil) -> [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: \(address.hostHeader)\r\nUser-Agent: campaign-bench\r\n"
        if let token, !token.isEmpty { text += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body {
            text += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
            return Array(text.utf8) + body
        }
        text += "\r\n"
        return Array(text.utf8)
    }
}
