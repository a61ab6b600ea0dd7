import Glibc

/// The outcome of one non-blocking read or write: `EAGAIN` is an ordinary answer, not an error.
public enum IOResult: Equatable, Sendable {
    /// That many bytes were moved (> 0).
    case bytes(Int)
    /// The socket has nothing to give, or no room to take, right now.
    case wouldBlock
    /// The peer closed its side (read returned 0).
    case endOfFile
    /// The call failed with this errno (`EPIPE`, `ECONNRESET`, ...).
    case failed(Int32)

    /// Interprets a read/write return value; the one place where `EAGAIN`/`EINTR` are handled.
    @inline(__always)
    static func from(returnValue: Int, isRead: Bool) -> IOResult {
        if returnValue > 0 { return .bytes(returnValue) }
        if returnValue == 0 { return isRead ? .endOfFile : .bytes(0) }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return .wouldBlock }
        return .failed(code)
    }
}
