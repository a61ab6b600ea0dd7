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
        let address = try makeAddress(host: host, port: port)
        guard withSocketAddress(address, { bind(fd, $0, $1) }) == 0 else {
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
        // Addresses first: a name that does not parse then leaves no descriptor open.
        let address = try makeAddress(host: host, port: port)
        let source = try sourceHost.map { try makeAddress(host: $0, port: 0) }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketError("socket") }
        if let sourceHost, let source {
            var one: Int32 = 1
            // Lets many source addresses share the ephemeral port range.
            setsockopt(fd, Int32(IPPROTO_IP), IP_BIND_ADDRESS_NO_PORT, &one, socklen_t(MemoryLayout<Int32>.size))
            guard withSocketAddress(source, { bind(fd, $0, $1) }) == 0 else {
                let error = SocketError("bind \(sourceHost)")
                close(fd)
                throw error
            }
        }
        let result = withSocketAddress(address) { Glibc.connect(fd, $0, $1) }
        if result != 0 && errno != EINPROGRESS {
            let error = SocketError("connect \(host):\(port)")
            close(fd)
            throw error
        }
        return fd
    }

    /// Whether Nagle's algorithm is off for `fd`.
    public static func hasNoDelay(_ fd: Int32) -> Bool {
        (integerOption(fd, level: Int32(IPPROTO_TCP), option: TCP_NODELAY) ?? 0) != 0
    }

    /// Disables Nagle's algorithm: responses and events are written whole and must leave at once.
    public static func setNoDelay(_ fd: Int32) {
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    /// How the kernel notices a peer that vanished without a FIN or RST (a laptop closed, a route gone).
    public struct KeepAlive: Sendable, Equatable {
        /// Idle time before the first probe.
        public var idleSeconds: Int32
        /// Time between unanswered probes.
        public var intervalSeconds: Int32
        /// Unanswered probes before the connection is dropped.
        public var probes: Int32
        /// Sent data may stay unacknowledged this long before the connection is dropped (TCP_USER_TIMEOUT):
        /// covers a peer that vanished while we were writing to it, which keepalive probes do not.
        public var userTimeoutSeconds: Int32

        public init(idleSeconds: Int32 = 60, intervalSeconds: Int32 = 10, probes: Int32 = 6, userTimeoutSeconds: Int32 = 120) {
            self.idleSeconds = idleSeconds
            self.intervalSeconds = intervalSeconds
            self.probes = probes
            self.userTimeoutSeconds = userTimeoutSeconds
        }
    }

    /// Turns on TCP keepalive and the user timeout. On a listener, every accepted socket inherits
    /// both (Linux copies the options), so this costs no system call per connection.
    public static func setKeepAlive(_ fd: Int32, _ keepAlive: KeepAlive) {
        func set(_ level: Int32, _ option: Int32, _ value: Int32) {
            var value = value
            setsockopt(fd, level, option, &value, socklen_t(MemoryLayout<Int32>.size))
        }
        set(SOL_SOCKET, SO_KEEPALIVE, 1)
        set(Int32(IPPROTO_TCP), TCP_KEEPIDLE, keepAlive.idleSeconds)
        set(Int32(IPPROTO_TCP), TCP_KEEPINTVL, keepAlive.intervalSeconds)
        set(Int32(IPPROTO_TCP), TCP_KEEPCNT, keepAlive.probes)
        let userTimeout = keepAlive.userTimeoutSeconds.multipliedReportingOverflow(by: 1000)
        set(Int32(IPPROTO_TCP), TCP_USER_TIMEOUT, userTimeout.overflow ? Int32.max : userTimeout.partialValue)
    }

    /// An integer socket option's value, or nil when it cannot be read.
    public static func integerOption(_ fd: Int32, level: Int32, option: Int32) -> Int32? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        return getsockopt(fd, level, option, &value, &length) == 0 ? value : nil
    }

    /// The peer's IPv4 address in network byte order, or nil when it is not an IPv4 peer.
    public static func peerIPv4Address(_ fd: Int32) -> UInt32? {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let result = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard result == 0, address.sin_family == sa_family_t(AF_INET) else { return nil }
        return address.sin_addr.s_addr
    }

    /// Dotted-quad text of an IPv4 address in network byte order, for log lines.
    public static func ipv4Text(_ address: UInt32) -> String {
        let bytes = withUnsafeBytes(of: address) { Array($0) }
        return bytes.map(String.init).joined(separator: ".")
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

    /// Chunks one vectored send takes at most (Linux's IOV_MAX is 1,024; a send rarely takes more).
    public static let maximumChunksPerSend = 64

    /// Writes the chunks in order, without copying them together, and without raising SIGPIPE; the
    /// first `skip` bytes of the first chunk are left out (already sent). At most
    /// `maximumChunksPerSend` chunks go in one call. See `IOResult`.
    public static func send(_ fd: Int32, chunks: ArraySlice<[UInt8]>, skippingFirst skip: Int) -> IOResult {
        let taken = chunks.prefix(maximumChunksPerSend)
        var vectors: [iovec] = []
        vectors.reserveCapacity(taken.count)
        // Each chunk's storage is pinned by its own `withUnsafeBytes` for the whole call: nested, one
        // level per chunk, and the system call made at the innermost.
        func pin(_ index: Int) -> IOResult {
            guard index < taken.endIndex else {
                if vectors.isEmpty { return .bytes(0) }
                return vectors.withUnsafeMutableBufferPointer { buffer in
                    var message = msghdr()
                    message.msg_iov = buffer.baseAddress
                    message.msg_iovlen = buffer.count
                    return IOResult.from(returnValue: Glibc.sendmsg(fd, &message, Int32(MSG_NOSIGNAL)), isRead: false)
                }
            }
            return taken[index].withUnsafeBytes { raw in
                let offset = index == taken.startIndex ? min(skip, raw.count) : 0
                if raw.count > offset, let base = raw.baseAddress {
                    vectors.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: base + offset), iov_len: raw.count - offset))
                }
                return pin(index + 1)
            }
        }
        return pin(taken.startIndex)
    }

    /// Closes a descriptor, ignoring the result: there is nothing useful to do about a failed close.
    public static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }

    /// Closes a descriptor with a reset instead of a FIN: queued bytes are dropped at once, so a peer
    /// that stopped reading cannot keep the kernel holding them (and the connection) after the close.
    public static func reset(_ fd: Int32) {
        var immediately = linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &immediately, socklen_t(MemoryLayout<linger>.size))
        _ = Glibc.close(fd)
    }

    /// The pending socket error (after a non-blocking connect), 0 when none.
    public static func pendingError(_ fd: Int32) -> Int32 {
        var code: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
        return code
    }

    /// `host:port` as an IPv4 address ("localhost" is 127.0.0.1); throws `EINVAL` for any other name.
    public static func makeAddress(host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        let name = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else {
            throw SocketError("inet_pton \(host)", code: EINVAL)
        }
        return address
    }

    /// Calls `body` with `address` as the `sockaddr` pointer and length that bind and connect take.
    public static func withSocketAddress<Result>(
        _ address: sockaddr_in, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Result
    ) -> Result {
        withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}
