import CLinux
import Glibc

/// Thin, allocation-free wrappers over the POSIX socket calls the server and the benchmark use.
/// Every socket is non-blocking; sends use `MSG_NOSIGNAL` so a vanished peer is an `EPIPE`, not a signal.
public enum Socket {
    /// Creates a non-blocking TCP listener on `host:port` (port 0 picks a free one).
    public static func listen(host: String, port: Int, backlog: Int32 = 4096) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        // Accepted sockets inherit TCP_NODELAY from the listener on Linux: no setsockopt per connection.
        setNoDelay(fd)
        var address = try makeAddress(host: host, port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let error = SocketError("bind \(host):\(port)")
            close(fd)
            throw error
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let error = SocketError("listen")
            close(fd)
            throw error
        }
        return fd
    }

    /// The port a bound socket ended up on.
    public static func localPort(of fd: Int32) -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Accepts one pending connection as a non-blocking socket; `nil` when none is waiting.
    public static func accept(_ listener: Int32) -> Result<Int32, SocketError>? {
        let fd = accept4(listener, nil, nil, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
        if fd >= 0 { return .success(fd) }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return nil }
        // ECONNABORTED and friends concern one client only; the caller keeps accepting.
        return .failure(SocketError("accept4", code: code))
    }

    /// Starts a non-blocking connect to `host:port`, optionally from a given local address.
    /// Returns the socket; completion is signalled by writability.
    public static func connect(host: String, port: Int, sourceHost: String? = nil) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        if let sourceHost {
            var one: Int32 = 1
            // Lets many source addresses share the ephemeral port range.
            setsockopt(fd, Int32(IPPROTO_IP), IP_BIND_ADDRESS_NO_PORT, &one, socklen_t(MemoryLayout<Int32>.size))
            var source = try makeAddress(host: sourceHost, port: 0)
            let bound = withUnsafePointer(to: &source) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else {
                let error = SocketError("bind \(sourceHost)")
                close(fd)
                throw error
            }
        }
        var address = try makeAddress(host: host, port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if result != 0 && errno != EINPROGRESS {
            let error = SocketError("connect \(host):\(port)")
            close(fd)
            throw error
        }
        return fd
    }

    /// Whether Nagle's algorithm is off for `fd`.
    public static func hasNoDelay(_ fd: Int32) -> Bool {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &length) == 0 && value != 0
    }

    /// Disables Nagle's algorithm: responses and events are written whole and must leave at once.
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// Reads into `buffer`; see `IOResult`.
    @inline(__always)
    public static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> IOResult {
        IOResult.from(returnValue: Glibc.read(fd, buffer.baseAddress, buffer.count), isRead: true)
    }

    /// Writes from `bytes` without raising SIGPIPE; see `IOResult`.
    @inline(__always)
    public static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> IOResult {
        if bytes.isEmpty { return .bytes(0) }
        return IOResult.from(returnValue: Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)), isRead: false)
    }

    /// Closes a descriptor, ignoring the result: there is nothing useful to do about a failed close.
    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// The pending socket error (after a non-blocking connect), 0 when none.
    public static func pendingError(_ fd: Int32) -> Int32 {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
        return code
    }

    static func makeAddress(host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        let name = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else {
            throw SocketError("inet_pton \(host)", code: EINVAL)
        }
        return address
    }
}
