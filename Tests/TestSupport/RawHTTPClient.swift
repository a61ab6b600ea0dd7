import Foundation
import Glibc
import Sockets

/// A test client over a plain socket, so tests can send exactly the bytes they mean (malformed,
/// split, pipelined) and read exactly what the server wrote. Its blocking calls run on a Dispatch
/// queue of its own: blocking Swift's few cooperative threads would starve the server under test.
public final class RawHTTPClient: @unchecked Sendable {
    public let fd: Int32
    private var pending: [UInt8] = []
    private let queue = DispatchQueue(label: "raw-http-client")

    /// A parsed response.
    public struct Response: Sendable {
        public let status: Int
        public let headers: [(name: String, value: String)]
        public let body: [UInt8]
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
        public var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    public struct ClientError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Connects to `127.0.0.1:port` with a receive timeout (seconds), from `sourceAddress` when given
    /// (another loopback address, to be another client to the server's per-address limits).
    ///
    /// The socket is set up in a local and becomes `fd` only once connected. Why: an initializer that
    /// throws after every stored property is set still runs `deinit`, so a failed connect closed the
    /// descriptor twice; the second close hit whatever another test's thread had opened under that
    /// number meanwhile (CI saw a writer's fresh socket fail with EBADF, and a server lose a connection).
    public init(port: Int, host: String = "127.0.0.1", timeoutSeconds: Int = 10, sourceAddress: String? = nil) throws {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socketFD >= 0 else { throw ClientError(description: "socket failed") }
        if let sourceAddress {
            let bound = try Self.withAddress(sourceAddress, port: 0, closingOnError: socketFD) { bind(socketFD, $0, $1) }
            guard bound == 0 else {
                let code = errno
                close(socketFD)
                throw ClientError(description: "bind to \(sourceAddress) failed: errno \(code)")
            }
        }
        let result = try Self.withAddress(host, port: port, closingOnError: socketFD) { connect(socketFD, $0, $1) }
        guard result == 0 else {
            let code = errno
            close(socketFD)
            throw ClientError(description: "connect to \(host):\(port) failed: errno \(code)")
        }
        fd = socketFD
        setTimeout(seconds: timeoutSeconds)
    }

    deinit { close(fd) }

    /// Calls `body` with `host:port` as a `sockaddr` (for bind and connect); a name that does not parse
    /// closes `socketFD` and throws.
    private static func withAddress(
        _ host: String, port: Int, closingOnError socketFD: Int32, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32
    ) throws -> Int32 {
        do {
            return Socket.withSocketAddress(try Socket.makeAddress(host: host, port: port), body)
        } catch {
            close(socketFD)
            throw ClientError(description: "\(host) is not an IPv4 address")
        }
    }

    public func setTimeout(seconds: Int, microseconds: Int = 0) {
        var timeout = timeval(tv_sec: seconds, tv_usec: microseconds)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func sendNow(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            guard sent > 0 else { throw ClientError(description: "send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Half-closes: the server sees end of input.
    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads more bytes into the pending buffer; false on end of stream (or timeout when `throwOnTimeout` is false).
    @discardableResult
    func fill(throwOnTimeout: Bool = true) throws -> Bool {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = receive(into: &buffer)
        if count > 0 {
            pending.append(contentsOf: buffer[0..<count])
            return true
        }
        if count == 0 { return false }
        if (errno == EAGAIN || errno == EWOULDBLOCK) && throwOnTimeout { throw ClientError(description: "timed out waiting for data") }
        return false
    }

    /// `recv`, again after a signal: with SO_RCVTIMEO set, Linux never restarts it (signal(7)), and a
    /// test process gets SIGCHLD whenever a subprocess it started (Python, psql, pg_ctl) ends. An EINTR
    /// taken for the end of the stream made a test report "connection closed" with the server fine.
    private func receive(into buffer: inout [UInt8]) -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            return count
        }
    }

    /// Whether the server closed the connection (reads to end of stream, discarding data).
    func waitForCloseNow() throws -> Bool {
        while true {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let count = receive(into: &buffer)
            if count == 0 { return true }
            if count < 0 {
                if errno == ECONNRESET { return true }
                if errno == EAGAIN || errno == EWOULDBLOCK { return false }
                return true
            }
            pending.append(contentsOf: buffer[0..<count])
        }
    }

    /// Everything received so far and not yet consumed.
    public var unconsumed: [UInt8] { pending }

    /// Reads until `marker` has arrived; returns the bytes up to and including it.
    func readUntilNow(_ marker: String) throws -> String {
        let needle = Array(marker.utf8)
        while true {
            if let range = firstRange(of: needle) {
                let result = Array(pending[0..<range.upperBound])
                pending.removeFirst(range.upperBound)
                return String(decoding: result, as: UTF8.self)
            }
            guard try fill() else { throw ClientError(description: "connection closed before \(marker.debugDescription)") }
        }
    }

    /// Reads one response (Content-Length, chunked, or close-delimited when `untilClose`).
    func readResponseNow(headRequest: Bool = false) throws -> Response {
        let head = try readUntilNow("\r\n\r\n")
        var lines = head.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw ClientError(description: "bad status line \(statusLine)") }
        if status == 100 { return try readResponseNow(headRequest: headRequest) }
        let headers = lines.map { line -> (name: String, value: String) in
            let colon = line.firstIndex(of: ":")!
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let response = Response(status: status, headers: headers, body: [])
        if headRequest || status == 204 || status == 304 { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            while pending.count < length { guard try fill() else { throw ClientError(description: "body cut short") } }
            let body = Array(pending[0..<length])
            pending.removeFirst(length)
            return Response(status: status, headers: headers, body: body)
        }
        if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            var body: [UInt8] = []
            while true {
                let sizeLine = try readUntilNow("\r\n")
                let size = Int(sizeLine.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16) ?? 0
                if size == 0 { _ = try readUntilNow("\r\n"); break }
                while pending.count < size + 2 { guard try fill() else { throw ClientError(description: "chunk cut short") } }
                body.append(contentsOf: pending[0..<size])
                pending.removeFirst(size + 2)
            }
            return Response(status: status, headers: headers, body: body)
        }
        while try fill(throwOnTimeout: false) {}
        let body = pending
        pending.removeAll()
        return Response(status: status, headers: headers, body: body)
    }

    // MARK: Async API (blocking work off the cooperative pool)

    private func perform<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }

    public func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    public func send(_ bytes: [UInt8]) async throws { try await perform { try self.sendNow(bytes) } }

    /// Reads more bytes; false at end of stream (or on timeout when `throwOnTimeout` is false).
    @discardableResult
    public func read(throwOnTimeout: Bool = true) async throws -> Bool {
        try await perform { try self.fill(throwOnTimeout: throwOnTimeout) }
    }

    /// Whether the server closed the connection within the receive timeout.
    public func waitForClose() async throws -> Bool { try await perform { try self.waitForCloseNow() } }

    /// Reads until `marker` has arrived; returns the bytes up to and including it.
    public func readUntil(_ marker: String) async throws -> String { try await perform { try self.readUntilNow(marker) } }

    /// Reads one response (Content-Length, chunked, or close-delimited).
    public func readResponse(headRequest: Bool = false) async throws -> Response {
        try await perform { try self.readResponseNow(headRequest: headRequest) }
    }

    private func firstRange(of needle: [UInt8]) -> Range<Int>? {
        guard pending.count >= needle.count else { return nil }
        for start in 0...(pending.count - needle.count) where pending[start] == needle[0] {
            if Array(pending[start..<(start + needle.count)]) == needle { return start..<(start + needle.count) }
        }
        return nil
    }
}
