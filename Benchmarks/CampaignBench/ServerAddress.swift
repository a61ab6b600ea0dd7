import Glibc

/// Where the server listens, parsed from `--url http://host:port`.
struct ServerAddress: Sendable, CustomStringConvertible {
    /// The dotted IPv4 address connections go to (a host name is resolved once).
    let ip: String
    let port: Int
    /// The `Host` header value, as written in the URL.
    let hostHeader: String

    var description: String { "\(ip):\(port)" }

    /// True for 127.0.0.0/8, where the benchmark may spread clients over several source addresses.
    var isLoopback: Bool { ip.hasPrefix("127.") }

    init(url: String) throws {
        var rest = Substring(url)
        if rest.hasPrefix("https://") {
            throw BenchError("\(url): https is not supported; point campaign-bench at the server's plain HTTP port")
        }
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        guard !rest.isEmpty else { throw BenchError("\(url): no host in the URL") }
        let host: Substring
        if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            guard let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
                throw BenchError("\(url): the port must be a number from 1 to 65535")
            }
            self.port = port
        } else {
            host = rest
            port = 80
        }
        hostHeader = String(rest)
        ip = try Self.resolve(String(host))
    }

    private static func resolve(_ host: String) throws -> String {
        var probe = in_addr()
        if inet_pton(AF_INET, host, &probe) == 1 { return host }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list, let address = first.pointee.ai_addr else {
            throw BenchError("cannot resolve host \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        var inet = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
        inet_ntop(AF_INET, &inet, &text, socklen_t(INET_ADDRSTRLEN))
        return text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
