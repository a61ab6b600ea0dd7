import Glibc
import Sockets

/// A raw socket that writes requests without ever reading: the attacker of these tests.
public final class NonReadingClient: Sendable {
    public let fd: Int32

    public init(port: Int, receiveBufferBytes: Int32) throws {
        fd = try Socket.connect(host: "127.0.0.1", port: port)
        var size = receiveBufferBytes
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        _ = poll(&descriptor, 1, 5000)
    }

    /// Sends `request` up to `times` times, stopping when the socket would block; returns how many went whole.
    public func sendWithoutBlocking(_ request: [UInt8], times: Int) -> Int {
        var sent = 0
        for _ in 0..<times {
            guard case .bytes(let count) = request.withUnsafeBytes({ Socket.send(fd, $0) }), count == request.count else {
                return sent
            }
            sent += 1
        }
        return sent
    }

    /// Whether the server has closed the connection (a reset or an end of input; unread data is skipped).
    public func isClosedByPeer() -> Bool {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 65536, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            switch Socket.read(fd, into: buffer) {
            case .bytes: continue
            case .wouldBlock: return false
            case .endOfFile, .failed: return true
            }
        }
    }

    public func close() { Socket.close(fd) }
}
